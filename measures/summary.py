"""What the public pages say about a measure in an area, worked out once from
figures already loaded, so that the summary, the chart and the table of a
page all show the same numbers.

One way through: the views select the measures (``Measure.objects.with_details``)
and the figures (``Figure.objects.comparable``) in a fixed number of queries;
this module computes each series' assessment and each target's progress on
the plain values (``measures.status``), then hands both to the display
objects (``measures.display``), which format them once. It runs no query of
its own.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from .display import (
    ControlLimits,
    LatestSummary,
    MeasureSummary,
    PeriodLabels,
    Point,
    TargetSummary,
)
from .formatting import quantize
from .models import Area, Figure, Measure, Target
from .periods import is_rolling
from .stats.verdict import Method
from .status import (
    Reading,
    Status,
    TargetProgress,
    control_charts,
    overlap,
    series_break_between,
    target_progress,
    target_value,
)


@dataclass(frozen=True)
class Series:
    """A series against its baseline: which of its figures are the baseline
    and the latest (their places in the series), the latest's stored status,
    and the year of a series break between the two, if any."""

    baseline: int | None
    latest: int | None
    status: Status
    broken_in: int | None


def series_of(rows: list, baseline_period: tuple[datetime.date, datetime.date]) -> Series:
    """The baseline and latest of a series (oldest first); the status is the
    one stored on the latest figure (``measures.verdicts``)."""
    baseline = next(
        (i for i, r in enumerate(rows) if (r.period_start, r.period_end) == baseline_period), None
    )
    latest = len(rows) - 1 if rows else None
    broken = None
    if baseline is not None and latest is not None:
        first, last = sorted((rows[baseline].period_end, rows[latest].period_end))
        broken = series_break_between([r for r in rows if r.series_break], first, last)
    status = Status(rows[latest].verdict) if latest is not None else Status.NOT_ENOUGH_DATA
    return Series(baseline, latest, status, broken.period_start.year if broken else None)


def target_trajectory(
    target: Target,
    measure: Measure,
    series: Series,
    rows: list,
    baseline_period: tuple[datetime.date, datetime.date],
) -> tuple[TargetProgress, list]:
    """A target's progress, and its trajectory as (date, value) points, rounded
    to the measure's decimal places as the chart draws them."""
    baseline = rows[series.baseline].value if series.baseline is not None else None
    latest = rows[series.latest] if series.latest is not None else None
    places = measure.decimal_places
    steps = [(s.date, s.value) for s in target.steps.all()]
    progress = target_progress(
        kind=target.kind,
        value=target.value,
        due=target.due,
        steps=steps,
        baseline=baseline,
        baseline_end=baseline_period[1],
        latest=latest.value if latest else None,
        latest_end=latest.period_end if latest else None,
        unit=measure.unit,
        direction=measure.direction,
        status=series.status,
        broken_in=series.broken_in,
    )
    trajectory = []
    for day, value in steps:
        resolved = target_value(target.kind, value, baseline, measure.unit)
        if resolved is not None:
            trajectory.append((day, quantize(resolved, places)))
    if progress.goal is not None and not any(day == target.due for day, _ in trajectory):
        if not steps and baseline is not None:
            # The straight line the progress is judged by starts at the baseline.
            trajectory.append((baseline_period[1], quantize(baseline, places)))
        trajectory.append((target.due, quantize(progress.goal, places)))
    return progress, sorted(trajectory)


def _target_summary(target, measure, rows, baseline_period) -> TargetSummary:
    series = series_of(rows, baseline_period)
    progress, trajectory = target_trajectory(target, measure, series, rows, baseline_period)
    return TargetSummary(
        target, target.area, progress, trajectory, measure.unit, measure.decimal_places
    )


def _at(points: list[Point], period) -> Point | None:
    for point in points:
        if (point.period_start, point.period_end) == period:
            return point
    return None


def _chart_series(summary: MeasureSummary, rows: list) -> None:
    """The XmR charts of the area's series, for a measure read on one: the
    same charts its figures' stored verdicts were read on."""
    readings = [
        Reading(r.id, r.period_start, r.period_end, r.value, series_break=r.series_break)
        for r in rows
    ]
    summary.overlapping = overlap(readings)
    summary.control = [
        ControlLimits(control, summary.local, summary.unit, summary.places)
        for control in control_charts(readings, summary.measure.direction)
    ]


def summarise(
    measure: Measure,
    area: Area,
    figures_by_key: dict,
    national: Area | None = None,
    *,
    targets: bool = True,
) -> MeasureSummary:
    local_rows = figures_by_key.get((measure.pk, area.pk), [])
    national_rows = figures_by_key.get((measure.pk, national.pk), []) if national else []
    baseline_period = measure.baseline_for(area)
    series = series_of(local_rows, baseline_period)

    # The two areas mostly share their periods, and so their labels.
    periods = {(r.period_start, r.period_end) for r in (*local_rows, *national_rows)}
    labels = PeriodLabels()
    unit, places = measure.unit, measure.decimal_places
    local = [Point(r, labels, unit, places) for r in local_rows]
    national_points = [Point(r, labels, unit, places) for r in national_rows]
    latest = local[series.latest] if series.latest is not None else None
    summary = MeasureSummary(
        measure=measure,
        area=area,
        national_area=national,
        local=local,
        national=national_points,
        baseline_period=baseline_period,
        baseline_label=labels[baseline_period],
        baseline=local[series.baseline] if series.baseline is not None else None,
        latest=latest,
        national_latest=_at(national_points, (latest.period_start, latest.period_end))
        if latest
        else None,
        rolling=is_rolling(periods),
    )
    if measure.method == Method.XMR:
        _chart_series(summary, local_rows)
    if targets:
        for target in measure.targets.all():
            if target.area_id == area.pk:
                summary.targets.append(
                    _target_summary(target, measure, local_rows, baseline_period)
                )
            elif target.area_id is None and national is not None:
                summary.national_targets.append(
                    _target_summary(target, measure, national_rows, measure.baseline_for(national))
                )
    return summary


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
    figures = group_figures(Figure.objects.comparable(measures, [area, national]))
    return {m.pk: summarise(m, area, figures, national, targets=targets) for m in measures}


def latest_all(measures, area: Area) -> dict[int, LatestSummary]:
    """The latest comparable figure of each of ``measures`` in ``area`` (what
    ``summarise_all`` gives as ``latest``), keyed by measure id: one query."""
    measures = list(measures)
    labels = PeriodLabels()
    rows = {row.measure_id: row for row in Figure.objects.latest_comparable(measures, area)}
    return {
        m.pk: LatestSummary(
            m, Point(rows[m.pk], labels, m.unit, m.decimal_places) if m.pk in rows else None
        )
        for m in measures
    }


def status_counts(summaries) -> list[tuple[Status, int]]:
    """How many measures have each status, in the order statuses are listed."""
    counts = defaultdict(int)
    for summary in summaries:
        counts[summary.status] += 1
    return [(status, counts[status]) for status in Status if counts[status]]
