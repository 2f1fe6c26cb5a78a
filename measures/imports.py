"""Reading and checking a figures CSV file, before anything is written.

``read_csv`` turns the bytes of an upload into rows, or refuses the whole
file with one clear reason (too big, not a CSV, an encoding we cannot read,
missing columns, empty). ``check_rows`` then checks every row against the
catalogue and the figure rules, and says for each whether it is new, changed
or unchanged, with every problem by line number and column. Writing is
``services.import_figures``'s job.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import python_calamine
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .checks import Limits, Period, check_value, previous_period
from .csvformat import (
    FIGURE_COLUMNS,
    FIGURE_ENTERED_COLUMNS,
    FIGURE_REQUIRED_COLUMNS,
    FORMULA_STARTS,
)
from .history import SINCE_PREVIEW, describe_version_change
from .models import Area, Figure, Measure
from .permissions import can_revise

# Larger than a few years of every measure for every area, small enough to
# keep in the session between the preview and the confirmation.
MAX_UPLOAD_BYTES = getattr(settings, "FIGURE_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)

TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0", ""}


class UploadError(Exception):
    """The whole file is refused, for one reason given in words."""


@dataclass(frozen=True)
class UploadRow:
    line: int  # the line number in the file, the header being line 1
    cells: dict[str, str]

    def as_json(self) -> list:
        return [self.line, self.cells]

    @classmethod
    def from_json(cls, data) -> UploadRow:
        line, cells = data
        return cls(line=int(line), cells={str(k): str(v) for k, v in cells.items()})


@dataclass(frozen=True)
class Problem:
    line: int  # 0 for the file as a whole
    column: str
    message: str

    def __str__(self):
        where = f"line {self.line}" if self.line else "file"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass
class CheckedRow:
    """One row of an upload as the checks go through it: its cells read into
    values (with any problems), then the figure it would save, the figure it
    changes, and how."""

    row: UploadRow
    measure: Measure | None
    area: Area | None
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    figure: Figure | None = None  # the figure as it would be saved (the existing one, updated)
    existing: Figure | None = None
    kind: str = ""  # new / changed / unchanged
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    # What the entry checks (``measures.checks``) say about its value.
    value_warnings: list = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.row.line

    def bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message))

    @property
    def pair(self) -> tuple[int, int] | None:
        return (self.measure.pk, self.area.pk) if self.measure and self.area else None

    @property
    def key(self) -> tuple | None:
        """The figure the row is about: its measure, area and period."""
        if self.pair is None or not {"period_start", "period_end"} <= self.values.keys():
            return None
        return (*self.pair, self.values["period_start"], self.values["period_end"])

    @property
    def version(self) -> int:
        return self.existing.version if self.existing else 0

    @property
    def change_lines(self) -> list[str]:
        return [f"{name}: {display(old)} → {display(new)}" for name, old, new in self.changes]


@dataclass
class ImportResult:
    """What an import found and, unless it was refused or a dry run, wrote."""

    rows: list = field(default_factory=list)  # CheckedRow, in file order
    errors: list = field(default_factory=list)  # Problem
    warnings: list = field(default_factory=list)  # Problem
    written: bool = False
    published: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def _kind(self, kind):
        return [row for row in self.rows if row.kind == kind]

    @property
    def new(self):
        return self._kind("new")

    @property
    def changed(self):
        return self._kind("changed")

    @property
    def unchanged(self):
        return self._kind("unchanged")

    @property
    def value_warnings(self) -> list:
        """The rows whose values the entry checks warn about: the upload
        is saved only once the person confirms them."""
        return [row for row in self.rows if row.value_warnings]

    @property
    def revisions(self) -> list:
        """The rows that change a published value: public revisions, which
        need a reason."""
        return [
            row
            for row in self.changed
            if row.existing.is_published and row.existing.value != row.figure.value
        ]

    @property
    def to_save(self) -> int:
        return len(self.new) + len(self.changed)

    def summary(self) -> str:
        text = (
            f"{len(self.new)} new, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged; {len(self.errors)} errors, "
            f"{len(self.warnings)} warnings."
        )
        if self.errors:
            return text + " Nothing was written."
        if self.written:
            extra = f" {self.published} published." if self.published else ""
            return text + " Saved." + extra
        return text + " Nothing written yet."


def display(value) -> str:
    """A value as a person reads it in a preview."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


# More columns than any figures file needs: refused before any work on them.
MAX_COLUMNS = len(FIGURE_COLUMNS) + 20


SAVE_AS = (
    "In Excel, choose File → Save As and the type “CSV UTF-8 (Comma delimited)” (or "
    "“Excel Workbook (.xlsx)”), then upload that file."
)


def _is_utf16(data: bytes) -> bool:
    """A UTF-16 file (Excel's “Unicode Text”): its byte order mark, or the
    NUL byte beside each letter of plain text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    start = data[:200]
    return len(start) >= 4 and (
        start[1::2].count(0) == len(start[1::2]) or start[0::2].count(0) == len(start[0::2])
    )


def decode(data: bytes) -> str:
    """UTF-8 with or without a byte order mark, else Windows-1252 (what Excel saves)."""
    if data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        raise UploadError(
            "This is a spreadsheet file of a kind this upload does not read (an old .xls or "
            "an .ods). " + SAVE_AS
        )
    if _is_utf16(data):
        raise UploadError(
            "This file is saved as UTF-16 (what Excel calls “Unicode Text”), which this upload "
            "does not read. Save it as “CSV UTF-8” and try again: " + SAVE_AS
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        # Anywhere in the file: no text holds one, and no database takes one.
        line = data.count(b"\n", 0, nul) + 1
        raise UploadError(
            f"This is not a CSV file: it holds binary data (a NUL byte, on line {line}). "
            "Save it as “CSV UTF-8” and try again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UploadError(
            "The file's characters cannot be read: save it as “CSV UTF-8” and try again."
        ) from error


@dataclass(frozen=True)
class _Record:
    """One record of the file, with the lines it spans (one, unless a quoted
    cell holds a line break)."""

    first_line: int
    last_line: int
    cells: list[str]


def read_csv(data: bytes, *, max_bytes: int | None = None) -> list[UploadRow]:
    """The rows of a figures CSV file (or of an Excel workbook's first sheet),
    or :class:`UploadError` for the whole file.

    In turn: its size, its characters (``decode``), its records, its header
    (``_known_columns``), a quote left open (``_refuse_open_quotes``), then
    the rows, each with its line number in the file.
    """
    limit = MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    _refuse_too_big(data, limit)
    if is_xlsx(data):
        header, records = workbook_records(data, limit)
    else:
        text = decode(data)
        if not text.strip():
            raise UploadError("The file is empty.")
        header, records = _records(text)
    known = _known_columns(header)
    _refuse_open_quotes(records, len(header))
    rows = [
        UploadRow(
            line=record.first_line,
            cells={name: _cell(record.cells, index) for index, name in known},
        )
        for record in records
        # Blank lines, often at the end of a spreadsheet's export, are skipped.
        if any(cell.strip() for cell in record.cells)
    ]
    if not rows:
        raise UploadError("The file has a header but no figures.")
    return rows


# An .xlsx is a zip of XML: at most this many bytes once unpacked, so that a
# small file cannot unpack into gigabytes.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024


def is_xlsx(data: bytes) -> bool:
    """An Excel workbook (.xlsx): a zip with a workbook part."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _cell_text(value) -> str:
    """A workbook cell as the CSV would hold it: a date in ISO form, a number
    plainly (1234, not 1234.0), true or false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float | int):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def workbook_records(data: bytes, limit: int) -> tuple[list[str], list[_Record]]:
    """The header and records of an .xlsx file's first sheet, each with its
    row number in the sheet; refused if it would unpack, or its cells add
    up, to more than a CSV file may hold."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(item.file_size for item in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise UploadError("This workbook is too big once unpacked. " + SAVE_AS)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, IndexError, ValueError) as error:
        raise UploadError(f"This workbook cannot be read ({error}). " + SAVE_AS) from None
    cells = [[_cell_text(value) for value in row] for row in rows]
    skipped = 0  # empty rows above the header
    while cells and not any(cell.strip() for cell in cells[0]):
        cells.pop(0)
        skipped += 1
    if not cells:
        raise UploadError("The workbook's first sheet is empty.")
    if sum(len(cell) + 1 for row in cells for cell in row) > limit:
        raise UploadError(
            f"The workbook holds more than {limit / 1024 / 1024:.1f} MB of figures: split it "
            "into several files."
        )
    header, *body = cells
    first = skipped + 2  # the sheet's rows count from 1, and the header is the first
    return header, [_Record(first + n, first + n, row) for n, row in enumerate(body)]


def _refuse_too_big(data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise UploadError(
            f"The file is too big ({len(data) / 1024 / 1024:.1f} MB): the limit is "
            f"{limit / 1024 / 1024:.1f} MB. Split it into several files."
        )


def _records(text: str) -> tuple[list[str], list[_Record]]:
    """The header and the records after it, each with the lines it spans."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    try:
        header = next(reader)
        first = reader.line_num + 1
        for cells in reader:
            records.append(_Record(first, reader.line_num, cells))
            first = reader.line_num + 1
    except csv.Error as error:
        raise UploadError(f"This is not a readable CSV file ({error}).") from error
    return header, records


def _known_columns(header: list[str]) -> list[tuple[int, str]]:
    """Where each figure column is, by its index; refuses a header without
    the required columns, with one repeated, or with far too many."""
    if len(header) > MAX_COLUMNS:
        raise UploadError(
            f"The file has {len(header):,} columns: a figures file has at most "
            f"{MAX_COLUMNS} (the figure columns and a few of your own)."
        )
    columns = [name.strip().lower() for name in header]
    missing = [name for name in FIGURE_REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise UploadError(
            "The first line must name the columns; missing: "
            + ", ".join(missing)
            + "."
            + _separator_hint(header)
        )
    repeated = sorted(name for name, count in Counter(columns).items() if name and count > 1)
    if repeated:
        raise UploadError("These columns appear more than once: " + ", ".join(repeated) + ".")
    return [(index, name) for index, name in enumerate(columns) if name in FIGURE_COLUMNS]


def _separator_hint(header: list[str]) -> str:
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        return " The columns seem to be separated by semicolons or tabs: use commas."
    return ""


def _refuse_open_quotes(records: list[_Record], width: int) -> None:
    """Refuse a quote left open, which would swallow the lines after it into one cell.

    A quoted cell may hold line breaks (a note of two paragraphs, say), so a
    record over several lines is not wrong in itself. It is when one of the
    lines it swallowed reads as a row of its own: as many commas as the
    header has, or at least as many as the required columns need.
    """
    commas = min(width, len(FIGURE_REQUIRED_COLUMNS)) - 1
    for record in records:
        if record.last_line == record.first_line:
            continue
        swallowed = (
            line
            for cell in record.cells
            for line in cell.splitlines()[1:]
            if line.count(",") >= commas
        )
        if next(swallowed, None) is not None:
            raise UploadError(
                f'Line {record.first_line} opens a quote (") that is not closed until '
                f"line {record.last_line}, so the lines in between would be read as one "
                'cell. Close the quote, or write it twice ("") inside a cell, and '
                "upload the file again; a spreadsheet that saves the file as “CSV UTF-8” "
                "writes its quotes correctly."
            )


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _text(value: str) -> str:
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


# A UK date, as a spreadsheet saves one: 31/03/2024 (or 1/4/2024).
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _parse_date(value: str) -> datetime.date:
    """An ISO date (2024-03-31) or a UK one (31/03/2024): day first, never
    the American month first."""
    text = value.strip()
    try:
        uk = UK_DATE.fullmatch(text)
        if uk:
            day, month, year = (int(part) for part in uk.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"“{value}” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY, e.g. 2024-03-31 "
            "or 31/03/2024."
        ) from None


# A number with commas between its thousands, as a spreadsheet writes it: 1,234.5.
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def _parse_decimal(value: str) -> Decimal | None:
    value = value.strip()
    if value == "":
        return None
    if THOUSANDS.fullmatch(value):
        value = value.replace(",", "")
    try:
        number = Decimal(value)
    except InvalidOperation:
        hint = (
            " (no units; commas only between thousands)" if any(c in value for c in ",%£ ") else ""
        )
        raise ValueError(f"“{value}” is not a number{hint}.") from None
    if not number.is_finite():
        raise ValueError(f"“{value}” is not a number.")
    return number


def _parse_bool(value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"“{value}” is not true or false (write true/false, yes/no or 1/0).")


def _lookups(rows: list[UploadRow]) -> tuple[dict, dict]:
    """The measures and areas the rows name, by what they were named with,
    lower-cased: a measure's slug or name, an area's slug, ONS code or name
    (each exact, whatever the case). A name two areas share is ambiguous,
    and maps to None."""
    measure_keys = {row.cells.get("measure", "").strip().lower() for row in rows} - {""}
    area_keys = {row.cells.get("area", "").strip().lower() for row in rows} - {""}
    measures, areas = {}, {}
    found = Measure.objects.select_related("data_source").annotate(
        key_slug=Lower("slug"), key_name=Lower("name")
    )
    for measure in found.filter(Q(key_slug__in=measure_keys) | Q(key_name__in=measure_keys)):
        measures.setdefault(measure.key_name, measure)
        measures[measure.key_slug] = measure  # a slug wins over a name
    found = Area.objects.annotate(
        key_slug=Lower("slug"), key_code=Lower("ons_code"), key_name=Lower("name")
    ).filter(Q(key_slug__in=area_keys) | Q(key_code__in=area_keys) | Q(key_name__in=area_keys))
    by_name = defaultdict(list)
    for area in found:
        by_name[area.key_name].append(area)
    for name, named in by_name.items():
        areas[name] = named[0] if len(named) == 1 else None
    for area in found:
        areas[area.key_slug] = area
        if area.key_code:
            areas[area.key_code] = area
    return measures, areas


def _existing(pairs):
    """Every figure of the (measure, area) pairs in the file, in one query."""
    if not pairs:
        return {}
    measure_ids = {measure_id for measure_id, _ in pairs}
    area_ids = {area_id for _, area_id in pairs}
    found = defaultdict(list)
    for figure in Figure.objects.filter(measure_id__in=measure_ids, area_id__in=area_ids):
        if (figure.measure_id, figure.area_id) in pairs:
            found[(figure.measure_id, figure.area_id)].append(figure)
    return found


# How each column's cell is read; a column the file leaves out keeps an
# existing figure's value, but the required ones must be there.
PARSERS = (
    ("period_start", _parse_date),
    ("period_end", _parse_date),
    ("value", _parse_decimal),
    ("lower", _parse_decimal),
    ("upper", _parse_decimal),
    ("provisional", _parse_bool),
    ("series_break", _parse_bool),
)


def _parse(row: UploadRow, measures: dict, areas: dict) -> CheckedRow:
    """Step 1: the row's measure and area found, its cells read, each problem noted."""
    cells = row.cells
    measure_key, area_key = cells.get("measure", "").strip(), cells.get("area", "").strip()
    parsed = CheckedRow(row, measures.get(measure_key.lower()), areas.get(area_key.lower()))
    if not measure_key:
        parsed.bad("measure", "The measure is missing.")
    elif parsed.measure is None:
        parsed.bad(
            "measure",
            f"Unknown measure “{measure_key}”: use a measure's name or slug, as the upload "
            "page lists them.",
        )
    if not area_key:
        parsed.bad("area", "The area is missing.")
    elif area_key.lower() in areas and parsed.area is None:
        parsed.bad("area", f"More than one area is called “{area_key}”: use its slug or ONS code.")
    elif parsed.area is None:
        parsed.bad(
            "area",
            f"Unknown area “{area_key}”: use an area's name, slug or ONS code, as the upload "
            "page lists them.",
        )
    for column, parse in PARSERS:
        required = column in FIGURE_REQUIRED_COLUMNS
        if column not in cells and not required:
            continue  # not in the file: an existing figure keeps its value
        raw = cells.get(column, "")
        if required and not raw.strip():
            parsed.bad(column, f"The {column.replace('_', ' ')} is missing.")
            continue
        try:
            parsed.values[column] = parse(raw)
        except ValueError as error:
            parsed.bad(column, str(error))
    for column in ("note", "source_url"):
        if column in cells:
            parsed.values[column] = _text(cells[column])
    return parsed


def _series(existing: dict, parsed: list[CheckedRow]) -> dict:
    """Every period's value, from the database and then the file, by measure
    and area: what the outlier warning compares a value with."""
    series = defaultdict(dict)
    for pair, figures in existing.items():
        for figure in figures:
            key = (figure.period_start, figure.period_end)
            series[pair][key] = Period(*key, figure.value)
    for item in parsed:
        if item.key is not None and "value" in item.values:
            series[item.pair][item.key[2:]] = Period(*item.key[2:], item.values["value"])
    return series


def _find(item: CheckedRow, existing: dict, seen: dict) -> Figure | None:
    """Step 2: the figure the row changes, if there is one; a second row for
    the same figure is a problem."""
    key = item.key
    if key is None:
        return None
    if key in seen:
        item.bad(
            "period_end", f"Duplicate row: line {seen[key]} has the same measure, area and period."
        )
    else:
        seen[key] = item.line
    for candidate in existing.get(item.pair, []):
        if (candidate.period_start, candidate.period_end) == key[2:]:
            return candidate
    return None


def _compare(item: CheckedRow, figure: Figure, found: Figure | None) -> None:
    """Step 3: new, changed (and how) or unchanged."""
    item.figure, item.existing = figure, found
    if found is not None:
        for name in FIGURE_ENTERED_COLUMNS:
            old, new = getattr(found, name), getattr(figure, name)
            if old != new:
                item.changes.append((name, old, new))
    item.kind = "new" if found is None else ("changed" if item.changes else "unchanged")


def _moved_since_preview(checked: CheckedRow, expected: int) -> Problem | None:
    """Step 4, at the confirmation: a figure that moved on since the preview."""
    change = describe_version_change(checked.existing, expected, since=SINCE_PREVIEW)
    if not change:
        return None
    return Problem(checked.line, "", change + " Upload the file again.")


def _revision(checked: CheckedRow, user) -> tuple[Problem | None, Problem | None]:
    """Step 5: a change to a published figure is refused for data entry, and a
    warning for a publisher (it makes a public revision)."""
    found = checked.existing
    if found is None or not found.is_published or not checked.changes:
        return None, None
    if not can_revise(user):
        column = checked.changes[0][0]
        return Problem(
            checked.line, column, "This figure is published: only a publisher can change it."
        ), None
    return None, Problem(
        checked.line,
        "value",
        f"Published figure: saving makes a public revision (previously {found.value}).",
    )


def check_rows(rows: list[UploadRow], *, user, expected_versions: dict[int, int] | None = None):
    """Check every row; returns an ``ImportResult`` with nothing written.

    Each row is read (``_parse``), matched with the figure it changes
    (``_find``), validated as that figure would be saved, compared with it
    (``_compare``), checked against the preview's versions and the user's
    permission, and warned about if it looks like a slip.
    """
    result = ImportResult()
    result.errors.extend(_binary_cells(rows))
    if result.errors:
        return result
    measures, areas = _lookups(rows)
    parsed = [_parse(row, measures, areas) for row in rows]
    existing = _existing({item.pair for item in parsed if item.pair})
    series = _series(existing, parsed)
    seen: dict[tuple, int] = {}
    today = timezone.localdate()
    for item in parsed:
        found = _find(item, existing, seen)
        if not item.problems and item.pair:
            figure = _build(found, item.measure, item.area, item.values)
            item.problems.extend(_validate(figure, item.line))
        if item.problems:
            result.errors.extend(item.problems)
            continue
        _compare(item, figure, found)
        refused, warning = None, None
        if expected_versions is not None:
            # Every row was previewed: a row without a version is one the
            # preview did not show, so its figure counts as not seen.
            refused = _moved_since_preview(item, expected_versions.get(item.line, 0))
        if refused is None:
            refused, warning = _revision(item, user)
        if refused is not None:
            result.errors.append(refused)
            continue
        if warning is not None:
            result.warnings.append(warning)
        _warn(result, item, series, today)
        result.rows.append(item)
    return result


def _binary_cells(rows: list[UploadRow]) -> list[Problem]:
    """Cells with a NUL byte, which no database takes: ``read_csv`` refuses
    them in a file, and this in the rows a confirmation brings back."""
    return [
        Problem(row.line, column, "This cell holds binary data (a NUL byte): remove it.")
        for row in rows
        for column, value in row.cells.items()
        if "\x00" in value
    ]


def _build(found: Figure | None, measure, area, values) -> Figure:
    if found is None:
        figure = Figure()
    else:
        # A copy, so that the existing figure keeps its old values for the preview.
        figure = Figure(
            **{f.attname: getattr(found, f.attname) for f in Figure._meta.concrete_fields}
        )
        figure._state.adding = False
        figure._state.db = found._state.db
    figure.measure = measure
    figure.unit = measure.unit
    figure.area = area
    figure.period_start = values["period_start"]
    figure.period_end = values["period_end"]
    figure.value = values["value"]
    # A column the file leaves out keeps the existing figure's value (or the default).
    for name in ("lower", "upper", "provisional", "series_break", "note", "source_url"):
        if name in values:
            setattr(figure, name, values[name])
    return figure


def _validate(figure: Figure, line: int) -> list[Problem]:
    # Figure.clean() says every check constraint's rule in words, so the
    # database round trip of validate_constraints would add nothing per row;
    # the constraints still guard the write. The measure and area were just
    # read from the database: checking that they exist would cost two
    # queries a row.
    try:
        figure.full_clean(
            exclude=["measure", "area"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        problems = []
        for name, messages in error.message_dict.items():
            column = "" if name == NON_FIELD_ERRORS else name
            for message in messages:
                problems.append(Problem(line, column, message))
        return problems
    return []


def _warn(result, item: CheckedRow, series, today) -> None:
    figure = item.figure
    if figure.period_end > today:
        result.warnings.append(
            Problem(
                item.line, "period_end", f"The period ends in the future ({figure.period_end})."
            )
        )
    previous = previous_period(
        series[(figure.measure_id, figure.area_id)].values(),
        figure.period_start,
        figure.period_end,
    )
    # A new figure, or a new value: a row that only corrects a note was
    # checked when its value was entered.
    changed = {name for name, _, _ in item.changes}
    if item.existing is not None and not changed & {"value", "series_break"}:
        return
    item.value_warnings = check_value(
        figure.value,
        Limits.of(figure.measure),
        previous=previous,
        series_break=figure.series_break,
    )
    result.warnings.extend(
        Problem(item.line, "value", warning.message) for warning in item.value_warnings
    )
