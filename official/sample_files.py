"""Files in the layouts of the Home Office and ONS police force area tables,
for the tests and the benchmark.

Every number in them is made up (a seeded random generator), and every file
says so on its cover sheet: they reproduce the publishers' *layouts* and
quirks, never their figures. The quirks, each checked by a test in
``tests/official/``:

Home Office (``build_home_office``, ``build_home_office_revision``,
``generate_full_home_office``): cover, contents and notes sheets before the
year sheets; year sheets named ``2012-13`` (older releases) and ``2024_25``
(recent ones); long format, one row per force, offence and quarter; rows for
British Transport Police, Action Fraud, CIFAS and UK Finance; the Home
Office's own force names (``London, City of``, ``Devon and Cornwall``);
``N/a`` where there is no count; an old sheet whose header repeats two
columns; offence codes as text (``4.10`` is not ``4.1``) and, in the old
sheet, a whole-number code stored as a number.

ONS (``build_ons``): cover, contents and notes sheets; ``Table P1``,
``Table P2``, ``Table P3`` and the trailing-space ``Table P6 `` and
``Table P8 ``; title and notes rows above a header row that starts
``Area Code``, ``Area Name``; ``[note n]`` markers and line breaks in headers
and area names; ``[x]`` where a value is suppressed; rows for England and
Wales, England, the regions, the force areas and Wales.

The offence codes for homicide are the Home Office Counting Rules' (1 murder,
4/1 manslaughter, 4/2 infanticide, 4/10 corporate manslaughter; written 4.1,
4.2, 4.10 in the tables). The other offences in the small files carry codes
from the same counting rules; the full-size generator pads the list with
codes ``S001``… that are plainly synthetic.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import areas
from .odswriter import OdsWriter

ILLUSTRATIVE = (
    "Illustrative file for tests: the layout of the published tables, with made-up "
    "numbers. These are not official statistics."
)


# --- Writing workbooks ------------------------------------------------------


def _rng(seed: int) -> random.Random:
    # Reproducible made-up numbers for test files, not secrets.
    return random.Random(seed)  # noqa: S311


def write_workbook(path: str | Path, sheets: Iterable[tuple[str, Iterable[Iterable]]]) -> Path:
    """Writes ``(sheet name, rows)`` pairs to ``path``: ODS or XLSX by its suffix.

    Both writers stream: rows are consumed one at a time and never held.
    """
    path = Path(path)
    if path.suffix == ".ods":
        with OdsWriter(path) as ods:
            for name, rows in sheets:
                ods.write_sheet(name, rows)
    elif path.suffix == ".xlsx":
        import openpyxl  # a development dependency: only tests and the benchmark write files

        book = openpyxl.Workbook(write_only=True)
        for name, rows in sheets:
            sheet = book.create_sheet(title=name)
            for row in rows:
                sheet.append(list(row))
        book.save(path)
    else:
        raise ValueError(f"write .ods or .xlsx, not {path.suffix!r}")
    return path


# --- The Home Office police force area tables -------------------------------

HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
]


@dataclass(frozen=True)
class Offence:
    code: str
    description: str
    group: str
    subgroup: str


VIOLENCE = "Violence against the person"

#: Homicide as the Home Office Counting Rules define it: murder (1),
#: manslaughter (4/1), infanticide (4/2), corporate manslaughter (4/10).
HOMICIDE_CODES = ("1", "4.1", "4.2", "4.10")
HOMICIDE = (
    Offence("1", "Murder", VIOLENCE, "Homicide"),
    Offence("4.1", "Manslaughter", VIOLENCE, "Homicide"),
    Offence("4.2", "Infanticide", VIOLENCE, "Homicide"),
    Offence("4.10", "Corporate manslaughter", VIOLENCE, "Homicide"),
)
SAMPLE_OFFENCES = (
    *HOMICIDE,
    Offence(
        "8F", "Inflicting grievous bodily harm without intent", VIOLENCE, "Violence with injury"
    ),
    Offence("39", "Theft from the person", "Theft offences", "Theft from the person"),
    Offence(
        "44", "Theft or unauthorised taking of a pedal cycle", "Theft offences", "Bicycle theft"
    ),
)
FRAUD_OFFENCE = Offence("NFIB90", "Other fraud", "Fraud offences", "Fraud")

#: The Home Office's names for the forces, as its tables write them.
HOME_OFFICE_FORCE_NAMES = tuple(area.home_office_names[0] for area in areas.police_force_areas())
FRAUD_BODIES = ("Action Fraud", "CIFAS", "UK Finance")
BRITISH_TRANSPORT_POLICE = "British Transport Police"


def sheet_name(start_year: int, *, old_style: bool) -> str:
    """``2012-13`` in older releases, ``2024_25`` in recent ones."""
    return f"{start_year}{'-' if old_style else '_'}{(start_year + 1) % 100:02d}"


def financial_year(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


Key = tuple[str, str, int, str]  # force name, financial year, quarter, offence code


@dataclass
class HomeOfficeSample:
    """What a builder wrote: ``counts[(force, year, quarter, code)]`` is the
    count written (None where it wrote ``N/a``), for the tests to check the
    reader against without reading the file."""

    path: Path
    sheets: list[str]
    counts: dict[Key, int | None] = field(default_factory=dict)
    revised: dict[Key, tuple[int | None, int | None]] = field(default_factory=dict)
    added: dict[Key, int | None] = field(default_factory=dict)
    non_territorial_rows: int = 0

    def total(self, codes: Iterable[str], *, forces=None, year=None, quarters=None) -> int:
        """The sum of the counts written for ``codes``, over ``forces`` (Home
        Office names; default every territorial force), a financial year and
        quarters; ``N/a`` counts nothing."""
        codes = set(codes)
        if forces is None:
            forces = set(HOME_OFFICE_FORCE_NAMES)
        return sum(
            count or 0
            for (force, fy, quarter, code), count in self.counts.items()
            if code in codes
            and force in forces
            and (year is None or fy == year)
            and (quarters is None or quarter in quarters)
        )


def _cover(title: str) -> list[list]:
    return [[title], [ILLUSTRATIVE], ["Source: generated for the tests"]]


def _draw(key: Key, line: int, overrides, na_every: int, rng: random.Random) -> int | None:
    """The count a builder writes: an override, ``N/a`` every ``na_every`` lines, or made up."""
    if overrides is not None and key in overrides:
        return overrides[key]
    if na_every and line % na_every == 0:
        return None
    return rng.randint(0, 3) if key[3] in HOMICIDE_CODES else rng.randint(0, 900)


def _sheet_row(year: str, quarter: int, force: str, offence: Offence, count, old_style: bool):
    code: str | int = offence.code
    if old_style and offence.code.isdigit():
        code = int(offence.code)  # a whole-number code stored as a number
    row = [
        year,
        quarter,
        force,
        offence.description,
        offence.group,
        offence.subgroup,
        code,
        "N/a" if count is None else count,
    ]
    if old_style:
        row += [force, code]  # the old sheet repeats two of its columns at the end
    return row


def _year_rows(
    start_year: int,
    quarters: Iterable[int],
    offences: tuple[Offence, ...],
    counts: dict[Key, int | None],
    rng: random.Random,
    *,
    old_style: bool,
    na_every: int,
    overrides: dict[Key, int | None] | None = None,
    sample: HomeOfficeSample,
) -> Iterator[list]:
    yield HEADER + (["Force Name", "Offence Code"] if old_style else [])
    year = financial_year(start_year)
    forces = (*HOME_OFFICE_FORCE_NAMES, BRITISH_TRANSPORT_POLICE, *FRAUD_BODIES)
    line = 0
    for quarter in quarters:
        for force in forces:
            for offence in (FRAUD_OFFENCE,) if force in FRAUD_BODIES else offences:
                key = (force, year, quarter, offence.code)
                line += 1
                count = counts[key] = _draw(key, line, overrides, na_every, rng)
                if force in areas.NON_TERRITORIAL_FORCE_NAMES:
                    sample.non_territorial_rows += 1
                yield _sheet_row(year, quarter, force, offence, count, old_style)


def build_home_office(
    path: str | Path,
    *,
    years: tuple[int, ...] = (2012, 2024),
    latest_quarters: tuple[int, ...] = (1, 2, 3),
    offences: tuple[Offence, ...] = SAMPLE_OFFENCES,
    seed: int = 1,
    na_every: int = 97,
    _overrides: dict[Key, int | None] | None = None,
) -> HomeOfficeSample:
    """A Home Office police force area file with a sheet for each financial
    year in ``years`` (start years). Every year but the last has four
    quarters; the last has ``latest_quarters``, as a release part-way through
    a year does. Years before 2016 get the old sheet style (``2012-13``, the
    repeated columns)."""
    rng = _rng(seed)
    path = Path(path)
    sample = HomeOfficeSample(path=path, sheets=[])
    counts: dict[Key, int | None] = {}

    def sheets():
        yield "Cover", _cover("Police recorded crime, police force area open data tables")
        yield (
            "Contents",
            [
                ["Sheet", "Contents"],
                *[[sheet_name(y, old_style=y < 2016), financial_year(y)] for y in years],
            ],
        )
        yield "Notes", [["Note number", "Note text"], ["1", "N/a: not available."]]
        for start_year in years:
            old_style = start_year < 2016
            name = sheet_name(start_year, old_style=old_style)
            sample.sheets.append(name)
            quarters = latest_quarters if start_year == years[-1] else (1, 2, 3, 4)
            yield (
                name,
                _year_rows(
                    start_year,
                    quarters,
                    offences,
                    counts,
                    rng,
                    old_style=old_style,
                    na_every=na_every,
                    overrides=_overrides,
                    sample=sample,
                ),
            )

    write_workbook(path, sheets())
    sample.counts = counts
    return sample


def build_home_office_revision(
    first: HomeOfficeSample,
    path: str | Path,
    *,
    revise: int = 12,
    seed: int = 2,
    years: tuple[int, ...] = (2012, 2024),
    offences: tuple[Offence, ...] = SAMPLE_OFFENCES,
) -> HomeOfficeSample:
    """The next release after ``first`` (built with the same ``years`` and
    ``offences``): the same rows, ``revise`` of them with a different count
    (homicide among them), and the latest year's next quarter added."""
    rng = _rng(seed)
    candidates = sorted(key for key, count in first.counts.items() if count is not None)
    homicides = [key for key in candidates if key[3] in HOMICIDE_CODES and key[0] != "CIFAS"]
    chosen = rng.sample(homicides, revise // 2) + rng.sample(candidates, revise - revise // 2)
    overrides = dict(first.counts)
    revised = {}
    for key in chosen:
        old = first.counts[key]
        new = old + rng.randint(1, 5)
        overrides[key] = new
        revised[key] = (old, new)
    latest = max(quarter for (_, fy, quarter, _) in first.counts if fy == financial_year(years[-1]))
    second = build_home_office(
        path,
        years=years,
        latest_quarters=tuple(range(1, latest + 2)),
        offences=offences,
        seed=seed,
        na_every=0,
        _overrides=overrides,
    )
    second.revised = revised
    second.added = {key: count for key, count in second.counts.items() if key not in first.counts}
    return second


def full_size_offences(count: int = 175) -> tuple[Offence, ...]:
    """The four homicide offences and ``count - 4`` synthetic ones."""
    synthetic = tuple(
        Offence(f"S{number:03d}", f"Synthetic offence {number}", "Synthetic offences", "Synthetic")
        for number in range(1, count - len(HOMICIDE) + 1)
    )
    return (*HOMICIDE, *synthetic)


def generate_full_home_office(
    path: str | Path, *, first_year: int = 2012, last_year: int = 2024, offences: int = 175
) -> HomeOfficeSample:
    """A full-size file in the Home Office layout: every force (and the
    non-territorial rows), ``offences`` offence codes, every quarter of the
    financial years ``first_year`` to ``last_year``: about 400,000 rows at
    the defaults (13 years, 4 quarters, 44 forces with 175 offences each,
    plus 3 fraud rows)."""
    return build_home_office(
        path,
        years=tuple(range(first_year, last_year + 1)),
        latest_quarters=(1, 2, 3, 4),
        offences=full_size_offences(offences),
        seed=7,
    )


# --- The ONS police force area data tables ----------------------------------


@dataclass
class OnsSample:
    """``values[(table, area code, header)]`` is what the builder wrote (None
    for a marker), headers without their note markers."""

    path: Path
    values: dict[tuple[str, str, str], int | float | None] = field(default_factory=dict)
    markers: dict[tuple[str, str, str], str] = field(default_factory=dict)


def _ons_areas() -> list[areas.AreaRow]:
    """England and Wales, England, the regions, the English force areas,
    Wales, then the Welsh force areas: the order of the published tables'
    blocks (the published tables list each region's forces under it)."""
    by_kind = {}
    for area in areas.areas():
        by_kind.setdefault(area.kind, []).append(area)
    countries = {area.ons_code: area for area in by_kind["country"]}
    forces = by_kind["police-force-area"]
    return [
        countries["K04000001"],
        countries["E92000001"],
        *by_kind["region"],
        *sorted((f for f in forces if f.parent_code == "E92000001"), key=lambda a: a.ons_name),
        countries["W92000004"],
        *sorted((f for f in forces if f.parent_code == "W92000004"), key=lambda a: a.ons_name),
    ]


ONS_COLUMNS = {
    "Table P1": [
        ("Total recorded crime (excluding fraud)\n[note 2]", "count"),
        ("Homicide [note 3]", "small"),
        ("Robbery", "count"),
        ("Theft from the person", "count"),
    ],
    "Table P2": [
        ("Total recorded crime (excluding fraud) [note 2]", "change"),
        ("Homicide [note 3]", "change"),
    ],
    "Table P3": [
        ("Mid-2023 population estimate [note 4]", "population"),
        ("Total recorded crime (excluding fraud)\n[note 2]", "rate"),
        ("Robbery", "rate"),
    ],
    "Table P6 ": [
        ("Apr 2022 to Mar 2023", "count"),
        ("Apr 2023 to Mar 2024", "count"),
        ("Apr 2024 to Mar 2025 [note 5]", "count"),
    ],
    "Table P8 ": [
        ("Apr 2022 to Mar 2023", "small"),
        ("Apr 2023 to Mar 2024", "small"),
        ("Apr 2024 to Mar 2025 [note 6]", "small"),
    ],
}
ONS_TITLES = {
    "Table P1": "Police recorded crime by offence group and police force area",
    "Table P2": "Percentage change in police recorded crime by offence group",
    "Table P3": "Police recorded crime rates per 1,000 population by police force area",
    "Table P6 ": "Police recorded offences involving a knife or sharp instrument",
    "Table P8 ": "Police recorded offences involving firearms",
}


def build_ons(path: str | Path, *, seed: int = 3) -> OnsSample:
    """An ONS police force area file (XLSX) with illustrative numbers. Counts
    for England and Wales and for England and Wales's countries are the sums
    of their force areas, as in the published tables; the regions' are
    made up."""
    from .readers import strip_note_markers

    rng = _rng(seed)
    path = Path(path)
    sample = OnsSample(path=path)
    rows_for = _ons_areas()
    forces = [a for a in rows_for if a.kind == "police-force-area"]

    def draw(kind: str):
        return {
            "count": lambda: rng.randint(50, 5000),
            "small": lambda: rng.randint(0, 40),
            "change": lambda: round(rng.uniform(-30, 30), 1),
            "population": lambda: rng.randint(10_000, 9_000_000),
            "rate": lambda: round(rng.uniform(20, 140), 1),
        }[kind]()

    def table(sheet: str) -> Iterator[list]:
        table_name = sheet.strip()
        yield [f"{table_name}: {ONS_TITLES[sheet]}, England and Wales, year ending March 2025"]
        yield ["This worksheet contains one table. Some cells refer to notes in the Notes sheet."]
        yield ["Source: illustrative numbers for tests (not official statistics)"]
        yield ["Units: see each column"]
        yield []
        headers = ONS_COLUMNS[sheet]
        yield ["Area Code", "Area Name\n[note 1]", *(header for header, _ in headers)]
        by_code: dict[str, list] = {}
        for area in forces:
            by_code[area.ons_code] = [draw(kind) for _, kind in headers]
        sums = {}
        for parent in ("K04000001", "E92000001", "W92000004"):
            members = [a for a in forces if parent == "K04000001" or a.parent_code == parent]
            sums[parent] = [
                sum(by_code[a.ons_code][i] for a in members)
                if kind in ("count", "small", "population")
                else draw(kind)
                for i, (_, kind) in enumerate(headers)
            ]
        for area in rows_for:
            if area.kind == "police-force-area":
                values = list(by_code[area.ons_code])
            elif area.ons_code in sums:
                values = sums[area.ons_code]
            else:
                values = [draw(kind) for _, kind in headers]
            name = area.ons_name
            if area.ons_code == "E23000034":
                name = "London, City of [note 7]"
                if table_name == "Table P3":
                    # Rates are suppressed for the City of London's small
                    # resident population.
                    values = [values[0], *["[x]"] * (len(values) - 1)]
            cells = []
            for (header, _), value in zip(headers, values, strict=True):
                key = (table_name, area.ons_code, strip_note_markers(header))
                if isinstance(value, str):
                    sample.values[key] = None
                    sample.markers[key] = value
                else:
                    sample.values[key] = value
                cells.append(value)
            yield [area.ons_code, name, *cells]

    def sheets():
        yield "Cover sheet", _cover("Crime in England and Wales: Police Force Area data tables")
        yield (
            "Contents",
            [["Worksheet", "Title"], *[[s.strip(), ONS_TITLES[s]] for s in ONS_COLUMNS]],
        )
        yield (
            "Notes",
            [["Note number", "Note text"], ["[note 1]", "Area names."], ["[x]", "Not available."]],
        )
        for sheet in ONS_COLUMNS:
            yield sheet, table(sheet)

    write_workbook(path, sheets())
    return sample
