"""Import figures from a CSV file, as the admin's upload does.

    python manage.py import_figures figures.csv --dry-run
    python manage.py import_figures figures.csv --publish
    python manage.py import_figures figures.xlsx --user ana --checked --revision-reason "…"

Prints every refused row (line, column, reason) and every warning, then a
summary; exits with status 1 when anything is refused, and then writes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from measures.imports import UploadError, read_csv
from measures.services import import_figures


class Command(BaseCommand):
    help = "Check a figures CSV file and, unless any row is refused, save its figures as drafts."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file, in the upload format.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the file's figures once saved."
        )
        parser.add_argument(
            "--checked",
            action="store_true",
            help="With --user: you have checked the values the entry checks warn about "
            "(kept in each figure's history). Without --user the warnings are recorded as "
            "not checked.",
        )
        parser.add_argument(
            "--revision-reason",
            default="",
            help="With --user: why the file changes published values, shown to the public "
            "beside each revised figure.",
        )
        parser.add_argument(
            "--user",
            help="Act as this user: the history records them, and their permissions "
            "apply (--publish needs a publisher). Without it the job may do anything.",
        )

    def handle(self, *args, file: Path, dry_run: bool, publish: bool, user: str | None, **options):
        checked, revision_reason = options["checked"], options["revision_reason"]
        account = None
        if user:
            try:
                account = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user “{user}”.") from None
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            rows = read_csv(data)
        except UploadError as error:
            raise CommandError(f"{file}: {error}") from None

        result = import_figures(
            rows=rows,
            user=account,
            publish=publish,
            dry_run=dry_run,
            source=f"Imported from {file.name}",
            checked=checked,
            revision_reason=revision_reason,
        )
        for problem in result.errors:
            self.stderr.write(f"error: {problem}")
        for problem in result.warnings:
            self.stdout.write(f"warning: {problem}")
        for row in result.changed:
            changes = ", ".join(row.change_lines)
            self.stdout.write(f"changed: line {row.line}: {row.figure}: {changes}")
        summary = result.summary()
        if dry_run and result.ok:
            summary += " (Dry run.)"
        if not result.ok:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
