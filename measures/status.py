"""The verdict on each figure, and the progress towards a target, worked out
from plain values.

No ORM and no formatting here: ``measures.verdicts`` loads a measure and
area's figures, hands their plain values to ``judge``, and stores what it
returns on each figure (status, comparison, unrounded change, method,
p-value), so that every page, table, chart and download reads the same
stored verdict. The statistical methods themselves are ``measures.stats``;
this module chooses which figure is compared with which, and with what.

- The comparison methods (the exact Poisson test, the survey test of a
  difference, the fixed tolerance) compare a figure with the published
  baseline figure of its measure and area. The baseline figure itself is
  "baseline"; a period of another length than the baseline's is not
  compared; a series break between the two makes them not comparable, and
  no change is given.
- The XmR control chart reads a figure against the figures of its own
  length before it, since the last series break, with limits from the first
  12 of them. Figures whose periods overlap (a rolling 12 months) are not
  charted that way.

Every status is decided on unrounded numbers: rounding happens once, when
the verdict is worded or shown (the honest-numbers issue: a change of
−5.4% shown as −5% was judged inside a 5% tolerance).
"""

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext_lazy

from .formatting import COUNT, PERCENTAGE
from .periods import same_length
from .stats.survey import Estimate
from .stats.verdict import (
    ChangeUnit,
    Method,
    Verdict,
    poisson_verdict,
    survey_verdict,
    tolerance_verdict,
    xmr_verdict,
)
from .stats.xmr import MIN_REFERENCE_POINTS, XmrChart, xmr_chart

UP = "up"
DOWN = "down"

# Target kinds, as in ``measures.models.TargetKind``.
TARGET_VALUE = "value"
TARGET_CHANGE = "change"
TARGET_IMPROVEMENT = "improvement"


class Status(enum.StrEnum):
    """A figure's verdict, as stored on it and given in the downloads."""

    IMPROVING = "improving"
    NO_CHANGE = "no-significant-change"
    WORSENING = "worsening"
    NOT_COMPARABLE = "not-comparable"
    NOT_ENOUGH_DATA = "not-enough-data"
    BASELINE = "baseline"
    # An XmR chart's verdicts (``measures.stats.xmr.SpcStatus``'s values).
    SPECIAL_IMPROVING = "improving-special-cause"
    SPECIAL_CONCERNING = "concerning-special-cause"
    COMMON_CAUSE = "common-cause-variation"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def icon(self) -> str:
        """A shape that says the same as the text, so colour is never the only signal."""
        return STATUS_ICONS[self]


STATUS_LABELS = {
    Status.IMPROVING: gettext_lazy("Improving"),
    Status.NO_CHANGE: gettext_lazy("No significant change"),
    Status.WORSENING: gettext_lazy("Worsening"),
    Status.NOT_COMPARABLE: gettext_lazy("Not comparable"),
    Status.NOT_ENOUGH_DATA: gettext_lazy("Not enough data"),
    Status.BASELINE: gettext_lazy("Baseline"),
    Status.SPECIAL_IMPROVING: gettext_lazy("Improving: special cause"),
    Status.SPECIAL_CONCERNING: gettext_lazy("Concerning: special cause"),
    Status.COMMON_CAUSE: gettext_lazy("Common cause variation"),
}
STATUS_ICONS = {
    Status.IMPROVING: "▲",
    Status.NO_CHANGE: "●",
    Status.WORSENING: "▼",
    Status.NOT_COMPARABLE: "◆",
    Status.NOT_ENOUGH_DATA: "?",
    Status.BASELINE: "■",
    Status.SPECIAL_IMPROVING: "▲",
    Status.SPECIAL_CONCERNING: "▼",
    Status.COMMON_CAUSE: "●",
}


class Basis(enum.StrEnum):
    """Why a figure has the verdict it has, beside what the method said."""

    BASELINE = "baseline"  # the figure is the baseline itself
    OTHER_LENGTH = "other-length"  # its period is not as long as the baseline's
    METHOD = "method"  # the method's verdict


@dataclass(frozen=True)
class Reading:
    """One figure, reduced to what the rules need."""

    key: object  # the caller's name for the figure (its id)
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    lower: Decimal | None = None
    upper: Decimal | None = None
    series_break: bool = False

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        return self.period_start, self.period_end


@dataclass(frozen=True)
class Rule:
    """What the rules read of a measure (and of the area, for its baseline period)."""

    unit: str
    direction: str
    method: Method
    smallest_change: Decimal  # the measure's tolerance, reused
    baseline_period: tuple[datetime.date, datetime.date]


@dataclass(frozen=True)
class FigureVerdict:
    status: Status
    basis: Basis
    method: Method
    comparison: Reading | None = None  # the figure compared with (the baseline's)
    verdict: Verdict | None = None  # what the method said, unrounded
    broken_in: int | None = None  # the year the series broke, when it did

    @property
    def change(self) -> Decimal | None:
        return self.verdict.change if self.verdict else None

    @property
    def change_unit(self) -> ChangeUnit | None:
        return self.verdict.change_unit if self.change is not None else None

    @property
    def p_value(self) -> float | None:
        return self.verdict.p_value if self.verdict else None


def series_break_between(
    breaks: Iterable[Reading], first: datetime.date, last: datetime.date
) -> Reading | None:
    """The last series break that falls after ``first``, up to ``last``: such a
    figure is the first of a new, not comparable, series."""
    found = [b for b in breaks if first < b.period_end <= last]
    return max(found, key=lambda b: b.period_end) if found else None


def _compare(rule: Rule, baseline: Reading | None, figure: Reading, broken: bool) -> Verdict:
    """The measure's comparison method on two figures."""
    common = {"direction": rule.direction, "series_break": broken}
    if rule.method == Method.POISSON and rule.unit == COUNT:
        return poisson_verdict(
            baseline=baseline.value if baseline else None,
            latest=figure.value,
            smallest_change=rule.smallest_change,
            **common,
        )
    if rule.method == Method.SURVEY:
        return survey_verdict(
            baseline=Estimate(baseline.value, baseline.lower, baseline.upper) if baseline else None,
            latest=Estimate(figure.value, figure.lower, figure.upper),
            unit=rule.unit,
            smallest_change=rule.smallest_change,
            **common,
        )
    return tolerance_verdict(
        baseline=baseline.value if baseline else None,
        latest=figure.value,
        unit=rule.unit,
        tolerance=rule.smallest_change,
        **common,
    )


def _against_baseline(
    figure: Reading, baseline: Reading | None, breaks: Sequence[Reading], rule: Rule
) -> FigureVerdict:
    """``figure`` against the published ``baseline`` figure, with the series
    ``breaks`` among the figures as long as the baseline."""
    method = rule.method
    if figure.period == rule.baseline_period:
        return FigureVerdict(Status.BASELINE, Basis.BASELINE, method)
    if not same_length(figure.period, rule.baseline_period):
        return FigureVerdict(Status.NOT_COMPARABLE, Basis.OTHER_LENGTH, method)
    # Without a baseline every method says "not enough data" before it looks
    # for a break, so what stands here then changes no verdict.
    broken = None  # pragma: no mutate
    if baseline is not None:
        first, last = sorted((baseline.period_end, figure.period_end))
        broken = series_break_between(
            [*breaks, figure] if figure.series_break else breaks, first, last
        )
    verdict = _compare(rule, baseline, figure, broken is not None)
    return FigureVerdict(
        Status(verdict.status),
        Basis.METHOD,
        method,
        comparison=baseline,
        verdict=verdict,
        broken_in=broken.period_start.year if broken else None,
    )


# An XmR chart's reference period: the first 12 figures of its series (since
# the last series break), the limits then "locked" for every later figure.
REFERENCE = (0, MIN_REFERENCE_POINTS)


def overlap(readings: Sequence[Reading]) -> bool:
    """Whether any of ``readings`` (oldest first) shares days with the next,
    as a rolling 12 months does: not the separate points a control chart needs."""
    return any(later.period_start <= earlier.period_end for earlier, later in pairwise(readings))


def chart_segments(readings: Sequence[Reading]) -> list[tuple[int, int]]:
    """The [start, stop) positions of each run of ``readings`` (oldest first)
    between series breaks: a figure that marks a break starts a new chart."""
    starts = [0] + [i for i, r in enumerate(readings) if r.series_break and i > 0]
    return list(pairwise([*starts, len(readings)])) if readings else []


@dataclass(frozen=True)
class ControlChart:
    """One XmR chart of a series: its positions [start, stop) in the series,
    and the chart of those figures (the reference period its first 12)."""

    start: int
    stop: int
    chart: XmrChart


def control_charts(readings: Sequence[Reading], direction: str) -> list[ControlChart]:
    """The XmR charts a series of figures (oldest first, all of one length)
    is read on, one per run between series breaks with at least 12 figures:
    the charts whose latest points give the stored verdicts (``_on_chart``).
    None for figures whose periods overlap."""
    if overlap(readings):
        return []
    return [
        ControlChart(
            start,
            stop,
            xmr_chart(
                [r.value for r in readings[start:stop]], direction=direction, reference=REFERENCE
            ),
        )
        for start, stop in chart_segments(readings)
        if stop - start >= MIN_REFERENCE_POINTS
    ]


def _on_chart(figure: Reading, published: Sequence[Reading], rule: Rule) -> FigureVerdict:
    """The XmR chart of the figures of ``figure``'s length up to it, since the
    last series break, with limits from the first 12."""
    same = sorted(
        [r for r in published if r.key != figure.key and same_length(r.period, figure.period)]
        + [figure],
        key=lambda r: r.period,
    )
    upto = [r for r in same if r.period_end <= figure.period_end]
    start, _ = chart_segments(upto)[-1]
    verdict = xmr_verdict(
        values=[r.value for r in upto[start:]],
        reference=REFERENCE,
        unit=rule.unit,
        direction=rule.direction,
        overlapping=overlap(same),
    )
    return FigureVerdict(Status(verdict.status), Basis.METHOD, Method.XMR, verdict=verdict)


def judge_all(
    figures: Sequence[Reading], published: Sequence[Reading], rule: Rule
) -> list[FigureVerdict]:
    """The verdict on each of ``figures`` (of one measure and area), given the
    published figures of that measure and area: a draft is judged as it would
    be once published, against the published figures."""
    if rule.method == Method.XMR:
        return [_on_chart(figure, published, rule) for figure in figures]
    baseline = next((r for r in published if r.period == rule.baseline_period), None)
    breaks = [
        r for r in published if r.series_break and same_length(r.period, rule.baseline_period)
    ]
    return [_against_baseline(figure, baseline, breaks, rule) for figure in figures]


def change_decimal_places(unit: str, places: int, setting: int | None) -> int:
    """A change's decimal places: the measure's ``setting``, or else one for a
    change in % (−37.1%, as publishers print it), and the values' own
    ``places`` for a change in percentage points."""
    if setting is not None:
        return setting
    return places if unit == PERCENTAGE else 1


# Progress towards a target -------------------------------------------------


class Progress(enum.StrEnum):
    MET = "met"
    NOT_COMPARABLE = "not-comparable"
    ON_TRACK = "on-track"
    OFF_TRACK = "off-track"
    NOT_MET = "not-met"
    NOT_ENOUGH_DATA = "not-enough-data"

    @property
    def label(self) -> str:
        return str(PROGRESS_LABELS[self])

    @property
    def icon(self) -> str:
        return PROGRESS_ICONS[self]


PROGRESS_LABELS = {
    Progress.MET: gettext_lazy("Met"),
    Progress.NOT_COMPARABLE: gettext_lazy("Not comparable"),
    Progress.ON_TRACK: gettext_lazy("On track"),
    Progress.OFF_TRACK: gettext_lazy("Off track"),
    Progress.NOT_MET: gettext_lazy("Not met"),
    Progress.NOT_ENOUGH_DATA: gettext_lazy("Not enough data"),
}
PROGRESS_ICONS = {
    Progress.MET: "✓",
    Progress.NOT_COMPARABLE: "◆",
    Progress.ON_TRACK: "▲",
    Progress.OFF_TRACK: "▼",
    Progress.NOT_MET: "✕",
    Progress.NOT_ENOUGH_DATA: "?",
}


class ProgressReason(enum.StrEnum):
    """Why a target's progress is what it is (``measures.display`` says it)."""

    NO_FIGURES = "no-figures"
    SERIES_BREAK = "series-break"  # never judged across a break
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
    broken_in: int | None = None  # the year the series broke, when it did

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
    # On the start day itself the line below gives the start value too.
    if when <= start_day:  # pragma: no mutate
        return start_value
    # No step has passed, so the last one lies after ``when``, itself after the
    # start: the line has a length.
    share = Decimal((when - start_day).days) / Decimal((end_day - start_day).days)
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
    if status in (Status.IMPROVING, Status.SPECIAL_IMPROVING):
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
    status: Status,
    broken_in: int | None = None,
) -> TargetProgress:
    """Met, on track or off track against the trajectory, or not met once due,
    judged on the unrounded values; never across a series break between the
    baseline and the latest figure (``broken_in``: the year it broke), since
    the target was set in the terms of the old series."""
    if broken_in is not None:
        return TargetProgress(
            Progress.NOT_COMPARABLE, ProgressReason.SERIES_BREAK, due, broken_in=broken_in
        )
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
    if reaches(latest, expected, direction):
        return TargetProgress(Progress.ON_TRACK, ProgressReason.ON_TRAJECTORY, due, goal, expected)
    return TargetProgress(Progress.OFF_TRACK, ProgressReason.BEHIND_TRAJECTORY, due, goal, expected)
