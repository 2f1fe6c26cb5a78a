"""The change against the baseline, the status and the progress towards a
target, worked out from plain values.

No ORM and no formatting here: the views hand in numbers and dates, and get
back numbers and the reason for each verdict; ``measures.display`` words
them. So every rule can be tested on its own, and the same rule serves every
page, table, chart and download.
"""

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .formatting import PERCENTAGE, quantize
from .periods import same_length

UP = "up"
DOWN = "down"

# Target kinds, as in ``measures.models.TargetKind``.
TARGET_VALUE = "value"
TARGET_CHANGE = "change"
TARGET_IMPROVEMENT = "improvement"


@dataclass(frozen=True)
class Observation:
    """One figure, reduced to what the rules need."""

    value: Decimal
    lower: Decimal | None = None
    upper: Decimal | None = None

    @property
    def has_interval(self) -> bool:
        return self.lower is not None and self.upper is not None


class Status(enum.StrEnum):
    IMPROVING = "improving"
    NO_CHANGE = "no-significant-change"
    WORSENING = "worsening"
    NOT_COMPARABLE = "not-comparable"
    NOT_ENOUGH_DATA = "not-enough-data"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def icon(self) -> str:
        """A shape that says the same as the text, so colour is never the only signal."""
        return STATUS_ICONS[self]


STATUS_LABELS = {
    Status.IMPROVING: "Improving",
    Status.NO_CHANGE: "No significant change",
    Status.WORSENING: "Worsening",
    Status.NOT_COMPARABLE: "Not comparable",
    Status.NOT_ENOUGH_DATA: "Not enough data",
}
STATUS_ICONS = {
    Status.IMPROVING: "▲",
    Status.NO_CHANGE: "●",
    Status.WORSENING: "▼",
    Status.NOT_COMPARABLE: "◆",
    Status.NOT_ENOUGH_DATA: "?",
}


class Method(enum.StrEnum):
    """How a status was decided (``measures.display`` says it in a sentence)."""

    NO_DATA = "no-data"  # no baseline figure or no recent figure
    SERIES_BREAK = "series-break"  # the way the figures are collected changed
    INTERVALS = "intervals"  # both figures are survey estimates with intervals
    TOLERANCE = "tolerance"  # a change counts when larger than the tolerance


@dataclass(frozen=True)
class Assessment:
    status: Status
    change: Decimal | None
    method: Method
    tolerance: Decimal | None = None  # for Method.TOLERANCE

    @property
    def label(self) -> str:
        return self.status.label


def change_against_baseline(
    baseline: Decimal | None, latest: Decimal | None, unit: str, places: int
) -> Decimal | None:
    """Relative change in % for counts and rates; percentage points for percentages.

    Rounded to the measure's decimal places. None when there is nothing to
    compare, or when a count or rate had a baseline of zero (no relative change).
    """
    if baseline is None or latest is None:
        return None
    if unit == PERCENTAGE:
        return quantize(latest - baseline, places)
    if baseline == 0:
        return None
    # Multiplied before dividing, with room for every digit of a 16-digit
    # value, so that the rounding is exact: PostgreSQL's twin of this rule
    # (opendata.pgcopy) must round every quotient the same way.
    with localcontext(prec=60):
        return quantize((latest - baseline) * 100 / baseline, places)


def intervals_overlap(a: Observation, b: Observation) -> bool:
    return a.lower <= b.upper and b.lower <= a.upper


def series_break_between(
    breaks: Iterable[datetime.date], baseline_end: datetime.date, latest_end: datetime.date
) -> bool:
    """Whether any series break falls after the baseline, up to the latest figure.

    ``breaks`` are the end dates of the figures marked as a series break: such
    a figure is the first of a new, not comparable, series.
    """
    return any(baseline_end < end <= latest_end for end in breaks)


def is_better(difference: Decimal, direction: str) -> bool:
    return difference < 0 if direction == DOWN else difference > 0


def assess(
    *,
    baseline: Observation | None,
    latest: Observation | None,
    unit: str,
    direction: str,
    tolerance: Decimal,
    places: int,
    series_break: bool = False,
) -> Assessment:
    """The status of the latest figure against the baseline, and how it was decided."""
    change = change_against_baseline(
        baseline.value if baseline else None, latest.value if latest else None, unit, places
    )
    if baseline is None or latest is None:
        return Assessment(Status.NOT_ENOUGH_DATA, None, Method.NO_DATA)
    if series_break:
        return Assessment(Status.NOT_COMPARABLE, change, Method.SERIES_BREAK)
    difference = latest.value - baseline.value
    if baseline.has_interval and latest.has_interval:
        if intervals_overlap(baseline, latest):
            status = Status.NO_CHANGE
        else:
            status = Status.IMPROVING if is_better(difference, direction) else Status.WORSENING
        return Assessment(status, change, Method.INTERVALS)
    size = change if change is not None else quantize(difference, places)
    if abs(size) <= tolerance:
        status = Status.NO_CHANGE
    else:
        status = Status.IMPROVING if is_better(difference, direction) else Status.WORSENING
    return Assessment(status, change, Method.TOLERANCE, tolerance)


def figure_status(
    *,
    figure: Observation,
    period: tuple[datetime.date, datetime.date],
    baseline: Observation | None,
    baseline_period: tuple[datetime.date, datetime.date],
    breaks: Iterable[datetime.date],
    unit: str,
    direction: str,
    tolerance: Decimal,
    places: int,
) -> Status:
    """The status of any one figure against the baseline figure, as the
    downloads give it: the pages' rule (``assess``) for the latest figure,
    applied to every figure.

    A period of another length than the baseline's is not comparable with it,
    and neither is one with a series break between the two (``breaks``: the
    end dates of the series breaks among figures as long as the baseline).
    """
    if baseline is None:
        return Status.NOT_ENOUGH_DATA
    if not same_length(period, baseline_period):
        return Status.NOT_COMPARABLE
    first, last = sorted((baseline_period[1], period[1]))
    return assess(
        baseline=baseline,
        latest=figure,
        unit=unit,
        direction=direction,
        tolerance=tolerance,
        places=places,
        series_break=series_break_between(breaks, first, last),
    ).status


# Progress towards a target -------------------------------------------------


class Progress(enum.StrEnum):
    MET = "met"
    ON_TRACK = "on-track"
    OFF_TRACK = "off-track"
    NOT_MET = "not-met"
    NOT_ENOUGH_DATA = "not-enough-data"

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self]

    @property
    def icon(self) -> str:
        return PROGRESS_ICONS[self]


PROGRESS_LABELS = {
    Progress.MET: "Met",
    Progress.ON_TRACK: "On track",
    Progress.OFF_TRACK: "Off track",
    Progress.NOT_MET: "Not met",
    Progress.NOT_ENOUGH_DATA: "Not enough data",
}
PROGRESS_ICONS = {
    Progress.MET: "✓",
    Progress.ON_TRACK: "▲",
    Progress.OFF_TRACK: "▼",
    Progress.NOT_MET: "✕",
    Progress.NOT_ENOUGH_DATA: "?",
}


class ProgressReason(enum.StrEnum):
    """Why a target's progress is what it is (``measures.display`` says it)."""

    NO_FIGURES = "no-figures"
    NO_TRAJECTORY = "no-trajectory"
    IMPROVED = "improved"  # an improvement target met
    NOT_IMPROVED = "not-improved"  # an improvement target past its date
    NOT_IMPROVED_YET = "not-improved-yet"
    REACHED = "reached"
    MISSED = "missed"
    ON_TRAJECTORY = "on-trajectory"
    BEHIND_TRAJECTORY = "behind-trajectory"


@dataclass(frozen=True)
class TargetProgress:
    progress: Progress
    reason: ProgressReason
    due: datetime.date
    goal: Decimal | None = None  # the value to reach by the due date, when there is one
    expected: Decimal | None = None  # where the trajectory says the latest figure should be

    @property
    def label(self) -> str:
        return self.progress.label


def target_value(
    kind: str, value: Decimal | None, baseline: Decimal | None, unit: str
) -> Decimal | None:
    """The value a target (or one step of it) asks for.

    A change target is a change against the baseline, read as the page reads
    every change: in % for counts and rates, in percentage points for percentages.
    """
    if kind == TARGET_VALUE:
        return value
    if kind == TARGET_CHANGE and value is not None and baseline is not None:
        if unit == PERCENTAGE:
            return baseline + value
        return baseline * (1 + value / 100)
    return None


def reaches(value: Decimal, goal: Decimal, direction: str) -> bool:
    return value <= goal if direction == DOWN else value >= goal


def trajectory_value(
    steps: Sequence[tuple[datetime.date, Decimal]],
    start: tuple[datetime.date, Decimal] | None,
    when: datetime.date,
) -> Decimal | None:
    """Where the trajectory stands on ``when``: the last step on or before it.

    Without steps, the straight line from ``start`` (the baseline) to the goal,
    which the caller passes as the single step on the due date.
    """
    passed = [value for day, value in steps if day <= when]
    if passed:
        return passed[-1]
    if start is None or not steps:
        return None
    (start_day, start_value), (end_day, end_value) = start, steps[-1]
    if when <= start_day:
        return start_value
    share = Decimal((when - start_day).days) / Decimal((end_day - start_day).days or 1)
    return start_value + (end_value - start_value) * share


def improvement_progress(
    *,
    due: datetime.date,
    baseline: Decimal | None,
    latest: Decimal | None,
    latest_end: datetime.date | None,
    status: Status,
) -> TargetProgress:
    """A target of significant improvement: met when the status says so."""
    if latest is None or baseline is None:
        return TargetProgress(Progress.NOT_ENOUGH_DATA, ProgressReason.NO_FIGURES, due)
    if status == Status.IMPROVING:
        return TargetProgress(Progress.MET, ProgressReason.IMPROVED, due)
    if latest_end is not None and latest_end >= due:
        return TargetProgress(Progress.NOT_MET, ProgressReason.NOT_IMPROVED, due)
    return TargetProgress(Progress.OFF_TRACK, ProgressReason.NOT_IMPROVED_YET, due)


def target_progress(
    *,
    kind: str,
    value: Decimal | None,
    due: datetime.date,
    steps: Sequence[tuple[datetime.date, Decimal]],
    baseline: Decimal | None,
    baseline_end: datetime.date | None,
    latest: Decimal | None,
    latest_end: datetime.date | None,
    unit: str,
    direction: str,
    places: int,
    status: Status,
) -> TargetProgress:
    """Met, on track or off track against the trajectory, or not met once due."""
    if kind == TARGET_IMPROVEMENT:
        return improvement_progress(
            due=due,
            baseline=baseline,
            latest=latest,
            latest_end=latest_end,
            status=status,
        )
    goal = target_value(kind, value, baseline, unit)
    if goal is None or latest is None or latest_end is None:
        return TargetProgress(Progress.NOT_ENOUGH_DATA, ProgressReason.NO_FIGURES, due, goal)
    if reaches(latest, goal, direction):
        return TargetProgress(Progress.MET, ProgressReason.REACHED, due, goal)
    if latest_end >= due:
        return TargetProgress(Progress.NOT_MET, ProgressReason.MISSED, due, goal)
    step_values = [(day, target_value(kind, step, baseline, unit)) for day, step in steps]
    if not step_values:
        step_values = [(due, goal)]
    start = (baseline_end, baseline) if baseline is not None and baseline_end else None
    expected = trajectory_value(step_values, start, latest_end)
    if expected is None:
        return TargetProgress(Progress.NOT_ENOUGH_DATA, ProgressReason.NO_TRAJECTORY, due, goal)
    expected = quantize(expected, places)
    if reaches(latest, expected, direction):
        return TargetProgress(Progress.ON_TRACK, ProgressReason.ON_TRAJECTORY, due, goal, expected)
    return TargetProgress(Progress.OFF_TRACK, ProgressReason.BEHIND_TRAJECTORY, due, goal, expected)
