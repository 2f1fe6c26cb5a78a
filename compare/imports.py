"""Reading and checking population and most-similar-group CSV files.

An upload (or the command) is read whole first: the encoding, the header and
every row are checked, each problem reported with its line number, and
nothing is written unless every row is good (``compare.services`` writes).

Areas are named by slug, ONS code or name, as the figures upload accepts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Q

from measures.imports import MAX_UPLOAD_BYTES, Problem, UploadError, decode
from measures.models import Area, AreaKind

POPULATION_COLUMNS = ("area", "year", "population")
SIMILAR_GROUP_COLUMNS = ("force", "member")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Row:
    line: int  # the header is line 1
    cells: dict[str, str]


@dataclass
class Checked:
    """The rows read into values, or the problems that refuse the file."""

    values: list[tuple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def bad(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(line, column, message))


def _records(data: bytes) -> list[list[str]]:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"The file is too big: the limit is {MAX_UPLOAD_BYTES / 1024 / 1024:.1f} MB."
        )
    text = decode(data)
    if not text.strip():
        raise UploadError("The file is empty.")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise UploadError(f"This is not a readable CSV file ({error}).") from error
    if len(records) > MAX_ROWS:
        raise UploadError(f"The file has more than {MAX_ROWS:,} rows.")
    return records


def read_rows(data: bytes, columns: tuple[str, ...]) -> list[Row]:
    """The rows of a CSV file with ``columns``, or :class:`UploadError`."""
    records = _records(data)
    header = [name.strip().lower() for name in records[0]]
    missing = [name for name in columns if name not in header]
    if missing:
        raise UploadError(
            f"The first line must name the columns {', '.join(columns)}; "
            f"missing: {', '.join(missing)}."
        )
    places = {name: header.index(name) for name in columns}
    rows = [
        Row(number, {name: _cell(record, index) for name, index in places.items()})
        for number, record in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in record)
    ]
    if not rows:
        raise UploadError("The file has a header but no rows.")
    return rows


def _cell(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""


def area_lookup(names, *, kind: str | None = None) -> dict[str, Area]:
    """The areas these cells name, by slug, ONS code or name (any case): one query."""
    keys = {name.strip() for name in names if name.strip()}
    areas = Area.objects.filter(
        Q(slug__in=keys) | Q(ons_code__in={key.upper() for key in keys}) | Q(name__in=keys)
    )
    if kind:
        areas = areas.filter(kind=kind)
    found = {}
    for area in areas:
        for key in (area.slug, area.ons_code, area.name):
            if key:
                found[key.casefold()] = area
    return found


def _area(lookup, checked: Checked, row: Row, column: str, what: str) -> Area | None:
    name = row.cells[column]
    if not name:
        checked.bad(row.line, column, f"Name the {what}.")
        return None
    area = lookup.get(name.casefold())
    if area is None:
        checked.bad(row.line, column, f"“{name}” is not a known {what}.")
    return area


def _whole_number(checked: Checked, row: Row, column: str, low: int, high: int) -> int | None:
    text = row.cells[column]
    try:
        number = int(text)
    except ValueError:
        checked.bad(row.line, column, f"“{text}” is not a whole number (no commas or spaces).")
        return None
    if not low <= number <= high:
        checked.bad(row.line, column, f"{number} is not between {low:,} and {high:,}.")
        return None
    return number


def check_populations(rows: list[Row]) -> Checked:
    """Each row read as (area, year, population); unknown areas, numbers that
    are not, and an area's year given twice are problems."""
    checked = Checked()
    lookup = area_lookup(row.cells["area"] for row in rows)
    seen: dict[tuple, int] = {}
    for row in rows:
        area = _area(lookup, checked, row, "area", "area")
        year = _whole_number(checked, row, "year", 1900, 2100)
        population = _whole_number(checked, row, "population", 1, 2_000_000_000)
        if area is None or year is None or population is None:
            continue
        first = seen.setdefault((area.pk, year), row.line)
        if first != row.line:
            checked.bad(row.line, "area", f"{area} in {year} is already on line {first}.")
            continue
        checked.values.append((area, year, population))
    return checked


def check_similar_groups(rows: list[Row]) -> Checked:
    """Each row read as (force, member); unknown forces, a force in its own
    group, and a pair given twice are problems."""
    checked = Checked()
    lookup = area_lookup(
        [row.cells["force"] for row in rows] + [row.cells["member"] for row in rows],
        kind=AreaKind.POLICE_FORCE_AREA,
    )
    seen: dict[tuple, int] = {}
    for row in rows:
        force = _area(lookup, checked, row, "force", "police force area")
        member = _area(lookup, checked, row, "member", "police force area")
        if force is None or member is None:
            continue
        if force == member:
            checked.bad(row.line, "member", f"{force} cannot be in its own group.")
            continue
        first = seen.setdefault((force.pk, member.pk), row.line)
        if first != row.line:
            checked.bad(
                row.line, "member", f"{member} in {force}'s group is already on line {first}."
            )
            continue
        checked.values.append((force, member))
    return checked
