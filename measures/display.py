"""What the pages say about figures, statuses and targets: every number and
sentence formatted once, here, from what the rules worked out.

Data flows one way: ``FigureQuerySet.comparable`` selects the rows,
``measures.summary`` computes with plain numbers (``measures.status``), and
this module presents the result. Nothing here runs a query or decides a rule.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from .formatting import (
    chart_number,
    format_change,
    format_date,
    format_interval,
    format_short,
    format_short_interval,
    format_value,
)
from .models import Area, Measure, Target
from .periods import period_label
from .stats.sentences import (
    LIMIT_EXTRA_PLACES,
    METHOD_NAMES,
    STATUS_LABELS,
    sentence,
    signal_phrases,
)
from .stats.verdict import Method
from .stats.xmr import SpcStatus, XmrPoint
from .status import Basis, ControlChart, FigureVerdict, ProgressReason, Status, TargetProgress

EMPTY_CELL = "—"


def revision_note(
    revised_at: datetime.datetime,
    previous: Decimal,
    unit: str,
    places: int,
    *,
    release: str = "",
    reason: str = "",
) -> str:
    """ "Revised 3 March 2026; previously 1,234: the force recounted": what
    the public reads beside a revised figure, on every page and in the admin,
    with the publisher's reason. A figure that an official release revised
    names it instead of the day: "Revised in the Home Office release of 23
    April 2026; previously 1,234"."""
    previously = format_value(previous, unit, places)
    if release:
        return gettext("Revised in %(release)s; previously %(previous)s") % {
            "release": release,
            "previous": previously,
        }
    when = format_date(timezone.localtime(revised_at).date())
    note = gettext("Revised %(day)s; previously %(previous)s") % {
        "day": when,
        "previous": previously,
    }
    return f"{note}: {reason}" if reason else note


BASELINE_SENTENCE = gettext_lazy(
    "This is the baseline figure, which later figures are compared with."
)
OTHER_LENGTH_SENTENCE = gettext_lazy(
    "Not compared: only figures for periods as long as the baseline period are compared with it."
)
NO_FIGURE_SENTENCE = gettext_lazy("There is not yet a published figure to judge.")


def verdict_sentence(verdict: FigureVerdict, *, places: int, change_places: int) -> str:
    """The sentence that gives a figure's verdict and why: worded once, when
    the verdict is stored (``measures.verdicts``)."""
    if verdict.basis == Basis.BASELINE:
        return str(BASELINE_SENTENCE)
    if verdict.basis == Basis.OTHER_LENGTH:
        return str(OTHER_LENGTH_SENTENCE)
    changed_in = str(verdict.broken_in) if verdict.broken_in else None
    return sentence(
        verdict.verdict, places=places, change_places=change_places, changed_in=changed_in
    )


PROGRESS_SENTENCES = {
    ProgressReason.SERIES_BREAK: gettext_lazy(
        "Not comparable: the way this is measured changed in "
        "%(broken_in)s, so progress against a target set before then is not judged."
    ),
    ProgressReason.NO_FIGURES: gettext_lazy(
        "There are not yet the figures needed to judge progress."
    ),
    ProgressReason.NO_TRAJECTORY: gettext_lazy("There is no trajectory to judge progress by."),
    ProgressReason.IMPROVED: gettext_lazy("Met: the latest figure is a significant improvement."),
    ProgressReason.NOT_IMPROVED: gettext_lazy(
        "Not met: there was no significant improvement by %(due)s."
    ),
    ProgressReason.NOT_IMPROVED_YET: gettext_lazy(
        "Not yet met: there is no significant improvement so far (due %(due)s)."
    ),
    ProgressReason.REACHED: gettext_lazy("Met: the latest figure has reached %(goal)s."),
    ProgressReason.MISSED: gettext_lazy("Not met: %(goal)s was to be reached by %(due)s."),
    ProgressReason.ON_TRAJECTORY: gettext_lazy(
        "On track: the trajectory to %(goal)s by %(due)s expects "
        "%(expected)s by now, and the latest figure is there."
    ),
    ProgressReason.BEHIND_TRAJECTORY: gettext_lazy(
        "Off track: the trajectory to %(goal)s by %(due)s expects "
        "%(expected)s by now, and the latest figure falls short."
    ),
}
# An improvement target without figures says it in its own words.
NO_FIGURES_FOR_IMPROVEMENT = gettext_lazy("There are not yet figures to judge it by.")


def progress_sentence(progress: TargetProgress, kind: str, unit: str, places: int) -> str:
    """Where a target stands, in one sentence."""
    if progress.reason == ProgressReason.NO_FIGURES and kind == "improvement":
        return str(NO_FIGURES_FOR_IMPROVEMENT)
    return str(PROGRESS_SENTENCES[progress.reason]) % {
        "due": f"{progress.due:%B %Y}",
        "goal": format_value(progress.goal, unit, places),
        "expected": format_value(progress.expected, unit, places),
        "broken_in": progress.broken_in,
    }


class PeriodLabels(dict):
    """The labels of one series' periods, each worked out once (from the
    period's own dates) and only when shown: the pages that list statuses
    alone never need them."""

    def __missing__(self, period):
        label = self[period] = period_label(*period)
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
        self.note = figure.note
        self.revised_at = figure.revised_at
        self.previous_value = figure.previous_value
        self.revision_reason = figure.revision_reason
        self.updated = figure.updated
        self.verdict = Status(figure.verdict)
        self.verdict_method = figure.verdict_method
        self.change = figure.change
        self.verdict_text = figure.verdict_text
        self.labels = labels
        self.unit = unit
        self.places = places
        # Its place on the measure's XmR chart, when it has one (``ControlLimits.mark``).
        self.limits: ControlLimits | None = None
        self.on_chart: XmrPoint | None = None

    def __repr__(self):
        return f"<Point {self.period_start} to {self.period_end}: {self.value}>"

    @property
    def label(self) -> str:
        return self.labels[self.period_start, self.period_end]

    @cached_property
    def display(self) -> str:
        return format_value(self.value, self.unit, self.places)

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

    @property
    def chart_value(self) -> float | None:
        return chart_number(self.value, self.places)

    @cached_property
    def notes(self) -> str:
        """What a chart table says beside the figure, in one string."""
        notes = ""
        if self.provisional:
            notes += gettext("Provisional.") + " "
        if self.series_break:
            notes += gettext("Series break: not comparable with earlier periods.") + " "
        if self.revised_at:
            notes += self.revision + ". "
        if self.note:
            notes += self.note
        return notes.strip()

    @cached_property
    def revision(self) -> str:
        if self.revised_at is None:
            return ""
        return revision_note(
            self.revised_at,
            self.previous_value,
            self.unit,
            self.places,
            reason=self.revision_reason,
        )


class ControlLimits:
    """One XmR chart of a series as a page shows it: its mean and process
    limits (in a table cell and as the chart draws them, one decimal place
    more than the figures, as the verdict's sentence words them) and its
    reference period; each of its points is told where it stands."""

    def __init__(self, control: ControlChart, points: list[Point], unit: str, places: int):
        self.chart = control.chart
        self.unit = unit
        self.places = places
        self.points = points[control.start : control.stop]
        start, stop = self.chart.reference
        first, last = self.points[start], self.points[stop - 1]
        self.reference_label = gettext("%(first)s to %(last)s") % {
            "first": first.label,
            "last": last.label,
        }
        self.reference_size = stop - start
        self.after_break = self.points[0].series_break and control.start > 0
        for point, on_chart in zip(self.points, self.chart.points, strict=True):
            point.limits = self
            point.on_chart = on_chart

    @property
    def reference_words(self) -> str:
        """ "April 2019 to March 2020 (the first 12 figures since the series break)"."""
        words = {"period": self.reference_label, "size": self.reference_size}
        if self.after_break:
            return gettext("%(period)s (the first %(size)s figures since the series break)") % words
        return gettext("%(period)s (the first %(size)s figures)") % words

    def _short(self, value: float) -> str:
        return format_short(Decimal(value), self.unit, self.places + LIMIT_EXTRA_PLACES)

    def _number(self, value: float) -> float:
        return chart_number(Decimal(value), self.places + LIMIT_EXTRA_PLACES)

    @property
    def mean_text(self) -> str:
        return self._short(self.chart.mean)

    @property
    def lower_text(self) -> str:
        return self._short(self.chart.lower_limit)

    @property
    def upper_text(self) -> str:
        return self._short(self.chart.upper_limit)

    @property
    def mean_chart(self) -> float:
        return self._number(self.chart.mean)

    @property
    def lower_chart(self) -> float:
        return self._number(self.chart.lower_limit)

    @property
    def upper_chart(self) -> float:
        return self._number(self.chart.upper_limit)

    def special_text(self, point: Point) -> str:
        """ "Concerning: special cause: above the upper process limit of 18.6", or
        "Common cause variation": what the chart says of one of its points."""
        status = point.on_chart.status
        label = str(STATUS_LABELS[status])
        if status == SpcStatus.COMMON_CAUSE:
            return label
        return f"{label}: {signal_phrases(point.on_chart, self.chart, self.unit, self.places)}"


@dataclass
class TargetSummary:
    target: Target
    area: Area | None
    progress: TargetProgress
    points: list[tuple[datetime.date, Decimal]]  # the trajectory in values, rounded
    unit: str
    places: int

    @property
    def description(self) -> str:
        return self.target.description or str(self.target)

    @cached_property
    def sentence(self) -> str:
        return progress_sentence(self.progress, self.target.kind, self.unit, self.places)


EMPTY_CELL = "—"

# Why an XmR measure's figures are not drawn as a control chart. Rolling
# figures: consecutive points that share months are correlated, and "if
# consecutive data points are correlated, the control limits will be too
# narrow" (Minitab's data considerations for the individuals chart).
NOT_CHARTED_OVERLAPPING = gettext_lazy(
    "These figures are not drawn as a control chart: each covers a rolling 12 months that "
    "shares 11 months with the next, so the points are not independent, and process limits "
    "worked out from them would be too narrow. An XmR chart needs monthly or quarterly "
    "figures whose periods do not overlap."
)
NOT_CHARTED_TOO_FEW = gettext_lazy(
    "The mean and process limits are drawn once there are 12 figures (since the last series "
    "break) to work them out from."
)


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

    @property
    def limits(self) -> "ControlLimits | None":
        return self.local.limits if self.local else None

    @property
    def mean_text(self) -> str:
        return self.limits.mean_text if self.limits else EMPTY_CELL

    @property
    def lower_limit_text(self) -> str:
        return self.limits.lower_text if self.limits else EMPTY_CELL

    @property
    def upper_limit_text(self) -> str:
        return self.limits.upper_text if self.limits else EMPTY_CELL

    @property
    def special_text(self) -> str:
        return self.limits.special_text(self.local) if self.limits else EMPTY_CELL


class LatestReading:
    """What a page says of a measure's latest figure in an area, from the
    verdict and change stored on it; ``measure`` and ``latest`` (a Point or
    None) are the subclass's."""

    @property
    def status(self) -> Status:
        """The latest figure's stored verdict."""
        return self.latest.verdict if self.latest else Status.NOT_ENOUGH_DATA

    @property
    def unit(self) -> str:
        return self.measure.unit

    @property
    def change_display(self) -> str:
        change = self.latest.change if self.latest else None
        return format_change(change, self.unit, self.measure.change_decimal_places)


@dataclass
class LatestSummary(LatestReading):
    """A measure's latest comparable figure in one area and nothing older: for
    a page that lists every measure (a force's own page), where a series per
    measure would be read only to show its last point."""

    measure: Measure
    latest: Point | None


@dataclass
class MeasureSummary(LatestReading):
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
    rolling: bool = False
    # The XmR charts of the area's series, for a measure read on one (oldest first).
    control: list[ControlLimits] = field(default_factory=list)
    # An XmR measure whose figures' periods overlap: not charted that way.
    overlapping: bool = False
    targets: list[TargetSummary] = field(default_factory=list)
    national_targets: list[TargetSummary] = field(default_factory=list)

    @property
    def places(self) -> int:
        return self.measure.decimal_places

    @property
    def method_name(self) -> str:
        """The statistical method that gave the status, by name."""
        method = (self.latest.verdict_method if self.latest else "") or self.measure.method
        return str(METHOD_NAMES[Method(method)])

    @property
    def method_sentence(self) -> str:
        """The verdict and why, in one sentence."""
        return self.latest.verdict_text if self.latest else str(NO_FIGURE_SENTENCE)

    @cached_property
    def last_updated(self) -> datetime.datetime | None:
        stamps = [p.updated for p in (*self.local, *self.national) if p.updated]
        return max(stamps) if stamps else None

    @cached_property
    def rows(self) -> list[Row]:
        """The chart table's lines, oldest first; only pages with a chart need them."""
        return chart_rows(self)

    @cached_property
    def has_intervals(self) -> bool:
        # Read once per row of a table: worked out once.
        return any(
            p.lower is not None and p.upper is not None for p in (*self.local, *self.national)
        )

    @property
    def on_control_chart(self) -> bool:
        """Whether the measure is read on an XmR chart (whether or not one is drawn)."""
        return self.measure.method == Method.XMR

    @property
    def no_control_chart(self) -> str:
        """Why a measure read on an XmR chart has none drawn, or ""."""
        if not self.on_control_chart or self.control or not self.local:
            return ""
        return str(NOT_CHARTED_OVERLAPPING if self.overlapping else NOT_CHARTED_TOO_FEW)

    @property
    def latest_control(self) -> "ControlLimits | None":
        """The XmR chart the latest figure is read on (the one after the last break)."""
        return self.control[-1] if self.control else None

    @property
    def main_target(self) -> TargetSummary | None:
        return self.targets[0] if self.targets else None

    def target_display(self, value: Decimal | None) -> str:
        return format_short(value, self.unit, self.places) if value is not None else ""


def chart_rows(summary: "MeasureSummary") -> list[Row]:
    """The chart table's lines, oldest first: one per period, both areas, the target."""
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
                    gettext("Target by %(month)s") % {"month": f"{day:%B %Y}"},
                    target=value,
                    target_text=summary.target_display(value),
                )
    ordered = [rows[key] for key in sorted(rows, key=lambda k: (k[0], k[1] or k[0]))]
    for row in ordered:
        row.is_baseline = (row.start, row.end) == summary.baseline_period
    return ordered
