"""Figures as download rows: the Python path, for any database.

``opendata.pgcopy`` writes the same rows with PostgreSQL's COPY; the two must
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
from typing import NamedTuple

from django.db.models import Q, QuerySet

from measures.models import BaselineOverride, Figure, Measure, Unit
from measures.periods import period_label, same_length
from measures.status import Observation, Status, figure_status

from .exports import format_bool, format_date, format_decimal, format_text

# The status column's words: the pages' statuses, in lower case.
STATUS_CELLS = {status: status.label.lower() for status in Status}

# One order for both paths, down to the primary key, so that both give the
# rows in the same order.
EXPORT_ORDER = ("measure__order", "measure__name", "area__name", "period_end", "pk")

UNIT_LABELS = dict(Unit.choices)


class Record(NamedTuple):
    """One figure as both downloads read it from the database."""

    measure: str
    area: str
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    lower: Decimal | None
    upper: Decimal | None
    provisional: bool
    series_break: bool
    note: str
    source_url: str
    measure_name: str
    unit: str
    area_name: str
    priority_area: str | None
    measure_id: int
    area_id: int
    publication_status: str


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


class StatusLookup:
    """Works out figures' statuses against their published baseline figures
    (``measures.status.figure_status``) with four queries, however many
    figures are asked about."""

    def __init__(self):
        self._loaded = False

    def _load(self):
        self.load_periods()
        self._load_baselines()
        self.load_breaks()
        self._loaded = True

    def load_periods(self) -> None:
        """The measures' rules and baseline periods, and the areas' own baseline periods."""
        self.overrides = {
            (m, a): (start, end)
            for m, a, start, end in BaselineOverride.objects.values_list(
                "measure_id", "area_id", "baseline_start", "baseline_end"
            )
        }
        self.measures = {
            measure.pk: measure
            for measure in Measure.objects.only(
                "baseline_start",
                "baseline_end",
                "unit",
                "direction",
                "tolerance",
                "decimal_places",
            )
        }

    def _load_baselines(self) -> None:
        periods = {(m.baseline_start, m.baseline_end) for m in self.measures.values()}
        periods |= set(self.overrides.values())
        self.baselines = {}
        if not periods:
            return
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
            if (start, end) == self.baseline_period(m, a):
                self.baselines[m, a] = Observation(value, lower, upper)

    def load_breaks(self) -> dict[tuple[int, int], list[datetime.date]]:
        """The end dates of the published series breaks, by measure and area,
        among the figures as long as the baseline (those the rule compares)."""
        self.breaks = defaultdict(list)
        for m, a, start, end in (
            Figure.objects.published()
            .filter(series_break=True)
            .values_list("measure_id", "area_id", "period_start", "period_end")
        ):
            if same_length((start, end), self.baseline_period(m, a)):
                self.breaks[m, a].append(end)
        return self.breaks

    def baseline_period(self, measure_id: int, area_id: int) -> tuple[datetime.date, datetime.date]:
        measure = self.measures[measure_id]
        default = (measure.baseline_start, measure.baseline_end)
        return self.overrides.get((measure_id, area_id), default)

    def status(
        self,
        measure_id: int,
        area_id: int,
        period_start: datetime.date,
        period_end: datetime.date,
        value: Decimal,
        lower: Decimal | None,
        upper: Decimal | None,
    ) -> Status:
        if not self._loaded:
            self._load()
        measure = self.measures[measure_id]
        return figure_status(
            figure=Observation(value, lower, upper),
            period=(period_start, period_end),
            baseline=self.baselines.get((measure_id, area_id)),
            baseline_period=self.baseline_period(measure_id, area_id),
            breaks=self.breaks.get((measure_id, area_id), ()),
            unit=measure.unit,
            direction=measure.direction,
            tolerance=measure.tolerance,
            places=measure.decimal_places,
        )

    def status_of(self, figure: Figure | Record) -> Status:
        return self.status(
            figure.measure_id,
            figure.area_id,
            figure.period_start,
            figure.period_end,
            figure.value,
            figure.lower,
            figure.upper,
        )


def _records(queryset: QuerySet) -> Iterator[Record]:
    rows = queryset.order_by(*EXPORT_ORDER).values_list(*_FIELDS).iterator(chunk_size=2000)
    return map(Record._make, rows)


def figure_rows(queryset: QuerySet, *, staff: bool = False) -> Iterator[list]:
    """Formatted CSV cells (strings, or None for an empty cell) for each figure."""
    statuses = StatusLookup()
    for r in _records(queryset):
        row = [
            format_text(r.measure),
            format_text(r.area),
            format_date(r.period_start),
            format_date(r.period_end),
            format_decimal(r.value),
            format_decimal(r.lower),
            format_decimal(r.upper),
            format_bool(r.provisional),
            format_bool(r.series_break),
            format_text(r.note),
            format_text(r.source_url),
            format_text(r.measure_name),
            UNIT_LABELS.get(r.unit, r.unit),
            format_text(r.area_name),
            format_text(period_label(r.period_start, r.period_end)),
            format_text(r.priority_area),
            STATUS_CELLS[statuses.status_of(r)],
        ]
        if staff:
            row.append(r.publication_status)
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
    for r in _records(queryset):
        values = [
            r.measure,
            r.area,
            r.period_start,
            r.period_end,
            r.value,
            r.lower,
            r.upper,
            r.provisional,
            r.series_break,
            r.note or None,
            r.source_url or None,
            r.measure_name,
            UNIT_LABELS.get(r.unit, r.unit),
            r.area_name,
            period_label(r.period_start, r.period_end),
            r.priority_area,
            STATUS_CELLS[statuses.status_of(r)],
        ]
        if staff:
            values.append(r.publication_status)
        body = ", ".join(key + _json_value(v) for key, v in zip(keys, values, strict=True))
        yield separator + "{" + body + "}"
        separator = ",\n"
    yield "\n]}\n"
