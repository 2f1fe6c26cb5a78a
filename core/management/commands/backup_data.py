from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by migrations on the target, or meaningless there.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = (
        "Write every figure, revision, history row, plan, mapping, user and group to an XML "
        "file that 'manage.py loaddata FILE' restores into a freshly migrated database."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The file to write, e.g. backup-2026-11-25.xml")

    def handle(self, *args, output, **options):
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED,
            # XML, not JSON: Django's JSON cuts times to the millisecond, so a
            # restore would not give back the same history timestamps.
            format="xml",
            indent=1,
            output=output,
            verbosity=0,
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output}"))
