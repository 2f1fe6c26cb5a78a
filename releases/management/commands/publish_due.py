"""Release what is due: every pending release whose time has come, and the
figures scheduled with it.

    python manage.py publish_due            # once
    python manage.py publish_due --every 60 # again every 60 seconds (make run)

The deployment runs it every minute (a systemd timer or cron: see the
README), so that figures go public at their pre-announced time. Two runs
that overlap never publish anything twice (``releases.services.publish_due``).
"""

import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from releases.services import publish_due


class Command(BaseCommand):
    help = "Publish the releases and scheduled figures whose time has come."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Run again every SECONDS seconds until stopped (for development; a "
            "deployment runs it from a timer instead).",
        )

    def handle(self, *args, every: int | None, **options):
        if not every:
            self.run_once(options["verbosity"])
            return
        while True:
            try:
                self.run_once(options["verbosity"])
            except DatabaseError as error:
                # The development server's SQLite file busy, a database restarting:
                # nothing was written (one transaction), so the next round does it.
                self.stderr.write(f"publish_due: {error}; trying again in {every} s.")
            time.sleep(max(every, 1))

    def run_once(self, verbosity: int) -> None:
        report = publish_due()
        if report.releases or verbosity > 1:
            for line in report.lines():
                self.stdout.write(line)
