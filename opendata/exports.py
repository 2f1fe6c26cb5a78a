"""Writing CSV files that are safe to open in a spreadsheet, streamed.

The rules every download follows, on both the Python path (any database) and
the PostgreSQL COPY path (``opendata.pgcopy``), which must give the same bytes:

- a text cell that a spreadsheet would run as a formula (it starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe,
  but a number such as ``-5`` stays a number;
- dates are ISO (``2024-03-31``); decimals are plain, without thousands
  separators or trailing zeros (``12.5``, never ``12.5000``); booleans are
  ``true`` / ``false``; a missing value is an empty cell;
- UTF-8, lines end with ``\\n`` (as PostgreSQL's COPY writes them), and the
  "for Excel" variant starts with a byte order mark so that Excel reads UTF-8.
"""

import csv
import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.db import connections

from measures.csvformat import FORMULA_STARTS

BOM = "\ufeff".encode()

# A plain number: kept as it is, so that a negative value stays a number.
# [0-9] rather than \d, which would also match other scripts' digits; \Z
# rather than $, which would also match before a final newline.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")
# The same two rules in PostgreSQL's regular expression syntax, for the COPY path.
SQL_PLAIN_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"

# Rows are written to the response in blocks of about this many bytes, so that
# a large file is not sent one short line at a time.
BLOCK_SIZE = 64 * 1024


# What goes before such a cell: a spreadsheet shows the text and runs nothing.
APOSTROPHE = "'"


def escape_cell(value: str) -> str:
    """Make a text cell inert in a spreadsheet: ``=1+1`` becomes ``'=1+1``."""
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(value):
        return APOSTROPHE + value
    return value


def format_decimal(value: Decimal | None) -> str | None:
    """A plain decimal: ``12.5`` for ``Decimal("12.5000")``, ``100`` for ``Decimal("1E+2")``."""
    if value is None:
        return None
    # "F" differs from "f" only in how it spells an infinity or NaN, which no
    # figure can hold.
    text = format(value.normalize(), "f")  # pragma: no mutate
    return "0" if text == "-0" else text


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def format_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def format_text(value: str | None) -> str | None:
    """Escaped text; an empty text is a missing value (an empty cell)."""
    if not value:
        return None
    return escape_cell(value)


class _Line:
    """A file-like object whose ``write`` hands back what it was given, so
    that ``csv.writer(...).writerow`` returns the line it wrote."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV lines, quoted as PostgreSQL's ``COPY ... WITH CSV`` quotes them.

    Cells must already be strings or None (see the ``format_*`` functions).
    Python's writer quotes a cell that holds a character of the line ending;
    writing ``\\r\\n`` endings and trimming them makes it quote both ``\\r`` and
    ``\\n``, as COPY does, while the file's lines end with ``\\n`` only.
    """
    # "\r\n" is also the writer's default: spelt out for the [:-2] below.
    writer = csv.writer(_Line(), lineterminator="\r\n")  # pragma: no mutate
    yield writer.writerow(header)[:-2] + "\n"
    for row in rows:
        yield writer.writerow(row)[:-2] + "\n"


def blocks(chunks: Iterable[str | bytes], *, bom: bool = False) -> Iterator[bytes]:
    """UTF-8 blocks of about ``BLOCK_SIZE`` bytes, optionally after a BOM."""
    if bom:
        yield BOM
    pending: list[bytes] = []
    size = 0
    for chunk in chunks:
        data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
        pending.append(data)
        size += len(data)
        if size >= BLOCK_SIZE:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def reach_database(alias: str) -> None:
    """One round trip to the database a download is about to read, before its
    response starts.

    A download reads the database only as it streams, after its status and
    headers were sent: a database that cannot be reached would give the
    client a cut-off 200. Reached here, in the view, it gives a 503
    (``core.middleware``) instead. Only a round trip, and nothing left open:
    a cursor left reading until the response is read would hold the
    connection meanwhile."""
    with connections[alias].cursor() as cursor:
        # Not a rule: tests/core/test_outages.py stops a database for real to test it.
        cursor.execute("SELECT 1")  # pragma: no mutate


def stream_csv(
    header: Sequence[str], rows: Iterable[Sequence], *, bom: bool = False
) -> Iterator[bytes]:
    return blocks(csv_lines(header, rows), bom=bom)


def export_filename(stem: str, extension: str, *, today: datetime.date) -> str:
    """``figures-2026-11-25.csv``: what the file holds and when it was made."""
    return f"{stem}-{today.isoformat()}.{extension}"
