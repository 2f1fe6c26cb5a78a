"""Figures as download rows: the Python path, for any database.

``opendata.copy`` writes the same rows with PostgreSQL's COPY; the two must
give byte-identical files for the same data, so every rule here has its twin
in SQL there.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from measures.models import BaselineOverride, Direction, Figure, Measure, Unit
from measures.periods import period_label

from .exports import format_bool, format_date, format_decimal, format_text

IMPROVING = "improving"
NO_SIGNIFICANT_CHANGE = "no significant change"
WORSENING = "worsening"
NOT_COMPARABLE = "not comparable"
NOT_ENOUGH_DATA = "not enough data"

# One order for both paths, down to the primary key, so that both give the
# rows in the same order.
EXPORT_ORDER = ("measure__order", "measure__name", "area__name", "period_end", "pk")

UNIT_LABELS = dict(Unit.choices)

_FIELDS = (
    "measure__slug",
    "area__slug",
    "period_start",
    "period_end",
    "value",
    "lower",
    "upper",
    "provisional",
    "series_break",
    "note",
    "source_url",
    "measure__name",
    "measure__unit",
    "area__name",
    "measure__priority_area__name",
    "measure_id",
    "area_id",
    "status",
)


def change_status(
    *,
    value: Decimal,
    lower: Decimal | None,
    upper: Decimal | None,
    baseline: tuple[Decimal, Decimal | None, Decimal | None] | None,
    direction: str,
    percentage: bool,
    tolerance: Decimal,
    series_break: bool,
) -> str:
    """A figure's status against its baseline figure.

    Where both figures have a confidence interval, a change counts only if the
    intervals do not overlap; otherwise only if it is at least the measure's
    tolerance (percentage points for a percentage, % of the baseline for
    counts and rates). A series break between the two makes them not
    comparable.
    """
    if baseline is None:
        return NOT_ENOUGH_DATA
    if series_break:
        return NOT_COMPARABLE
    base, base_lower, base_upper = baseline
    if lower is not None and base_lower is not None:
        up = lower > base_upper
        down = upper < base_lower
    else:
        # |change| * 100 >= tolerance * base, rather than a division: exact, and
        # the same comparison the SQL makes.
        scale, reference = (1, 1) if percentage else (100, base)
        up = value > base and (value - base) * scale >= tolerance * reference
        down = value < base and (base - value) * scale >= tolerance * reference
    if up:
        return IMPROVING if direction == Direction.UP else WORSENING
    if down:
        return IMPROVING if direction == Direction.DOWN else WORSENING
    return NO_SIGNIFICANT_CHANGE


class StatusLookup:
    """Works out figures' statuses against their published baseline figures
    with four queries, however many figures are asked about."""

    def __init__(self):
        self._loaded = False

    def _load(self):
        self.measures = {
            pk: (start, end, direction, tolerance, unit == Unit.PERCENTAGE)
            for pk, start, end, direction, tolerance, unit in Measure.objects.values_list(
                "pk", "baseline_start", "baseline_end", "direction", "tolerance", "unit"
            )
        }
        self.overrides = {
            (m, a): (start, end)
            for m, a, start, end in BaselineOverride.objects.values_list(
                "measure_id", "area_id", "baseline_start", "baseline_end"
            )
        }
        periods = {m[:2] for m in self.measures.values()} | set(self.overrides.values())
        self.baselines = {}
        if periods:
            in_a_baseline_period = reduce(
                or_, (Q(period_start=start, period_end=end) for start, end in periods)
            )
            for m, a, start, end, value, lower, upper in (
                Figure.objects.published()
                .filter(in_a_baseline_period)
                .values_list(
                    "measure_id", "area_id", "period_start", "period_end", "value", "lower", "upper"
                )
            ):
                self.baselines[m, a, start, end] = (value, lower, upper)
        self.breaks = defaultdict(list)
        for m, a, end in (
            Figure.objects.published()
            .filter(series_break=True)
            .values_list("measure_id", "area_id", "period_end")
        ):
            self.breaks[m, a].append(end)
        self._loaded = True

    def status(
        self,
        measure_id: int,
        area_id: int,
        period_end: datetime.date,
        value: Decimal,
        lower: Decimal | None,
        upper: Decimal | None,
    ) -> str:
        if not self._loaded:
            self._load()
        start, end, direction, tolerance, percentage = self.measures[measure_id]
        start, end = self.overrides.get((measure_id, area_id), (start, end))
        baseline = self.baselines.get((measure_id, area_id, start, end))
        first, last = sorted((period_end, end))
        broken = any(first < day <= last for day in self.breaks.get((measure_id, area_id), ()))
        return change_status(
            value=value,
            lower=lower,
            upper=upper,
            baseline=baseline,
            direction=direction,
            percentage=percentage,
            tolerance=tolerance,
            series_break=broken,
        )

    def status_of(self, figure: Figure) -> str:
        return self.status(
            figure.measure_id,
            figure.area_id,
            figure.period_end,
            figure.value,
            figure.lower,
            figure.upper,
        )


def _records(queryset: QuerySet) -> Iterator[tuple]:
    return queryset.order_by(*EXPORT_ORDER).values_list(*_FIELDS).iterator(chunk_size=2000)


def figure_rows(queryset: QuerySet, *, staff: bool = False) -> Iterator[list]:
    """Formatted CSV cells (strings, or None for an empty cell) for each figure."""
    statuses = StatusLookup()
    for (
        measure,
        area,
        period_start,
        period_end,
        value,
        lower,
        upper,
        provisional,
        series_break,
        note,
        source_url,
        measure_name,
        unit,
        area_name,
        priority_area,
        measure_id,
        area_id,
        publication_status,
    ) in _records(queryset):
        row = [
            format_text(measure),
            format_text(area),
            format_date(period_start),
            format_date(period_end),
            format_decimal(value),
            format_decimal(lower),
            format_decimal(upper),
            format_bool(provisional),
            format_bool(series_break),
            format_text(note),
            format_text(source_url),
            format_text(measure_name),
            UNIT_LABELS.get(unit, unit),
            format_text(area_name),
            format_text(period_label(period_start, period_end)),
            format_text(priority_area),
            statuses.status(measure_id, area_id, period_end, value, lower, upper),
        ]
        if staff:
            row.append(publication_status)
        yield row


def _json_value(value) -> str:
    if isinstance(value, Decimal):
        # Exact: the plain decimal is already a valid JSON number.
        return format_decimal(value)
    if isinstance(value, datetime.date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def figure_json_chunks(
    queryset: QuerySet, *, columns: tuple[str, ...], metadata: dict, staff: bool = False
) -> Iterator[str]:
    """A JSON document ``{..metadata, "columns": [...], "figures": [{...}, ...]}``,
    written piece by piece. Numbers are numbers and missing values null; no
    formula escaping, which is for spreadsheets."""
    head = json.dumps({**metadata, "columns": list(columns)}, ensure_ascii=False)
    yield head[:-1] + ', "figures": ['
    keys = [json.dumps(column) + ": " for column in columns]
    statuses = StatusLookup()
    separator = "\n"
    for record in _records(queryset):
        (
            measure,
            area,
            period_start,
            period_end,
            value,
            lower,
            upper,
            provisional,
            series_break,
            note,
            source_url,
            measure_name,
            unit,
            area_name,
            priority_area,
            measure_id,
            area_id,
            publication_status,
        ) = record
        values = [
            measure,
            area,
            period_start,
            period_end,
            value,
            lower,
            upper,
            provisional,
            series_break,
            note or None,
            source_url or None,
            measure_name,
            UNIT_LABELS.get(unit, unit),
            area_name,
            period_label(period_start, period_end),
            priority_area,
            statuses.status(measure_id, area_id, period_end, value, lower, upper),
        ]
        if staff:
            values.append(publication_status)
        body = ", ".join(key + _json_value(v) for key, v in zip(keys, values, strict=True))
        yield separator + "{" + body + "}"
        separator = ",\n"
    yield "\n]}\n"
