"""From the rows of an official file to the values of figures: plain numbers,
no database.

Home Office rows are counts per force, offence and financial quarter. A
recipe adds up the counts of its offence codes for each force and quarter,
then over the recipe's periods: each quarter, each financial year, or the 12
months to the end of each quarter. England and Wales, England and Wales are
the sums of their force areas (the tables have no row for them; British
Transport Police and the national fraud bodies belong to no force area and
are left out, as the Home Office's own police force area totals leave them
out). A quarter counts for a force only when at least one of the recipe's
rows holds a number (``N/a`` adds nothing), and a period only when each of
its quarters counts; a country's quarter only when every one of its forces
counts.

ONS rows are one value per area and column; a column headed by a period
(``Apr 2023 to Mar 2024``) gives that period.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from . import areas
from .readers import HomeOfficeRecord, OnsRecord, strip_note_markers

Key = tuple[int, str, datetime.date, datetime.date]  # recipe id, ONS area code, start, end

#: The areas made of force areas: England and Wales, England, Wales.
COUNTRIES = ("K04000001", "E92000001", "W92000004")


@dataclass(frozen=True)
class HomeOfficeRecipe:
    pk: int
    codes: frozenset[str]
    aggregation: str  # an official.models.Aggregation value


@dataclass(frozen=True)
class OnsRecipe:
    pk: int
    table: str
    column: str  # "" for every column headed by a period


# --- Periods ----------------------------------------------------------------


def quarter_index(start_year: int, quarter: int) -> int:
    """Financial quarters numbered in a row: Q1 (April to June) of 2024/25 is 2024 * 4."""
    return start_year * 4 + quarter - 1


def quarter_dates(index: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a numbered financial quarter."""
    start_year, offset = divmod(index, 4)
    month = 4 + 3 * offset
    year = start_year + (month > 12)
    month = month - 12 if month > 12 else month
    end_month = month + 2
    last = calendar.monthrange(year, end_month)[1]
    return datetime.date(year, month, 1), datetime.date(year, end_month, last)


def periods(aggregation: str, quarters: set[int]) -> Iterable[tuple[tuple[int, ...], tuple]]:
    """Each period of ``aggregation`` that the file's ``quarters`` cover
    whole: (the quarters it adds up, (start, end))."""
    for last in sorted(quarters):
        if aggregation == "quarter":
            span = (last,)
        elif aggregation == "financial-year":
            if last % 4 != 3:
                continue  # a financial year ends with its fourth quarter
            span = tuple(range(last - 3, last + 1))
        else:
            span = tuple(range(last - 3, last + 1))
        if all(index in quarters for index in span):
            yield span, (quarter_dates(span[0])[0], quarter_dates(span[-1])[1])


_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}
_PERIOD_HEADER = re.compile(
    r"^\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\s+to\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\s*$"
)


def header_period(header: str) -> tuple[datetime.date, datetime.date] | None:
    """``Apr 2023 to Mar 2024`` → (1 April 2023, 31 March 2024); None for any other header."""
    match = _PERIOD_HEADER.match(strip_note_markers(header))
    if not match:
        return None
    first, last = _MONTHS.get(match.group(1).casefold()), _MONTHS.get(match.group(3).casefold())
    if first is None or last is None:
        return None
    start = datetime.date(int(match.group(2)), first, 1)
    end_year = int(match.group(4))
    end = datetime.date(end_year, last, calendar.monthrange(end_year, last)[1])
    return (start, end) if end >= start else None


# --- Home Office ------------------------------------------------------------


@dataclass
class HomeOfficeSums:
    """Adds up a Home Office file's rows, one record at a time (``add``), for
    every recipe at once; ``values()`` then gives every figure's value."""

    recipes: list[HomeOfficeRecipe]
    counts: dict = field(default_factory=lambda: defaultdict(int))
    counted: set = field(default_factory=set)  # (recipe, force code, quarter) with a number
    quarters: set = field(default_factory=set)  # every quarter the file has

    def __post_init__(self):
        self._by_code: dict[str, list[HomeOfficeRecipe]] = defaultdict(list)
        for recipe in self.recipes:
            for code in recipe.codes:
                self._by_code[code].append(recipe)
        self._forces: dict[str, str | None] = {}
        self._seen_years: dict[tuple[str, int], int] = {}

    def _force(self, name: str) -> str | None:
        if name not in self._forces:
            self._forces[name] = areas.ons_code_for_force(name)
        return self._forces[name]

    def add(self, record: HomeOfficeRecord) -> None:
        index = self._seen_years.get((record.financial_year, record.quarter))
        if index is None:
            index = quarter_index(record.start_year, record.quarter)
            self._seen_years[(record.financial_year, record.quarter)] = index
            self.quarters.add(index)
        recipes = self._by_code.get(record.offence_code)
        if not recipes:
            return
        force = self._force(record.force_name)
        if force is None:
            return  # British Transport Police, the fraud bodies: no force area
        for recipe in recipes:
            if record.count is not None:
                self.counts[(recipe.pk, force, index)] += record.count
                self.counted.add((recipe.pk, force, index))

    def _country_quarters(self) -> None:
        forces = {area.ons_code: area for area in areas.police_force_areas()}
        members = {
            country: [
                code
                for code, f in forces.items()
                if country == COUNTRIES[0] or f.parent_code == country
            ]
            for country in COUNTRIES
        }
        for recipe in self.recipes:
            for index in self.quarters:
                for country, codes in members.items():
                    if all((recipe.pk, code, index) in self.counted for code in codes):
                        self.counts[(recipe.pk, country, index)] = sum(
                            self.counts[(recipe.pk, code, index)] for code in codes
                        )
                        self.counted.add((recipe.pk, country, index))

    def values(self) -> dict[Key, Decimal]:
        self._country_quarters()
        by_recipe_area: dict[tuple[int, str], set[int]] = defaultdict(set)
        for recipe_pk, code, index in self.counted:
            by_recipe_area[(recipe_pk, code)].add(index)
        aggregation = {recipe.pk: recipe.aggregation for recipe in self.recipes}
        values: dict[Key, Decimal] = {}
        for (recipe_pk, code), counted in by_recipe_area.items():
            for span, (start, end) in periods(aggregation[recipe_pk], counted):
                total = sum(self.counts[(recipe_pk, code, index)] for index in span)
                values[(recipe_pk, code, start, end)] = Decimal(total)
        return values


# --- ONS --------------------------------------------------------------------


@dataclass
class OnsValues:
    """Takes an ONS file's values for every recipe, one record at a time."""

    recipes: list[OnsRecipe]
    found: dict[Key, Decimal] = field(default_factory=dict)
    suppressed: int = 0
    no_period: set = field(default_factory=set)  # (table, header) a recipe wanted, with no period

    def add(self, record: OnsRecord) -> None:
        for recipe in self.recipes:
            if recipe.table != record.table:
                continue
            if recipe.column and recipe.column.casefold() != record.header.casefold():
                continue
            period = header_period(record.header)
            if period is None:
                if recipe.column:
                    self.no_period.add((record.table, record.header))
                continue
            area = areas.area_by_code(record.area_code)
            if area is None or area.kind not in ("police-force-area", "country"):
                continue  # regions are not imported
            if record.value is None:
                self.suppressed += 1
                continue
            self.found[(recipe.pk, record.area_code, *period)] = record.value

    def values(self) -> dict[Key, Decimal]:
        return dict(self.found)
