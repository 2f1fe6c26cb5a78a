"""Import most similar groups from a CSV file with the columns force, member
(one row per member of a force's group).

    python manage.py import_similar_groups msg.csv --source "..." --official
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from compare.commands import read_file, report
from compare.imports import SIMILAR_GROUP_COLUMNS
from compare.services import import_similar_groups


class Command(BaseCommand):
    help = (
        "Check a most-similar-groups CSV file and, unless any row is refused, set the group "
        "of every force it names. Groups are illustrative unless --official is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="The publication and its date.")
        parser.add_argument("--source-url", default="", help="Its web address.")
        parser.add_argument(
            "--official",
            action="store_true",
            help="The file is exactly the published list named by --source.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check, but write nothing.")

    def handle(self, *args, file, source, source_url, official, dry_run, **options):
        rows = read_file(file, SIMILAR_GROUP_COLUMNS)
        result = import_similar_groups(
            rows=rows,
            source=source,
            source_url=source_url,
            illustrative=not official,
            dry_run=dry_run,
        )
        report(self, result, dry_run=dry_run)
