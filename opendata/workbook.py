"""The figures as an Excel workbook (.xlsx), for people with a spreadsheet.

Every cell keeps its type, from its column's kind (``opendata.columns``):
numbers as numbers, dates as dates, yes/no as true/false, and text as text.
A text is written as a text, never read as a formula, so it needs none of
the CSV files' guarding apostrophe: a note "=1+1" shows as "=1+1".

XlsxWriter's constant_memory mode writes each row to a temporary file as
soon as the next one starts (its texts inline, not in a table held in
memory), and the finished workbook goes to a spooled temporary file, in
memory while small and on disk beyond that: memory stays flat however many
figures there are. An .xlsx is a zip whose parts are complete only at the
end, so the file is sent once it is written, not while.
"""

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO

import xlsxwriter

from .columns import TEXT, Column

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column widths, in characters: enough for a value of each kind, and for
# the column's label, whichever is wider. People's text (names, notes,
# addresses) gets room to read without hiding the next column entirely.
WIDTHS = {"number": 11, "integer": 9, "date": 11, "boolean": 9, "string": 22}
TEXT_WIDTH = 40
# A sheet's rows, the header's included (Excel's limit, and LibreOffice's).
MAX_ROWS = 1_048_576
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

OPTIONS = {
    "constant_memory": True,
    # Text stays text: never a formula, a number or a link by its look.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def width(column: Column) -> int:
    fits = TEXT_WIDTH if column.kind is TEXT else WIDTHS[column.kind.schema_type]
    return max(fits, len(column.label) + 2)


def _cell(sheet, row: int, col: int, kind: str, value, date_format) -> None:
    """One value, as its kind's type of cell; nothing for a missing value."""
    if value is None or value == "":
        return
    if kind in ("number", "integer"):
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value)
    elif kind == "date":
        sheet.write_datetime(row, col, value, date_format)
    elif kind == "boolean":
        sheet.write_boolean(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def build_workbook(
    *,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    title: str,
    about: Sequence[tuple[str, str | datetime.datetime | int]],
) -> IO[bytes]:
    """The workbook, as an open file at its start: a sheet of ``rows`` (each
    the values of ``columns``) under a frozen header row with a filter, and a
    sheet "About" that states ``title`` and each (label, value) of ``about``."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    workbook = xlsxwriter.Workbook(spool, OPTIONS)
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    date_format = workbook.add_format({"num_format": DATE_FORMAT})

    sheet = workbook.add_worksheet("Figures")
    # In constant_memory mode the layout comes before the first row.
    for col, column in enumerate(columns):
        sheet.set_column(col, col, width(column))
    sheet.freeze_panes(1, 0)
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.label, header)
    kinds = [column.kind.schema_type for column in columns]
    count, cut = 0, False
    for count, values in enumerate(rows, start=1):
        if count == MAX_ROWS:
            count, cut = count - 1, True
            break
        for col, (kind, value) in enumerate(zip(kinds, values, strict=True)):
            _cell(sheet, count, col, kind, value, date_format)
    sheet.autofilter(0, 0, count, len(columns) - 1)
    if cut:
        # Said, never cut off silently.
        about = [
            *about,
            ("Not all here", "More figures than a sheet holds: filter them, or use the CSV file."),
        ]

    notes = workbook.add_worksheet("About")
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 80)
    notes.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
    stamp = workbook.add_format({"num_format": DATETIME_FORMAT, "align": "left"})
    plain = workbook.add_format({"align": "left"})
    label = workbook.add_format({"bold": True, "valign": "top"})
    for line, (name, value) in enumerate([*about, ("Figures in this file", count)], start=2):
        notes.write_string(line, 0, name, label)
        if isinstance(value, datetime.datetime):
            notes.write_datetime(line, 1, value, stamp)
        elif isinstance(value, int):
            notes.write_number(line, 1, value, plain)
        else:
            notes.write_string(line, 1, value)
    workbook.close()
    spool.seek(0)
    return spool
