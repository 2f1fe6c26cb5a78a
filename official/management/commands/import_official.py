"""Import an official release: the Home Office or ONS police force area tables.

    python manage.py import_official prc-pfa-mar2013-onwards-tables-230426.ods --dry-run
    python manage.py import_official prc-pfa-mar2013-onwards-tables-230426.ods --publish

Detects which file it is from its content, checks every row, and prints what
would change (new figures, revised figures old → new, unchanged, conflicts
with staff-entered figures) per measure and area; without ``--dry-run`` it
then writes it all in one transaction. A bad file is refused with every
problem (sheet, row, column) and nothing written: exit status 1.
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from official.services import ImportRefused, Preview, preview_release, write_release


class Command(BaseCommand):
    help = "Import the Home Office or ONS police force area tables (an official release)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .ods (Home Office) or .xlsx (ONS) file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the figures the release writes."
        )
        parser.add_argument(
            "--release-date",
            type=datetime.date.fromisoformat,
            help="The day the publisher released the file (YYYY-MM-DD); by default the date "
            "in a Home Office file's name, else today.",
        )
        parser.add_argument(
            "--user",
            help="Act as this user: the history records them, and their permissions apply "
            "(--publish, and revising a published figure, need a publisher).",
        )

    def _user(self, name: str | None):
        if not name:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(name)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user “{name}”.") from None

    def _report(self, preview: Preview) -> None:
        self.stdout.write(f"{preview.file_name}: {preview.title}.")
        for note in preview.notes:
            self.stdout.write(f"note: {note}")
        for measure, area, counts in preview.per_measure_area():
            parts = ", ".join(f"{counts[kind]} {kind}" for kind in sorted(counts))
            self.stdout.write(f"{measure} {area}: {parts}")
        for figure in preview.revised:
            self.stdout.write(
                f"revised: {figure.measure_slug} {figure.area_code} {figure.start} to "
                f"{figure.end}: {figure.old_value.normalize():f} → {figure.value.normalize():f}"
            )
        for figure in preview.conflicts:
            self.stdout.write(
                f"conflict: {figure.measure_slug} {figure.area_code} {figure.start} to "
                f"{figure.end}: staff entered {figure.old_value.normalize():f}, the release "
                f"says {figure.value.normalize():f}; left as it is"
            )

    def handle(self, *args, file: Path, dry_run: bool, publish: bool, **options):
        user = self._user(options.get("user"))
        if not file.is_file():
            raise CommandError(f"Cannot read {file}: no such file.")
        try:
            preview = preview_release(file, release_date=options.get("release_date"))
        except ImportRefused as refused:
            for message in refused.messages:
                self.stderr.write(f"error: {message}")
            raise CommandError("The file was refused: nothing was written.", returncode=1) from None
        self._report(preview)
        if preview.duplicate_of is not None or dry_run:
            suffix = "" if preview.duplicate_of is not None else " (Dry run: nothing written.)"
            self.stdout.write(self.style.SUCCESS(preview.summary() + suffix))
            return
        try:
            release = write_release(preview, user=user, publish=publish)
        except ImportRefused as refused:
            for message in refused.messages:
                self.stderr.write(f"error: {message}")
            raise CommandError(
                "The import was refused: nothing was written.", returncode=1
            ) from None
        if release is None:
            self.stdout.write(
                self.style.SUCCESS("This file was already imported: nothing changes.")
            )
            return
        done = "Saved and published." if publish else "Saved as drafts where new."
        self.stdout.write(self.style.SUCCESS(f"{preview.summary()} {done} Release: {release}."))
