"""Work out every figure's verdict again and store it.

    python manage.py recompute_verdicts
    python manage.py recompute_verdicts --measure homicides

The services store verdicts as figures, baselines and methods change; run
this after an upgrade that changes a rule or its words, or after figures were
written some other way (a bulk load straight into the database).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from measures.models import Measure
from measures.verdicts import recompute_verdicts


class Command(BaseCommand):
    help = "Work out every figure's status against its comparison again, and store it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--measure",
            action="append",
            metavar="SLUG",
            help="Only this measure's figures (may be given more than once).",
        )

    def handle(self, *args, measure: list[str] | None, **options):
        measure_ids = None
        if measure:
            found = dict(Measure.objects.filter(slug__in=measure).values_list("slug", "pk"))
            missing = sorted(set(measure) - set(found))
            if missing:
                raise CommandError(f"No measure with the short name: {', '.join(missing)}.")
            measure_ids = list(found.values())
        with transaction.atomic():
            changed = recompute_verdicts(measure_ids=measure_ids)
        self.stdout.write(f"{changed} figure{'s' if changed != 1 else ''} had a new verdict.")
