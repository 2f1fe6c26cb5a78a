"""What the public pages say about a measure in an area, built once from
figures already loaded, so that the summary, the chart and the table of a
page all show the same numbers.

The views load the measures (with their baseline overrides and targets) and
all the published figures they need in a fixed number of queries; everything
here works on those objects in memory and runs no query of its own.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .expressions import DaysBetween, PairIn
from .formatting import (
    chart_number,
    format_change,
    format_date,
    format_interval,
    format_number,
    format_short,
    format_short_interval,
    format_value,
    quantize,
)
from .models import Area, BaselineOverride, Figure, Measure, Target, TargetStep
from .periods import SAME_LENGTH_SLACK, is_rolling, period_label
from .status import (
    Assessment,
    Observation,
    Status,
    TargetProgress,
    assess,
    series_break_between,
    target_progress,
    target_value,
)

NATIONAL_AREA_SLUG = "england-and-wales"


def measures_with_details(queryset=None, *, targets: bool = True):
    """Measures with what a summary reads, in a fixed number of queries."""
    queryset = Measure.objects.all() if queryset is None else queryset
    queryset = queryset.select_related("data_source", "priority_area").prefetch_related(
        Prefetch("baseline_overrides", queryset=unordered_overrides())
    )
    if targets:
        queryset = queryset.prefetch_related(Prefetch("targets", queryset=targets_by_due()))
    return queryset


def unordered_overrides():
    """Baseline overrides to prefetch: one per measure and area, so in no order
    (their default order joins two tables for nothing)."""
    return BaselineOverride.objects.order_by()


def targets_by_due():
    """Targets to prefetch, with their steps. A summary lists one area's targets
    of one measure, so the due date orders them; the default order would join
    the measure and area tables to sort by them first."""
    return (
        Target.objects.select_related("area")
        .prefetch_related(Prefetch("steps", queryset=TargetStep.objects.order_by("date")))
        .order_by("due", "pk")
    )


# What the pages read of a figure: loaded as plain values, not model instances.
POINT_FIELDS = (
    "id",
    "measure_id",
    "area_id",
    "period_start",
    "period_end",
    "value",
    "lower",
    "upper",
    "provisional",
    "series_break",
    "revised_at",
    "previous_value",
    "updated",
)


def national_area() -> Area | None:
    return Area.objects.filter(slug=NATIONAL_AREA_SLUG).first()


def published_figures(measures, areas):
    """One query: the published figures of ``measures`` in ``areas`` that can be
    compared with the baseline, oldest first, as named tuples of ``POINT_FIELDS``.

    Only periods as long as the area's baseline period count: a measure may
    also have monthly or quarterly figures, and a month is no more comparable
    with a 12-month baseline than it belongs on the same line of a chart.
    """
    # One condition per baseline length (most measures share one) over the
    # (measure, area) pairs of that length: short for Django to build, and
    # answered from the figure_published_length index.
    pairs_by_length = defaultdict(list)
    for measure in measures:
        for area in areas:
            if area is None:
                continue
            start, end = measure.baseline_for(area)
            pairs_by_length[(end - start).days].append((measure.pk, area.pk))
    figures = (
        Figure.objects.published()
        .alias(days=DaysBetween("period_start", "period_end"))
        # When the figure last changed for the public: one timestamp to load, not three.
        .annotate(updated=Coalesce("revised_at", "published_at", "updated_at"))
        .order_by("measure_id", "area_id", "period_end", "period_start")
        .values_list(*POINT_FIELDS, named=True)
    )
    if not pairs_by_length:
        return figures.none()
    condition = Q()
    for days, pairs in pairs_by_length.items():
        condition |= _pairs(pairs) & Q(
            days__gte=days - SAME_LENGTH_SLACK.days,
            days__lte=days + SAME_LENGTH_SLACK.days,
        )
    return figures.filter(condition)


def _pairs(pairs: list[tuple[int, int]]) -> Q:
    """Figures of these (measure, area) pairs.

    Usually every measure is paired with every area: two IN lists then say it,
    which PostgreSQL plans and runs fastest. Otherwise (an area whose baseline
    override gives it another length) the pairs themselves.
    """
    measure_ids = sorted({measure_id for measure_id, _ in pairs})
    area_ids = sorted({area_id for _, area_id in pairs})
    if len(pairs) == len(measure_ids) * len(area_ids):
        return Q(measure_id__in=measure_ids, area_id__in=area_ids)
    return Q(PairIn("measure_id", "area_id", pairs))


class PeriodLabels(dict):
    """The labels of one series' periods, each worked out once and only when
    shown: the pages that list statuses alone never need them."""

    def __init__(self, rolling: bool):
        super().__init__()
        self.rolling = rolling

    def __missing__(self, period):
        label = self[period] = period_label(*period, rolling=self.rolling)
        return label


class Point:
    """A published figure as a page shows it, each text worked out once."""

    def __init__(self, figure, labels: PeriodLabels, unit: str, places: int):
        self.pk = figure.id
        self.period_start = figure.period_start
        self.period_end = figure.period_end
        self.value = figure.value
        self.lower = figure.lower
        self.upper = figure.upper
        self.provisional = figure.provisional
        self.series_break = figure.series_break
        self.revised_at = figure.revised_at
        self.previous_value = figure.previous_value
        self.updated = figure.updated
        self.labels = labels
        self.unit = unit
        self.places = places

    def __repr__(self):
        return f"<Point {self.period_start} to {self.period_end}: {self.value}>"

    @property
    def label(self) -> str:
        return self.labels[self.period_start, self.period_end]

    @cached_property
    def display(self) -> str:
        return format_value(self.value, self.unit, self.places)

    @cached_property
    def number(self) -> str:
        return format_number(self.value, self.places)

    @cached_property
    def interval(self) -> str:
        return format_interval(self.lower, self.upper, self.unit, self.places)

    @cached_property
    def short(self) -> str:
        """For a table whose caption names the unit."""
        return format_short(self.value, self.unit, self.places)

    @cached_property
    def short_interval(self) -> str:
        return format_short_interval(self.lower, self.upper, self.unit, self.places)

    @cached_property
    def previous_display(self) -> str:
        return format_value(self.previous_value, self.unit, self.places)

    @property
    def chart_value(self) -> float | None:
        return chart_number(self.value, self.places)

    @cached_property
    def notes(self) -> str:
        """What a chart table says beside the figure, in one string."""
        notes = ""
        if self.provisional:
            notes += "Provisional. "
        if self.series_break:
            notes += "Series break: not comparable with earlier periods. "
        if self.revised_at:
            revised = format_date(timezone.localtime(self.revised_at).date())
            notes += f"Revised {revised}; previously {self.previous_display}."
        return notes

    @property
    def observation(self) -> Observation:
        return Observation(self.value, self.lower, self.upper)


@dataclass
class TargetSummary:
    target: Target
    area: Area | None
    progress: TargetProgress
    points: list[tuple[datetime.date, Decimal]]  # the trajectory in values, rounded
    unit: str
    places: int

    @property
    def goal_display(self) -> str:
        return format_value(self.progress.goal, self.unit, self.places)

    @property
    def description(self) -> str:
        return self.target.description or str(self.target)

    def value_on(self, day: datetime.date) -> Decimal | None:
        for when, value in self.points:
            if when == day:
                return value
        return None


EMPTY_CELL = "—"


@dataclass
class Row:
    """One line of a measure's chart table: one period, both areas, the target.

    Its cells are text ready for the table (written by the chart_table_rows
    template tag): a table has a line per period, and a page several tables.
    """

    start: datetime.date | None
    end: datetime.date
    label: str
    local: Point | None = None
    national: Point | None = None
    target: Decimal | None = None
    target_text: str = ""
    is_baseline: bool = False

    @property
    def local_text(self) -> str:
        return self.local.short if self.local else EMPTY_CELL

    @property
    def interval_text(self) -> str:
        return (self.local.short_interval if self.local else "") or EMPTY_CELL

    @property
    def national_text(self) -> str:
        return self.national.short if self.national else EMPTY_CELL

    @property
    def target_cell(self) -> str:
        return self.target_text or EMPTY_CELL

    @property
    def notes(self) -> str:
        return self.local.notes if self.local else ""


@dataclass
class MeasureSummary:
    measure: Measure
    area: Area
    national_area: Area | None
    local: list[Point]
    national: list[Point]
    baseline_period: tuple[datetime.date, datetime.date]
    baseline_label: str
    baseline: Point | None
    latest: Point | None
    national_latest: Point | None
    assessment: Assessment
    rolling: bool = False
    targets: list[TargetSummary] = field(default_factory=list)
    national_targets: list[TargetSummary] = field(default_factory=list)

    @property
    def status(self) -> Status:
        return self.assessment.status

    @property
    def unit(self) -> str:
        return self.measure.unit

    @property
    def places(self) -> int:
        return self.measure.decimal_places

    @property
    def change_display(self) -> str:
        return format_change(self.assessment.change, self.unit, self.places)

    @cached_property
    def last_updated(self) -> datetime.datetime | None:
        stamps = [p.updated for p in (*self.local, *self.national) if p.updated]
        return max(stamps) if stamps else None

    @cached_property
    def rows(self) -> list[Row]:
        """The chart table's lines, oldest first; only pages with a chart need them."""
        return _rows(self)

    @cached_property
    def has_intervals(self) -> bool:
        # Read once per row of a table: worked out once.
        return any(
            p.lower is not None and p.upper is not None for p in (*self.local, *self.national)
        )

    @property
    def main_target(self) -> TargetSummary | None:
        return self.targets[0] if self.targets else None

    def target_display(self, value: Decimal | None) -> str:
        return format_short(value, self.unit, self.places) if value is not None else ""


def _points(figures, measure, labels) -> list[Point]:
    unit, places = measure.unit, measure.decimal_places
    return [Point(f, labels, unit, places) for f in figures]


def _at(points: list[Point], period) -> Point | None:
    for point in points:
        if (point.period_start, point.period_end) == period:
            return point
    return None


def _assess(measure, points, baseline_period) -> tuple[Point | None, Point | None, Assessment]:
    """The baseline point, the latest point and the assessment of a series."""
    baseline = _at(points, baseline_period)
    latest = points[-1] if points else None
    broken = bool(
        baseline
        and latest
        and series_break_between(
            [p.period_end for p in points if p.series_break],
            baseline.period_end,
            latest.period_end,
        )
    )
    assessment = assess(
        baseline=baseline.observation if baseline else None,
        latest=latest.observation if latest else None,
        unit=measure.unit,
        direction=measure.direction,
        tolerance=measure.tolerance,
        places=measure.decimal_places,
        series_break=broken,
    )
    return baseline, latest, assessment


def _target_summary(target, measure, points, baseline_period) -> TargetSummary:
    baseline, latest, assessment = _assess(measure, points, baseline_period)
    baseline_value = baseline.value if baseline else None
    status = assessment.status
    steps = [(s.date, s.value) for s in target.steps.all()]
    progress = target_progress(
        kind=target.kind,
        value=target.value,
        due=target.due,
        steps=steps,
        baseline=baseline_value,
        baseline_end=baseline_period[1],
        latest=latest.value if latest else None,
        latest_end=latest.period_end if latest else None,
        unit=measure.unit,
        direction=measure.direction,
        places=measure.decimal_places,
        status=status,
    )
    trajectory = []
    for day, value in steps:
        resolved = target_value(target.kind, value, baseline_value, measure.unit)
        if resolved is not None:
            trajectory.append((day, quantize(resolved, measure.decimal_places)))
    if progress.goal is not None and not any(day == target.due for day, _ in trajectory):
        if not steps and baseline_value is not None:
            # The straight line the progress is judged by starts at the baseline.
            trajectory.append(
                (baseline_period[1], quantize(baseline_value, measure.decimal_places))
            )
        trajectory.append((target.due, quantize(progress.goal, measure.decimal_places)))
    return TargetSummary(
        target, target.area, progress, sorted(trajectory), measure.unit, measure.decimal_places
    )


def summarise(
    measure: Measure,
    area: Area,
    figures_by_key: dict,
    national: Area | None = None,
    *,
    targets: bool = True,
) -> MeasureSummary:
    local_figures = figures_by_key.get((measure.pk, area.pk), [])
    national_figures = figures_by_key.get((measure.pk, national.pk), []) if national else []
    periods = {(f.period_start, f.period_end) for f in (*local_figures, *national_figures)}
    rolling = is_rolling(periods)
    # The two areas mostly share their periods, and so their labels.
    labels = PeriodLabels(rolling)
    local = _points(local_figures, measure, labels)
    national_points = _points(national_figures, measure, labels)

    baseline_period = measure.baseline_for(area)
    baseline, latest, assessment = _assess(measure, local, baseline_period)
    summary = MeasureSummary(
        measure=measure,
        area=area,
        national_area=national,
        local=local,
        national=national_points,
        baseline_period=baseline_period,
        baseline_label=labels[baseline_period],
        baseline=baseline,
        latest=latest,
        national_latest=_at(national_points, (latest.period_start, latest.period_end))
        if latest
        else None,
        assessment=assessment,
        rolling=rolling,
    )
    if targets:
        for target in measure.targets.all():
            if target.area_id == area.pk:
                summary.targets.append(_target_summary(target, measure, local, baseline_period))
            elif target.area_id is None and national is not None:
                summary.national_targets.append(
                    _target_summary(
                        target, measure, national_points, measure.baseline_for(national)
                    )
                )
    return summary


def _rows(summary: MeasureSummary) -> list[Row]:
    rows: dict[tuple, Row] = {}
    for point in summary.local:
        key = (point.period_end, point.period_start)
        rows[key] = Row(point.period_start, point.period_end, point.label, local=point)
    for point in summary.national:
        key = (point.period_end, point.period_start)
        row = rows.setdefault(key, Row(point.period_start, point.period_end, point.label))
        row.national = point
    target = summary.main_target
    if target:
        for day, value in target.points:
            matches = [row for (end, _), row in rows.items() if end == day]
            if matches:
                for row in matches:
                    row.target = value
                    row.target_text = summary.target_display(value)
            else:
                rows[(day, None)] = Row(
                    None,
                    day,
                    f"Target by {day:%B %Y}",
                    target=value,
                    target_text=summary.target_display(value),
                )
    ordered = [rows[key] for key in sorted(rows, key=lambda k: (k[0], k[1] or k[0]))]
    for row in ordered:
        row.is_baseline = (row.start, row.end) == summary.baseline_period
    return ordered


def group_figures(figures) -> dict:
    grouped = defaultdict(list)
    for figure in figures:
        grouped[(figure.measure_id, figure.area_id)].append(figure)
    return grouped


def summarise_all(
    measures, area: Area, national: Area | None = None, *, targets: bool = True
) -> dict[int, MeasureSummary]:
    """Summaries of ``measures`` in ``area``, keyed by measure id: one query for figures."""
    measures = list(measures)
    figures = group_figures(published_figures(measures, [area, national]))
    return {m.pk: summarise(m, area, figures, national, targets=targets) for m in measures}


def status_counts(summaries) -> list[tuple[Status, int]]:
    """How many measures have each status, in the order statuses are listed."""
    counts = defaultdict(int)
    for summary in summaries:
        counts[summary.status] += 1
    return [(status, counts[status]) for status in Status if counts[status]]
