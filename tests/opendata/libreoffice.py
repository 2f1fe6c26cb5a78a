"""LibreOffice Calc, headless, to open the downloads as a person's
spreadsheet would, for the tests marked ``libreoffice``.

Each start of ``soffice`` costs a second or more, so a test module converts
all its files in one call, from a module-scoped fixture. Each call has a
profile of its own (``-env:UserInstallation``), so that parallel runs and a
LibreOffice the developer has open do not share one and wait on its lock.

Without LibreOffice the tests are skipped, saying how to get it, except in
CI (the CI variable set), where they must run, and fail.
"""

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

# Debian's package, which `make spreadsheet-deps` installs; SOFFICE names another.
SOFFICE = os.environ.get("SOFFICE") or "soffice"

# The CSV import as a person sets it in the import dialog: comma-separated,
# double quotes, UTF-8 (76), from line 1, English (UK) (2057) for numbers
# and dates. Without options, Debian 12's LibreOffice 7.4 reads every CSV
# file as Windows-1252, byte order mark or not, when converting from the
# command line (newer versions read UTF-8 there): no file can change that,
# so the tests give what a person would.
CSV_IMPORT = "Text - txt - csv (StarCalc):44,34,76,1,,2057"


def require_soffice() -> str:
    found = shutil.which(SOFFICE)
    if found:
        return found
    missing = (
        f"no LibreOffice ({SOFFICE}): `make spreadsheet-deps` installs Debian's "
        "libreoffice-calc-nogui (as root), or set SOFFICE to the path of one"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI runs every LibreOffice test, but there is {missing}.")
    pytest.skip(missing)


def convert(files: list[Path], *, to: str, outdir: Path, infilter: str | None = None) -> None:
    """Open each of ``files`` in LibreOffice and save it as ``to`` (an
    extension) in ``outdir``, a folder of its own: one start of LibreOffice
    for all of them."""
    soffice = require_soffice()
    profile = outdir / "profile"  # unique: outdir is the fixture's own temporary folder
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        to,
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603
    for file in files:
        converted = outdir / f"{file.stem}.{to}"
        assert converted.exists(), f"LibreOffice could not open {file.name}"


def sheets(path: Path) -> dict[str, list[list]]:
    """Every sheet of a workbook LibreOffice saved, by name: rows of cells
    (openpyxl's, which say whether each holds a text, a number, a boolean, a
    date or a formula)."""
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in workbook}


# A yes/no cell as LibreOffice saves it: a boolean, or, for one it read from
# a workbook, the formula TRUE() or FALSE() (shown as TRUE or FALSE).
_BOOLEANS = {
    ("b", True): True,
    ("b", False): False,
    ("f", "=TRUE()"): True,
    ("f", "=FALSE()"): False,
}


def boolean(cell) -> bool | None:
    """The cell's yes/no, or None if it holds anything else."""
    return _BOOLEANS.get((cell.data_type, cell.value))


def resaved_download(
    url_name: str, file_name: str, folder: Path, django_db_blocker, infilter: str | None = None
) -> dict[str, list[list]]:
    """The sheets of a download of ``helpers.people_figures`` (made and rolled
    back in a transaction of its own), opened in LibreOffice and saved again
    as a workbook, as a person's spreadsheet would leave it."""
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from .helpers import content, people_figures

    download = folder / file_name
    with django_db_blocker.unblock(), transaction.atomic():
        people_figures()
        download.write_bytes(content(Client().get(reverse(url_name))))
        transaction.set_rollback(True)
    convert([download], to="xlsx", outdir=folder / "saved", infilter=infilter)
    return sheets(folder / "saved" / f"{download.stem}.xlsx")
