"""Readers for the official police force area tables.

Two publications carry the police-recorded measures for every force:

* the Home Office's *Police recorded crime and outcomes open data tables*,
  police force area file (``prc-pfa-mar2013-onwards-tables-DDMMYY.ods``): one
  sheet per financial year (``2024_25``, older ones ``2012-13``) besides cover
  and notes sheets, in long format, one row per force, offence and quarter;
* the ONS's *Crime in England and Wales: Police Force Area data tables* (an
  XLSX): sheets ``Table P1`` (counts by offence), ``Table P2`` (percentage
  change), ``Table P3`` (rates per 1,000 people, and the population),
  ``Table P6 `` (offences involving a knife or sharp instrument) and
  ``Table P8 `` (offences involving firearms), each with notes rows above a
  header row that starts ``Area Code``, ``Area Name``.

Public interface::

    kind = detect(path)                 # SourceKind, from the content, not the name
    for record in read(path):           # HomeOfficeRecord or OnsRecord, row by row
        ...
    report = check(path)                # reads it all; every bad row, and counts

A file of another kind, a missing sheet or column, or a value that is neither
a number nor a marker the publisher documents raises a :class:`ReaderError`
(or, from :func:`check`, is listed in the report) naming the sheet, the row
and the column. :func:`read` stops at the first error, so a caller that must
not act on part of a file runs :func:`check` first, or collects everything
:func:`read` yields before writing.

Spreadsheets are read with python-calamine, which decodes ODS and XLSX in
Rust; see the README's dependency table for why. Rows are converted and
yielded one at a time; calamine itself holds the decoded cells of the sheet
being read (for ODS, of the workbook), which is what bounds the memory.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

import python_calamine

from . import areas


class SourceKind(StrEnum):
    HOME_OFFICE_PFA = "home-office-pfa"
    ONS_PFA = "ons-pfa"

    @property
    def title(self) -> str:
        return {
            SourceKind.HOME_OFFICE_PFA: (
                "Home Office, Police recorded crime and outcomes open data tables "
                "(police force area)"
            ),
            SourceKind.ONS_PFA: "ONS, Crime in England and Wales: Police Force Area data tables",
        }[self]


# --- Errors -----------------------------------------------------------------


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``25`` → ``Z``, ``26`` → ``AA``: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class ReaderError(ValueError):
    """Bad input, with where it is: ``sheet``, ``row`` (as the spreadsheet
    numbers it, from 1), ``column`` (a letter) and ``column_name`` (its header),
    each None when the problem is not in one place."""

    def __init__(
        self,
        problem: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        column_name: str | None = None,
    ):
        self.problem = problem
        self.sheet = sheet
        self.row = row
        self.column = column
        self.column_name = column_name
        super().__init__(self.message)

    @property
    def where(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            named = f" ({self.column_name})" if self.column_name else ""
            parts.append(f"column {self.column}{named}")
        elif self.column_name:
            parts.append(f"column {self.column_name!r}")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        return f"{self.where}: {self.problem}" if self.where else self.problem


class WrongKindError(ReaderError):
    """Not one of the official files this reads."""


class MissingSheetError(ReaderError):
    pass


class MissingColumnError(ReaderError):
    pass


class BadValueError(ReaderError):
    pass


# --- Records ----------------------------------------------------------------


class HomeOfficeRecord(NamedTuple):
    """One row of a Home Office year sheet: a force's count of one offence in one quarter.

    ``count`` is None when the cell holds a marker the Home Office uses for
    "no value" (``N/a``); ``marker`` then keeps the cell as written.
    """

    source: SourceKind
    sheet: str
    row: int
    financial_year: str  # "2024/25", however the cell wrote it
    quarter: int  # 1 (April to June) to 4 (January to March)
    force_name: str  # as written; official.areas.ons_code_for_force places it
    offence_code: str
    offence_description: str
    offence_group: str
    offence_subgroup: str
    count: int | None
    marker: str | None = None

    @property
    def start_year(self) -> int:
        return int(self.financial_year[:4])


class OnsRecord(NamedTuple):
    """One cell of an ONS table: one area's value under one column header.

    ``header`` is the column header without its ``[note n]`` markers and with
    its line breaks as single spaces; ``value`` is None when the cell holds a
    documented marker (``[x]``, ``[c]``…), which ``marker`` keeps.
    """

    source: SourceKind
    table: str  # the sheet name without its trailing spaces: "Table P8"
    sheet: str  # the sheet name as written: "Table P8 "
    row: int
    column: str  # the column's letter
    area_code: str
    area_name: str
    header: str
    value: Decimal | None
    marker: str | None = None


Record = HomeOfficeRecord | OnsRecord


# --- Cells ------------------------------------------------------------------

#: What the Home Office tables write where there is no count. The brief and
#: the files seen by public code that reads them show ``N/a``; nothing else is
#: documented, so anything else that is not a number is an error.
HOME_OFFICE_MARKERS = {"n/a": "not available"}

#: The shorthand UK official statistics put in place of a value, with the
#: meanings the Analysis Function's "Using symbols and shorthand in tables"
#: (GSS policy store, 11 January 2022) gives them: of its harmonised
#: shorthand, these are the ones that stand for a missing or withheld value
#: ([b], [e], [er], [f], [p], [r] and the significance markers qualify a value
#: and are not accepted alone). ``..`` is not in it (the guidance no longer
#: recommends symbols such as ``.`` and ``:``); it is kept, as "not available",
#: so that older tables still read, but that meaning was not checked. Which of
#: these the PFA tables' notes sheet lists was not checked either
#: (docs/sources.md, section 10).
ONS_MARKERS = {
    "[x]": "not available",
    "[c]": "confidential",
    "[z]": "not applicable",
    "[u]": "low reliability",
    "[w]": "none recorded in survey",
    "[low]": "a low figure but not a real zero",
    "..": "not available (an older symbol, not in the guidance)",
}

_NOTE_MARKER = re.compile(r"\s*\[\s*notes?\s+[\w\s,&-]*\]", re.IGNORECASE)
_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
_YEAR_SHEET = re.compile(r"^\s*(\d{4})\s*[-_/]\s*(\d{2})\s*$")
_FINANCIAL_YEAR = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*[-_/]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE)
_ONS_TABLE = re.compile(r"^Table P\d+$")


def strip_note_markers(text: str) -> str:
    """``"Homicide\\n [note 3]"`` → ``"Homicide"``: header text as a reader sees it."""
    return " ".join(_NOTE_MARKER.sub("", text).split())


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _number(cell) -> Decimal | None:
    """The number in a cell, or None if it holds none. Floats go through their
    shortest repr, so 0.1 stays 0.1 rather than its binary expansion."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            return None
        if cell.is_integer():
            return Decimal(int(cell))
        return Decimal(repr(cell))
    if isinstance(cell, str):
        text = cell.strip()
        if _NUMBER_TEXT.match(text):
            try:
                return Decimal(text.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return None
    return None


def _describe(cell) -> str:
    if cell is None or cell == "":
        return "it is empty"
    return f"it holds {str(cell)!r}"


# --- Detection --------------------------------------------------------------

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _container(path: Path) -> str:
    """``ods`` or ``xlsx`` from the file's bytes, or a WrongKindError saying what it is."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as error:
        raise WrongKindError(f"the file cannot be read: {error.strerror or error}") from error
    if not head:
        raise WrongKindError("the file is empty")
    if head.startswith(b"%PDF"):
        raise WrongKindError(
            "this is a PDF document; the import reads the ODS or XLSX tables themselves"
        )
    if not head.startswith(b"PK\x03\x04"):
        if b"\x00" not in head:
            raise WrongKindError(
                "this is a text file (a CSV?), not a spreadsheet; the import reads the Home "
                "Office tables as published (.ods) and the ONS tables (.xlsx)"
            )
        raise WrongKindError("this is not a spreadsheet (ODS or XLSX)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                return "ods"
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return "xlsx"
    except zipfile.BadZipFile as error:
        raise WrongKindError("this is a damaged ZIP file, not a spreadsheet") from error
    raise WrongKindError("this is a ZIP archive, not a spreadsheet (ODS or XLSX)")


@contextmanager
def _open(path: Path) -> Iterator[python_calamine.CalamineWorkbook]:
    """The workbook, read by its content: calamine's ``from_path`` goes by the
    file name's suffix, and an upload's name says nothing reliable."""
    _container(path)
    with path.open("rb") as handle:
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        except python_calamine.CalamineError as error:
            raise WrongKindError(f"the spreadsheet cannot be read: {error}") from error
        with workbook:
            yield workbook


def _year_sheets(sheet_names: list[str]) -> list[str]:
    return [name for name in sheet_names if _YEAR_SHEET.match(name)]


def _ons_sheets(sheet_names: list[str]) -> dict[str, str]:
    """Table name (trailing spaces removed) → the sheet's name as written."""
    return {name.strip(): name for name in sheet_names if _ONS_TABLE.match(name.strip())}


def _kind_of(workbook: python_calamine.CalamineWorkbook) -> SourceKind:
    names = workbook.sheet_names
    if _year_sheets(names):
        return SourceKind.HOME_OFFICE_PFA
    if _ons_sheets(names):
        return SourceKind.ONS_PFA
    shown = ", ".join(repr(name) for name in names[:8]) + (", …" if len(names) > 8 else "")
    raise WrongKindError(
        f"this spreadsheet (sheets {shown}) is neither the Home Office police force area "
        "open data tables (one sheet per financial year, such as '2024_25') nor the ONS "
        "police force area data tables (sheets 'Table P1' to 'Table P8')"
    )


def detect(path: str | Path) -> SourceKind:
    """Which official file this is, from its content; a WrongKindError if neither."""
    with _open(Path(path)) as workbook:
        return _kind_of(workbook)


# --- The Home Office police force area tables -------------------------------

HOME_OFFICE_COLUMNS = (
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
)
_KEY_COLUMNS = frozenset(
    ("Financial Year", "Financial Quarter", "Force Name", "Offence Code", "Number of Offences")
)
_HEADER_SEARCH_ROWS = 20


def _header_key(cell) -> str:
    return strip_note_markers(_text(cell)).casefold()


@dataclass
class _Columns:
    """Where each wanted column is, plus any later columns with the same header."""

    first: dict[str, int]
    duplicates: dict[str, list[int]]


def _locate_columns(header: list, wanted: tuple[str, ...]) -> _Columns:
    first: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    keys = {name.casefold(): name for name in wanted}
    for index, cell in enumerate(header):
        name = keys.get(_header_key(cell))
        if name is None:
            continue
        if name in first:
            duplicates.setdefault(name, []).append(index)
        else:
            first[name] = index
    return _Columns(first, duplicates)


def _home_office_header(sheet_name: str, rows: Iterator[list]) -> tuple[int, _Columns]:
    """The header row's number and its columns; the rows iterator is left just past it."""
    best: tuple[int, _Columns] | None = None
    for number, row in enumerate(rows, start=1):
        columns = _locate_columns(row, HOME_OFFICE_COLUMNS)
        if len(columns.first) == len(HOME_OFFICE_COLUMNS):
            return number, columns
        if columns.first and (best is None or len(columns.first) > len(best[1].first)):
            best = (number, columns)
        if number >= _HEADER_SEARCH_ROWS:
            break
    if best is None:
        raise MissingColumnError(
            f"no header row in the first {_HEADER_SEARCH_ROWS} rows: expected the columns "
            + ", ".join(repr(name) for name in HOME_OFFICE_COLUMNS),
            sheet=sheet_name,
        )
    number, columns = best
    missing = [name for name in HOME_OFFICE_COLUMNS if name not in columns.first]
    raise MissingColumnError(
        f"the header (row {number}) has no column " + ", ".join(repr(name) for name in missing),
        sheet=sheet_name,
        row=number,
        column_name=missing[0],
    )


class _Bad(Exception):
    """A bad cell; the loop that read it adds where it is."""

    def __init__(self, problem: str):
        self.problem = problem


def _financial_year(cell) -> str:
    match = _FINANCIAL_YEAR.match(_text(cell))
    if match:
        start, end = int(match.group(1)), match.group(2)
        if int(end) == (start + 1 if len(end) == 4 else (start + 1) % 100):
            return f"{start}/{(start + 1) % 100:02d}"
    raise _Bad(f"expected a financial year such as 2024/25, but {_describe(cell)}")


def _quarter(cell) -> int:
    number = _number(cell)
    if number is None and isinstance(cell, str):
        match = re.fullmatch(r"\s*Q\s*([1-4])\s*", cell, re.IGNORECASE)
        number = Decimal(match.group(1)) if match else None
    if number is not None and number == number.to_integral_value() and 1 <= number <= 4:
        return int(number)
    raise _Bad(f"expected a quarter from 1 to 4, but {_describe(cell)}")


def _count(cell) -> tuple[int | None, str | None]:
    if type(cell) is float and cell.is_integer():  # the common case, first
        return int(cell), None
    number = _number(cell)
    if number is not None:
        if number != number.to_integral_value():
            raise _Bad(f"expected a whole number of offences, but it holds {cell!r}")
        return int(number), None
    if isinstance(cell, str) and cell.strip().casefold() in HOME_OFFICE_MARKERS:
        return None, cell.strip()
    raise _Bad(f"expected a number of offences or N/a, but {_describe(cell)}")


class _Memo(dict):
    """Parses each distinct cell value once: a year sheet repeats the same
    few years, quarters, force names and offence texts on every row."""

    def __init__(self, parse):
        super().__init__()
        self.parse = parse

    def __missing__(self, cell):
        value = self[cell] = self.parse(cell)
        return value


def _required(what: str):
    def parse(cell) -> str:
        text = _text(cell)
        if not text:
            raise _Bad(f"the {what} is empty")
        return text

    return parse


@dataclass(frozen=True)
class _Layout:
    """Where a year sheet keeps each column, and its repeated key columns."""

    offset: int  # calamine starts columns at the first with data: add this back for letters
    width: int
    year: int
    quarter: int
    force: int
    description: int
    group: int
    subgroup: int
    code: int
    count: int
    duplicates: tuple[tuple[str, int, int], ...]  # (name, first index, repeated index)


def _layout(columns: _Columns, offset: int) -> _Layout:
    at = columns.first
    repeated = [i for indexes in columns.duplicates.values() for i in indexes]
    # A repeated column that places a count (year, quarter, force, code,
    # count) must agree with the first; a repeated text column (offence
    # description, group, subgroup) is read from its first occurrence.
    duplicates = tuple(
        (name, at[name], index)
        for name, indexes in columns.duplicates.items()
        if name in _KEY_COLUMNS
        for index in indexes
    )
    return _Layout(
        offset,
        max([*at.values(), *repeated]) + 1,
        *(at[name] for name in HOME_OFFICE_COLUMNS),
        duplicates=duplicates,
    )


class _BadCell(Exception):
    def __init__(self, name: str, index: int, problem: str):
        self.name, self.index, self.problem = name, index, problem


def _agree(row: list, layout: _Layout) -> None:
    for name, first, index in layout.duplicates:
        # The same cell value agrees without reading it as text: the common case.
        if row[index] != row[first] and _text(row[index]) != _text(row[first]):
            raise _BadCell(
                name,
                index,
                f"this sheet has two {name!r} columns and they disagree: "
                f"{_text(row[first])!r} in column {column_letter(layout.offset + first)}, "
                f"{_text(row[index])!r} here",
            )


def _checked_force(check_force: Callable[[str], object] | None):
    required = _required("force name")

    def parse(cell) -> str:
        name = required(cell)
        if check_force is not None:
            try:
                check_force(name)
            except areas.UnknownForceName as unknown:
                raise _Bad(str(unknown)) from None
        return name

    return parse


class _HomeOfficeRowReader:
    """Turns a year sheet's rows into records. Each distinct cell value is
    parsed once (errors are not memoised: a bad cell is reported each time)."""

    def __init__(self, check_force: Callable[[str], object] | None):
        self.year_of = _Memo(_financial_year)
        self.quarter_of = _Memo(_quarter)
        self.force_of = _Memo(_checked_force(check_force))
        self.code_of = _Memo(_required("offence code"))
        self.text_of = _Memo(_text)

    def record(self, sheet: str, number: int, row: list, at: _Layout) -> HomeOfficeRecord:
        if len(row) < at.width:
            row = [*row, *[""] * (at.width - len(row))]
        if at.duplicates:
            _agree(row, at)
        name, index = "Number of Offences", at.count
        try:
            count, marker = _count(row[at.count])
            name, index = "Financial Year", at.year
            year = self.year_of[row[at.year]]
            name, index = "Financial Quarter", at.quarter
            quarter = self.quarter_of[row[at.quarter]]
            name, index = "Force Name", at.force
            force = self.force_of[row[at.force]]
            name, index = "Offence Code", at.code
            code = self.code_of[row[at.code]]
        except _Bad as bad:
            raise _BadCell(name, index, bad.problem) from None
        text = self.text_of
        return HomeOfficeRecord(
            SourceKind.HOME_OFFICE_PFA,
            sheet,
            number,
            year,
            quarter,
            force,
            code,
            text[row[at.description]],
            text[row[at.group]],
            text[row[at.subgroup]],
            count,
            marker,
        )


def _is_blank(row: list) -> bool:
    return not any(cell != "" and cell is not None for cell in row)


def _year_sheet_rows(
    workbook: python_calamine.CalamineWorkbook,
    sheet_name: str,
    reader: _HomeOfficeRowReader,
    on_error: Callable[[ReaderError], None],
) -> Iterator[HomeOfficeRecord]:
    sheet = workbook.get_sheet_by_name(sheet_name)
    offset = sheet.start[1] if sheet.start else 0
    rows = iter(sheet.iter_rows())
    header_row, columns = _home_office_header(sheet_name, rows)
    layout = _layout(columns, offset)
    for number, row in enumerate(rows, start=header_row + 1):
        try:
            record = reader.record(sheet_name, number, row, layout)
        except _BadCell as bad:
            if not _is_blank(row):  # a blank row is the sheet's end, or a gap
                on_error(
                    BadValueError(
                        bad.problem,
                        sheet=sheet_name,
                        row=number,
                        column=column_letter(offset + bad.index),
                        column_name=bad.name,
                    )
                )
            continue
        yield record


def _home_office_rows(
    workbook: python_calamine.CalamineWorkbook,
    on_error: Callable[[ReaderError], None],
    check_force: Callable[[str], object] | None = None,
) -> Iterator[HomeOfficeRecord]:
    sheets = _year_sheets(workbook.sheet_names)
    if not sheets:
        raise MissingSheetError(
            "no financial-year sheet (such as '2024_25' or '2012-13') in this file"
        )
    reader = _HomeOfficeRowReader(check_force)
    for sheet_name in sheets:
        yield from _year_sheet_rows(workbook, sheet_name, reader, on_error)


# --- The ONS police force area data tables ----------------------------------

#: The tables the import uses, by name without trailing spaces.
ONS_TABLES = ("Table P1", "Table P2", "Table P3", "Table P6", "Table P8")


def _ons_header(table: str, sheet_name: str, rows: Iterator[list]) -> tuple[int, int, list[str]]:
    """The header row's number, the Area Code column's index, and the headers."""
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if _header_key(cell) == "area code":
                following = row[index + 1] if index + 1 < len(row) else ""
                if _header_key(following) != "area name":
                    raise MissingColumnError(
                        "the header row starts 'Area Code' but the next column is not "
                        f"'Area Name' ({_describe(following)})",
                        sheet=sheet_name,
                        row=number,
                        column=column_letter(index + 1),
                    )
                return number, index, [strip_note_markers(_text(cell)) for cell in row]
            if _text(cell):
                break  # the header's first cell is the row's first non-empty cell
    raise MissingColumnError(
        f"{table} has no header row starting 'Area Code', 'Area Name'", sheet=sheet_name
    )


def _ons_value(cell, where: dict) -> tuple[Decimal | None, str | None]:
    number = _number(cell)
    if number is not None:
        return number, None
    if isinstance(cell, str):
        marker = strip_note_markers(cell).casefold()
        if marker in ONS_MARKERS:
            return None, cell.strip()
    raise BadValueError(
        "expected a number or one of the markers "
        + ", ".join(m for m in ONS_MARKERS)
        + f", but {_describe(cell)}",
        **where,
    )


def _ons_code_checked(code: str, name: str, check_area, where: dict) -> None:
    if not _GSS_CODE.match(code):
        raise BadValueError(
            f"expected an area code such as E23000001, but {_describe(code)}",
            **where,
            column_name="Area Code",
        )
    if check_area is not None and check_area(code) is None:
        raise BadValueError(
            f"unknown area code {code!r} ({name}): not in the reference areas",
            **where,
            column_name="Area Code",
        )


def _no_stray_values(row: list, headers: list[str], start: int, sheet: str, number: int, offset):
    for index in range(start, len(row)):
        if (index >= len(headers) or not headers[index]) and _text(row[index]):
            raise BadValueError(
                f"a value with no column header: {_text(row[index])!r}",
                sheet=sheet,
                row=number,
                column=column_letter(offset + index),
            )


@dataclass(frozen=True)
class _OnsTable:
    table: str
    sheet: str
    offset: int
    code_at: int
    headers: list[str]
    value_columns: list[int]


def _ons_row_records(t: _OnsTable, number: int, row: list, check_area) -> Iterator[OnsRecord]:
    code = _text(row[t.code_at]) if t.code_at < len(row) else ""
    name = strip_note_markers(_text(row[t.code_at + 1])) if t.code_at + 1 < len(row) else ""
    where = {"sheet": t.sheet, "row": number, "column": column_letter(t.offset + t.code_at)}
    _ons_code_checked(code, name, check_area, where)
    _no_stray_values(row, t.headers, t.code_at + 2, t.sheet, number, t.offset)
    for index in t.value_columns:
        cell = row[index] if index < len(row) else ""
        column = column_letter(t.offset + index)
        value, marker = _ons_value(
            cell,
            {"sheet": t.sheet, "row": number, "column": column, "column_name": t.headers[index]},
        )
        yield OnsRecord(
            source=SourceKind.ONS_PFA,
            table=t.table,
            sheet=t.sheet,
            row=number,
            column=column,
            area_code=code,
            area_name=name,
            header=t.headers[index],
            value=value,
            marker=marker,
        )


def _ons_table_rows(workbook, table: str, sheet_name: str, on_error, check_area):
    sheet = workbook.get_sheet_by_name(sheet_name)
    offset = sheet.start[1] if sheet.start else 0
    rows = iter(sheet.iter_rows())
    header_row, code_at, headers = _ons_header(table, sheet_name, rows)
    value_columns = [index for index in range(code_at + 2, len(headers)) if headers[index]]
    layout = _OnsTable(table, sheet_name, offset, code_at, headers, value_columns)
    for number, row in enumerate(rows, start=header_row + 1):
        if _is_blank(row):
            continue
        try:
            yield from _ons_row_records(layout, number, row, check_area)
        except ReaderError as error:
            on_error(error)


def _ons_rows(
    workbook: python_calamine.CalamineWorkbook,
    on_error: Callable[[ReaderError], None],
    tables: tuple[str, ...] = ONS_TABLES,
    check_area: Callable[[str], object] | None = None,
) -> Iterator[OnsRecord]:
    sheets = _ons_sheets(workbook.sheet_names)
    missing = [table for table in tables if table not in sheets]
    if missing:
        raise MissingSheetError(
            "the file has no sheet "
            + ", ".join(repr(table) for table in missing)
            + "; its sheets are "
            + ", ".join(repr(name) for name in workbook.sheet_names)
        )
    for table in tables:
        yield from _ons_table_rows(workbook, table, sheets[table], on_error, check_area)


# --- Reading and checking ---------------------------------------------------


def _raise(error: ReaderError) -> None:
    raise error


def read(
    path: str | Path, *, kind: SourceKind | None = None, ons_tables: tuple[str, ...] = ONS_TABLES
) -> Iterator[Record]:
    """Every record of the file, in sheet and row order, one at a time.

    Raises a :class:`ReaderError` at the first bad input: nothing read before
    it may be acted on (see :func:`check`). ``kind``, when given, must match
    what the file is; ``ons_tables`` picks the ONS tables to read.
    """
    path = Path(path)
    with _open(path) as workbook:
        found = _kind_of(workbook)
        if kind is not None and kind != found:
            raise WrongKindError(f"expected the {kind.title}, but this is the {found.title}")
        if found is SourceKind.HOME_OFFICE_PFA:
            yield from _home_office_rows(workbook, _raise)
        else:
            yield from _ons_rows(workbook, _raise, ons_tables)


@dataclass
class CheckReport:
    """What :func:`check` found: the kind, how many records each sheet holds,
    the cells without a value, the non-territorial rows skipped, and every
    error (up to ``max_errors``; ``more_errors`` counts the rest)."""

    kind: SourceKind
    records: int = 0
    per_sheet: Counter = field(default_factory=Counter)
    markers: Counter = field(default_factory=Counter)
    non_territorial: Counter = field(default_factory=Counter)
    errors: list[ReaderError] = field(default_factory=list)
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors


def check(
    path: str | Path,
    *,
    kind: SourceKind | None = None,
    ons_tables: tuple[str, ...] = ONS_TABLES,
    max_errors: int = 200,
    visit_for: Callable[[SourceKind], Callable[[Record], None]] | None = None,
) -> CheckReport:
    """Reads the whole file and reports every bad row rather than stopping at
    the first; also places every force name (Home Office) and area code (ONS)
    in the reference areas, so an unknown one is reported with its row.

    A wrong kind of file, a missing sheet or a missing column still raises:
    nothing past them can be read. ``visit_for``, when given, is called once
    with the kind of file found and returns a function that is handed every
    good record as it is read, so that a caller uses the file in the same pass.
    """
    path = Path(path)
    with _open(path) as workbook:
        found = _kind_of(workbook)
        if kind is not None and kind != found:
            raise WrongKindError(f"expected the {kind.title}, but this is the {found.title}")
        report = CheckReport(kind=found)

        def collect(error: ReaderError) -> None:
            if len(report.errors) < max_errors:
                report.errors.append(error)
            else:
                report.more_errors += 1

        placed: dict[str, str | None] = {}

        def place(force_name: str) -> str | None:
            # One look-up per distinct name; an unknown name raises each time.
            if force_name not in placed:
                placed[force_name] = areas.ons_code_for_force(force_name)
            return placed[force_name]

        if found is SourceKind.HOME_OFFICE_PFA:
            records: Iterator[Record] = _home_office_rows(workbook, collect, check_force=place)
        else:
            records = _ons_rows(workbook, collect, ons_tables, check_area=areas.area_by_code)
        visit = visit_for(found) if visit_for is not None else None
        for record in records:
            if visit is not None:
                visit(record)
            report.records += 1
            report.per_sheet[record.sheet] += 1
            if record.marker is not None:
                report.markers[record.marker] += 1
            if isinstance(record, HomeOfficeRecord) and placed[record.force_name] is None:
                report.non_territorial[record.force_name] += 1
        return report
