"""Force against force, on plain values: no ORM, no formatting.

Given every force's figure of one measure for one period (and each force's
population), this works out each force's rate per 1,000 people with its 95%
interval from its count (``measures.stats.poisson.rate_interval``), the funnel
plot around the England and Wales rate with 95% and 99.8% limits adjusted
for over-dispersion when the data call for it (``measures.stats.funnel``),
the most similar group's rate, and which forces cannot be compared and why.

Only figures of the same period and definition are compared: a force whose
figure for the period starts a new series (a series break) is listed as not
comparable, and a force with no figure, or no population, is listed as
missing. None is dropped.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext

from measures.formatting import COUNT
from measures.stats.funnel import (
    Funnel,
    FunnelLimits,
    FunnelPoint,
    Position,
    Unit,
    funnel,
    funnel_limits,
)
from measures.stats.poisson import rate_interval

PER = 1000  # rates per 1,000 people
# A rare event (homicides: about 0.01 per 1,000 people) reads better per
# 100,000: below this many per 1,000 in England and Wales, rates are given so.
RARE_BELOW = 0.1
RARE_PER = 100_000


class Missing(enum.StrEnum):
    NO_FIGURE = "no-figure"
    SERIES_BREAK = "series-break"
    NO_POPULATION = "no-population"
    NOT_A_COUNT = "not-a-count"

    @property
    def label(self) -> str:
        return {
            Missing.NO_FIGURE: gettext("No figure for this period"),
            Missing.SERIES_BREAK: gettext(
                "Not comparable: a new definition starts in this period (series break)"
            ),
            Missing.NO_POPULATION: gettext("No population estimate to work out a rate"),
            Missing.NOT_A_COUNT: gettext("Not a whole count, so no rate can be worked out"),
        }[self]


@dataclass(frozen=True)
class Observed:
    """One area's figure for the period, and its population (None if unknown)."""

    area_id: int
    name: str
    value: Decimal | None  # None: no figure
    lower: Decimal | None = None
    upper: Decimal | None = None
    series_break: bool = False
    population: int | None = None
    slug: str = ""


@dataclass(frozen=True)
class ForceResult:
    area_id: int
    name: str
    value: Decimal
    rate: float  # per 1,000 people for a count measure; the value itself otherwise
    population: int | None
    in_group: bool
    is_focus: bool
    slug: str = ""
    # The force's point of the funnel plot (its limits and calls), worked out
    # when first read (``position_95``, ``position_998``, ``limits``): exact
    # Poisson limits cost four quantiles, and a force's own page shows only
    # its own point. None when no funnel could be drawn.
    funnel: Funnel | None = None
    funnel_index: int | None = None  # the force's place among the funnel's units
    # A count's rate interval comes from the count, worked out when first read
    # (``lower``, ``upper``): it costs two gamma quantiles, and a force's own
    # page ranks every force for every measure without showing one.
    per: int | None = None  # a count's rate multiplier; None when not a count
    published_lower: Decimal | None = None  # otherwise the published bounds
    published_upper: Decimal | None = None

    @cached_property
    def _interval(self) -> tuple[float | None, float | None]:
        if self.per is not None:
            interval = rate_interval(int(self.value), self.population, per=self.per)
            return interval.lower, interval.upper
        lower, upper = self.published_lower, self.published_upper
        return (
            float(lower) if lower is not None else None,
            float(upper) if upper is not None else None,
        )

    @cached_property
    def _point(self) -> FunnelPoint | None:
        return self.funnel.point(self.funnel_index) if self.funnel is not None else None

    @property
    def position_95(self) -> Position | None:
        return self._point.position_95 if self._point else None

    @property
    def position_998(self) -> Position | None:
        return self._point.position_998 if self._point else None

    @property
    def limits(self) -> FunnelLimits | None:
        return self._point.limits if self._point else None

    @property
    def lower(self) -> float | None:
        return self._interval[0]

    @property
    def upper(self) -> float | None:
        return self._interval[1]


@dataclass(frozen=True)
class MissingForce:
    area_id: int
    name: str
    reason: Missing
    in_group: bool
    is_focus: bool
    slug: str = ""


@dataclass(frozen=True)
class Comparison:
    unit: str
    per_population: bool  # rates per ``per`` people worked out from counts
    per: int  # 1,000 or, for a rare event, 100,000 (1 when not per population)
    results: tuple[ForceResult, ...]  # lowest rate first
    missing: tuple[MissingForce, ...]
    national_rate: float | None  # England and Wales
    national_from_forces: bool  # no England and Wales figure: the forces' pooled rate
    group_rate: float | None  # the most similar group, the focus force included
    group_size: int  # forces in the group with a rate, the focus included
    funnel: Funnel | None

    @property
    def focus(self) -> ForceResult | None:
        return next((r for r in self.results if r.is_focus), None)

    @property
    def has_group(self) -> bool:
        return self.group_size > 0


def population_year(start: datetime.date, end: datetime.date) -> int:
    """The mid-year estimate a period's rate is worked out with: the last
    30 June on or before the period's middle day (for April 2023 to March
    2024, mid-2023; for a calendar year, the middle of that year)."""
    middle = start + (end - start) / 2
    return middle.year if middle >= datetime.date(middle.year, 6, 30) else middle.year - 1


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _reason(row: Observed, unit: str) -> Missing | None:
    if row.value is None:
        return Missing.NO_FIGURE
    if row.series_break:
        return Missing.SERIES_BREAK
    if unit == COUNT and row.population is None:
        return Missing.NO_POPULATION
    if unit == COUNT and not _whole(row.value):
        return Missing.NOT_A_COUNT
    return None


def _national_rate(national: Observed | None, unit: str, per: int) -> float | None:
    if national is None or _reason(national, unit) is not None:
        return None
    if unit == COUNT:
        return float(national.value) / national.population * per
    return float(national.value)


def _pooled(rows: Sequence[Observed], per: int) -> float | None:
    people = sum(row.population for row in rows)
    return float(sum(row.value for row in rows)) / people * per if people else None


def choose_per(national: Observed | None, comparable: Sequence[Observed]) -> int:
    """Per 1,000 people, or per 100,000 for a rare event."""
    rate = _national_rate(national, COUNT, PER) or _pooled(comparable, PER)
    return RARE_PER if rate is not None and rate < RARE_BELOW else PER


def _group_rate(rows: Sequence[Observed], unit: str, per: int) -> float | None:
    if not rows:
        return None
    if unit == COUNT:
        return _pooled(rows, per)
    # A percentage or rate given as such has no counts to add up: the plain mean.
    return float(sum(row.value for row in rows)) / len(rows)


def _result(row, unit, per, drawn, index, in_group, is_focus) -> ForceResult:
    counted = unit == COUNT
    return ForceResult(
        area_id=row.area_id,
        name=row.name,
        value=row.value,
        rate=float(row.value) / row.population * per if counted else float(row.value),
        per=per if counted else None,
        published_lower=None if counted else row.lower,
        published_upper=None if counted else row.upper,
        population=row.population,
        funnel=drawn,
        funnel_index=index if drawn is not None else None,
        in_group=in_group,
        is_focus=is_focus,
        slug=row.slug,
    )


def _missing(forces, unit, focus_id, group_ids) -> tuple[MissingForce, ...]:
    found = []
    for row in forces:
        reason = _reason(row, unit)
        if reason is not None:
            found.append(
                MissingForce(
                    row.area_id,
                    row.name,
                    reason,
                    row.area_id in group_ids,
                    row.area_id == focus_id,
                    row.slug,
                )
            )
    return tuple(found)


def _draw(comparable: Sequence[Observed], unit: str, national_rate: float | None, per: int):
    """The funnel plot of a count measure around England and Wales's rate."""
    if unit != COUNT or not comparable or not national_rate:
        return None
    return funnel(
        [Unit(str(row.area_id), int(row.value), row.population) for row in comparable],
        target_rate=national_rate,
        per=per,
    )


def compare_forces(
    *,
    unit: str,
    forces: Sequence[Observed],
    national: Observed | None,
    focus_id: int | None = None,
    group_ids: frozenset[int] = frozenset(),
) -> Comparison:
    """Every force of ``forces`` compared; ``group_ids`` are the focus force's
    most similar group (without the focus force itself)."""
    comparable = [row for row in forces if _reason(row, unit) is None]
    per = choose_per(national, comparable) if unit == COUNT else 1
    national_rate = _national_rate(national, unit, per)
    national_from_forces = national_rate is None and unit == COUNT and bool(comparable)
    if national_from_forces:
        national_rate = _pooled(comparable, per)
    # The funnel's units are ``comparable``, in its order.
    drawn = _draw(comparable, unit, national_rate, per)
    results = sorted(
        (
            _result(
                row,
                unit,
                per,
                drawn,
                index,
                row.area_id in group_ids,
                row.area_id == focus_id,
            )
            for index, row in enumerate(comparable)
        ),
        key=lambda r: (r.rate, r.name),
    )
    in_group = group_ids | ({focus_id} if group_ids else set())
    grouped = [row for row in comparable if row.area_id in in_group]
    return Comparison(
        unit=unit,
        per_population=unit == COUNT,
        per=per,
        results=tuple(results),
        missing=_missing(forces, unit, focus_id, group_ids),
        national_rate=national_rate,
        national_from_forces=national_from_forces,
        group_rate=_group_rate(grouped, unit, per),
        group_size=len(grouped),
        funnel=drawn,
    )


def funnel_curve(drawn: Funnel, *, steps: int = 40) -> list[tuple[float, FunnelLimits]]:
    """The limits at populations spread evenly (on a log scale) from a little
    below the smallest force to a little above the largest, for the plot's lines."""
    tau2 = drawn.tau2
    low = min(p.population for p in drawn.points) * 0.8
    high = max(p.population for p in drawn.points) * 1.1
    ratio = (high / low) ** (1 / steps)
    populations = [low * ratio**i for i in range(steps + 1)]
    return [(n, funnel_limits(n, drawn.target_rate, per=drawn.per, tau2=tau2)) for n in populations]


@dataclass(frozen=True)
class PeriodChoice:
    start: datetime.date
    end: datetime.date
    forces: int  # how many forces have a published figure for it


def default_period(
    periods: Sequence[PeriodChoice], baseline_days: int, slack_days: int
) -> PeriodChoice | None:
    """The period a comparison opens on: among periods as long as the
    measure's baseline (if it has any such), the latest of those with figures
    for the most forces."""
    same = [p for p in periods if abs((p.end - p.start).days - baseline_days) <= slack_days]
    pool = same or list(periods)
    if not pool:
        return None
    return max(pool, key=lambda p: (p.forces, p.end, p.start))


def parse_period(text: str) -> tuple[datetime.date, datetime.date]:
    """A period written as an ISO 8601 interval, ``2023-04-01/2024-03-31``;
    ValueError with a reason for anything else."""
    start_text, slash, end_text = text.partition("/")
    try:
        start = datetime.date.fromisoformat(start_text)
        end = datetime.date.fromisoformat(end_text)
    except ValueError:
        raise ValueError(
            f"“{text}” is not a period: write its first and last days, e.g. 2023-04-01/2024-03-31."
        ) from None
    if not slash or end < start:
        raise ValueError(f"“{text}” is not a period: it must end after it starts.")
    return start, end


def population_at(estimates: Sequence[tuple[int, int]], year: int) -> int | None:
    """From an area's (year, population) estimates, newest first, the latest
    for ``year`` or before."""
    return next((people for at, people in estimates if at <= year), None)
