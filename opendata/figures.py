"""Figures as download rows: the Python path, for any database.

The columns are those of ``opendata.columns``; ``opendata.pgcopy`` writes the
same rows with PostgreSQL's COPY, and the two give byte-identical files for
the same data.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from measures.models import BaselineOverride, Figure, Measure
from measures.periods import same_length
from measures.status import Observation, Status, figure_status

from .columns import FIGURE_COLUMNS, STAFF_FIGURE_COLUMNS, Column, csv_cells, names, row_paths

# One order for both paths, down to the primary key, so that both give the
# rows in the same order.
EXPORT_ORDER = ("measure__order", "measure__name", "area__name", "period_end", "pk")


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

    def status_of(self, figure) -> Status:
        return self.status(
            figure.measure_id,
            figure.area_id,
            figure.period_start,
            figure.period_end,
            figure.value,
            figure.lower,
            figure.upper,
        )


class DownloadContext:
    """What the computed columns of one download share: the status lookup."""

    def __init__(self):
        self.statuses = StatusLookup()


def figure_columns(*, staff: bool) -> tuple[Column, ...]:
    return STAFF_FIGURE_COLUMNS if staff else FIGURE_COLUMNS


def _rows(queryset: QuerySet, columns) -> Iterator:
    rows = queryset.order_by(*EXPORT_ORDER).values_list(*row_paths(columns), named=True)
    return rows.iterator(chunk_size=2000)


def figure_rows(queryset: QuerySet, *, staff: bool = False) -> Iterator[list]:
    """Formatted CSV cells (strings, or None for an empty cell) for each figure."""
    columns = figure_columns(staff=staff)
    context = DownloadContext()
    for row in _rows(queryset, columns):
        yield csv_cells(columns, row, context)


def figure_json_chunks(queryset: QuerySet, *, metadata: dict, staff: bool = False) -> Iterator[str]:
    """A JSON document ``{..metadata, "columns": [...], "figures": [{...}, ...]}``,
    written piece by piece. Numbers are numbers and missing values null; no
    formula escaping, which is for spreadsheets."""
    columns = figure_columns(staff=staff)
    head = json.dumps({**metadata, "columns": list(names(columns))}, ensure_ascii=False)
    yield head[:-1] + ', "figures": ['
    keys = [json.dumps(column.name) + ": " for column in columns]
    context = DownloadContext()
    separator = "\n"
    for row in _rows(queryset, columns):
        body = ", ".join(
            key + column.kind.json(column.value(row, context))
            for key, column in zip(keys, columns, strict=True)
        )
        yield separator + "{" + body + "}"
        separator = ",\n"
    yield "\n]}\n"
