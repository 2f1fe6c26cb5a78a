"""Load a national framework from a file in the format of
measures/frameworks/FORMAT.md; loading it again updates it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.frameworks.loader import FrameworkFileError, load_framework


class Command(BaseCommand):
    help = (
        "Load a national framework file (measures/frameworks/FORMAT.md). "
        "Nothing is written unless the whole file is right."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the framework file (.toml)")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read it ({error.strerror})") from None
        try:
            result = load_framework(data=data)
        except FrameworkFileError as error:
            raise CommandError(
                f"{file}: nothing was loaded; correct these and try again:\n{error}"
            ) from None
        for change in result.changes:
            self.stdout.write(change)
        verb = "Loaded" if result.created else "Updated" if result.changes else "Unchanged:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {result.framework}"))
