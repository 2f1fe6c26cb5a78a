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

from django.db.models import DurationField, ExpressionWrapper, F, Prefetch, Q

from .formatting import (
    chart_number,
    format_change,
    format_interval,
    format_number,
    format_short,
    format_short_interval,
    format_value,
    quantize,
)
from .models import Area, Figure, Measure, Target, TargetStep
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
        "baseline_overrides"
    )
    if targets:
        queryset = queryset.prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.select_related("area").prefetch_related(
                    Prefetch("steps", queryset=TargetStep.objects.order_by("date"))
                ),
            )
        )
    return queryset


def national_area() -> Area | None:
    return Area.objects.filter(slug=NATIONAL_AREA_SLUG).first()


def published_figures(measures, areas):
    """One query: the published figures of ``measures`` in ``areas`` that can be
    compared with the baseline, oldest first.

    Only periods as long as the area's baseline period count: a measure may
    also have monthly or quarterly figures, and a month is no more comparable
    with a 12-month baseline than it belongs on the same line of a chart.
    """
    condition = Q()
    for measure in measures:
        for area in areas:
            if area is None:
                continue
            start, end = measure.baseline_for(area)
            length = end - start
            condition |= Q(
                measure_id=measure.pk,
                area_id=area.pk,
                length__gte=length - SAME_LENGTH_SLACK,
                length__lte=length + SAME_LENGTH_SLACK,
            )
    if not condition:
        return Figure.objects.none()
    return (
        Figure.objects.published()
        .annotate(
            length=ExpressionWrapper(
                F("period_end") - F("period_start"), output_field=DurationField()
            )
        )
        .filter(condition)
        .order_by("measure_id", "area_id", "period_end", "period_start")
    )


@dataclass
class Point:
    """A published figure as a page shows it."""

    figure: Figure
    label: str
    unit: str
    places: int

    def __getattr__(self, name):
        return getattr(self.figure, name)

    @property
    def display(self) -> str:
        return format_value(self.figure.value, self.unit, self.places)

    @property
    def number(self) -> str:
        return format_number(self.figure.value, self.places)

    @property
    def interval(self) -> str:
        return format_interval(self.figure.lower, self.figure.upper, self.unit, self.places)

    @property
    def short(self) -> str:
        """For a table whose caption names the unit."""
        return format_short(self.figure.value, self.unit, self.places)

    @property
    def short_interval(self) -> str:
        f = self.figure
        return format_short_interval(f.lower, f.upper, self.unit, self.places)

    @property
    def previous_display(self) -> str:
        return format_value(self.figure.previous_value, self.unit, self.places)

    @property
    def chart_value(self) -> float | None:
        return chart_number(self.figure.value, self.places)

    @property
    def observation(self) -> Observation:
        f = self.figure
        return Observation(f.value, f.lower, f.upper)

    @property
    def updated(self) -> datetime.datetime | None:
        f = self.figure
        return f.revised_at or f.published_at or f.updated_at


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


@dataclass
class Row:
    """One line of a measure's chart table: one period, both areas, the target."""

    start: datetime.date | None
    end: datetime.date
    label: str
    local: Point | None = None
    national: Point | None = None
    target: Decimal | None = None
    target_text: str = ""
    is_baseline: bool = False


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
    rows: list[Row] = field(default_factory=list)

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

    @property
    def last_updated(self) -> datetime.datetime | None:
        stamps = [p.updated for p in (*self.local, *self.national) if p.updated]
        return max(stamps) if stamps else None

    @cached_property
    def has_intervals(self) -> bool:
        # Read once per row of a table: worked out once.
        return any(
            p.figure.lower is not None and p.figure.upper is not None
            for p in (*self.local, *self.national)
        )

    @property
    def main_target(self) -> TargetSummary | None:
        return self.targets[0] if self.targets else None

    def target_display(self, value: Decimal | None) -> str:
        return format_short(value, self.unit, self.places) if value is not None else ""


def _points(figures, measure, rolling) -> list[Point]:
    return [
        Point(
            f,
            period_label(f.period_start, f.period_end, rolling=rolling),
            measure.unit,
            measure.decimal_places,
        )
        for f in figures
    ]


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
    rolling = is_rolling(
        (f.period_start, f.period_end) for f in (*local_figures, *national_figures)
    )
    local = _points(local_figures, measure, rolling)
    national_points = _points(national_figures, measure, rolling)

    baseline_period = measure.baseline_for(area)
    baseline, latest, assessment = _assess(measure, local, baseline_period)
    summary = MeasureSummary(
        measure=measure,
        area=area,
        national_area=national,
        local=local,
        national=national_points,
        baseline_period=baseline_period,
        baseline_label=period_label(*baseline_period, rolling=rolling),
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
    summary.rows = _rows(summary)
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
