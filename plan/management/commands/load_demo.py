from django.core.management.base import BaseCommand

from plan.demo import PLAN, load_demo
from plan.demo_frameworks import load_demo_editions
from plan.models import Plan


class Command(BaseCommand):
    help = (
        "Load the demo Police and Crime Plan for Humberside with its mapping, local targets, "
        "illustrative figures, the second national framework and two published statement "
        "editions. Safe to run again: it only adds what is missing."
    )

    def handle(self, *args, **options):
        result = load_demo()
        # Apart from load_demo(): each edition's PDF is made at publication.
        editions = load_demo_editions(Plan.objects.get(slug=PLAN["slug"]))
        if editions:
            self.stdout.write(f"Demo statement editions published: {editions}.")
        if result.created == 0:
            self.stdout.write("Demo data already loaded: nothing to add.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {result.areas} area, {result.plans} plan, "
                f"{result.outcomes} outcomes, {result.contributions} contributions, "
                f"{result.targets} targets, {result.figures} figures."
            )
        )
