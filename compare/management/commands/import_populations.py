"""Import populations from a CSV file with the columns area, year, population.

python manage.py import_populations populations.csv --source "ONS mid-2023 estimates"
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from compare.commands import read_file, report
from compare.imports import POPULATION_COLUMNS
from compare.services import import_populations


class Command(BaseCommand):
    help = "Check a populations CSV file and, unless any row is refused, save its populations."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="Where the numbers come from.")
        parser.add_argument("--dry-run", action="store_true", help="Check, but write nothing.")

    def handle(self, *args, file: Path, source: str, dry_run: bool, **options):
        rows = read_file(file, POPULATION_COLUMNS)
        report(self, import_populations(rows=rows, source=source, dry_run=dry_run), dry_run=dry_run)
