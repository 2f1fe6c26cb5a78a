"""What the two import commands share: read the file, report every problem
with its line, exit with status 1 (and nothing written) if any."""

from pathlib import Path

from django.core.management.base import CommandError

from measures.imports import UploadError

from .imports import read_rows


def read_file(path: Path, columns: tuple[str, ...]):
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
    try:
        return read_rows(data, columns)
    except UploadError as error:
        raise CommandError(f"{path}: {error}") from None


def report(command, result, *, dry_run: bool) -> None:
    for problem in result.problems:
        command.stderr.write(f"error: {problem}")
    if not result.ok:
        raise CommandError(result.summary(), returncode=1)
    command.stdout.write(
        command.style.SUCCESS(result.summary() + (" (Dry run.)" if dry_run else ""))
    )
