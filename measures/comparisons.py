"""Any two published figures of one measure in one area, compared: the latest
against the same period a year earlier, or two periods a reader chose.

Plain values in, a verdict out: the rows are the named tuples the views
selected (``period_start``, ``period_end``, ``value``, ``lower``, ``upper``,
``series_break``), and the verdict comes from the statistical methods of
``measures.stats.verdict``; its words from ``measures.stats.sentences``. No
query here.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .formatting import COUNT, PERCENTAGE, format_change, format_value
from .periods import period_label, same_length, whole_months
from .stats.sentences import METHOD_NAMES, sentence
from .stats.survey import Estimate
from .stats.verdict import Method, Verdict, poisson_verdict, survey_verdict, tolerance_verdict
from .status import Status, series_break_between

Period = tuple[datetime.date, datetime.date]

# A period's value in a shareable address: its first and last day, ISO 8601,
# joined by two dots ("2023-10-01..2024-09-30"): stable, readable, and the
# same for every label the period could be given.
PERIOD_SEPARATOR = ".."


def period_value(period: Period) -> str:
    return f"{period[0].isoformat()}{PERIOD_SEPARATOR}{period[1].isoformat()}"


def parse_period(text: str) -> Period | None:
    """``"2023-10-01..2024-09-30"`` as two dates; None if it is not two ISO
    dates in order."""
    # With a second separator, either half would be longer than a date, from
    # whichever end the text is split: rpartition would refuse it too.
    first, separator, last = text.partition(PERIOD_SEPARATOR)  # pragma: no mutate
    if not separator:
        return None
    try:
        start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    except ValueError:
        return None
    if end < start or len(first) != 10 or len(last) != 10:
        return None
    return start, end


def equal_length(a: Period, b: Period) -> bool:
    """Whether two periods are as long as each other: the same number of whole
    months (a February is as long a month as a March), or, for other periods,
    the same number of days give or take a leap day."""
    months = whole_months(*a), whole_months(*b)
    if months[0] is not None or months[1] is not None:
        return months[0] == months[1]
    return same_length(a, b)


def length_in_words(period: Period) -> str:
    months = whole_months(*period)
    if months is not None:
        return ngettext("%(count)s month", "%(count)s months", months) % {"count": months}
    days = (period[1] - period[0]).days + 1
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def _year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_earlier(period: Period) -> Period:
    """The same period a year earlier: the 12 months to September 2024 → to September 2023."""
    start, end = period
    if whole_months(start, end) is not None:
        # Whole months stay whole months: February 2024 ends on the 29th, 2023 on the 28th.
        last_day = calendar.monthrange(end.year - 1, end.month)[1]
        return start.replace(year=start.year - 1), end.replace(year=end.year - 1, day=last_day)
    return _year_before(start), _year_before(end)


@dataclass(frozen=True)
class Rules:
    """What a comparison needs of its measure: plain values."""

    unit: str
    direction: str
    smallest_change: Decimal  # the measure's tolerance, the smallest change that matters
    is_survey: bool
    places: int
    # The measure's own method; None, or XmR (which reads a series, not two
    # figures), lets the figures choose.
    method: str | None = None


def choose_verdict(rules: Rules, earlier, later, *, series_break: bool) -> Verdict:
    """The method that fits the two figures: survey estimates with intervals
    by the test of their difference, counts of events by the exact Poisson
    test, anything else (rates and percentages without intervals or
    populations) by the fixed tolerance, which says that it tests no chance.
    A measure whose staff chose the survey test or the fixed tolerance is
    judged by it, as its stored verdicts are."""
    common = {"direction": rules.direction, "series_break": series_break}
    chosen = rules.method
    intervals = earlier.lower is not None and later.lower is not None
    by_the_figures = chosen not in (Method.POISSON, Method.TOLERANCE)
    if chosen == Method.SURVEY or (by_the_figures and (rules.is_survey or intervals)):
        return survey_verdict(
            baseline=Estimate(earlier.value, earlier.lower, earlier.upper),
            latest=Estimate(later.value, later.lower, later.upper),
            unit=rules.unit,
            smallest_change=rules.smallest_change,
            **common,
        )
    if rules.unit == COUNT and chosen != Method.TOLERANCE:
        return poisson_verdict(
            baseline=earlier.value,
            latest=later.value,
            smallest_change=rules.smallest_change,
            **common,
        )
    return tolerance_verdict(
        baseline=earlier.value,
        latest=later.value,
        unit=rules.unit,
        tolerance=rules.smallest_change,
        **common,
    )


@dataclass
class Comparison:
    """Two figures of one series, the earlier first, and what their change says."""

    title: str
    earlier: object  # a row: period_start, period_end, value, lower, upper, series_break
    later: object
    verdict: Verdict
    rules: Rules
    break_label: str | None = None  # the period a series break between them starts

    @property
    def earlier_period(self) -> Period:
        return self.earlier.period_start, self.earlier.period_end

    @property
    def later_period(self) -> Period:
        return self.later.period_start, self.later.period_end

    @cached_property
    def earlier_label(self) -> str:
        return period_label(*self.earlier_period)

    @cached_property
    def later_label(self) -> str:
        return period_label(*self.later_period)

    @cached_property
    def earlier_display(self) -> str:
        return format_value(self.earlier.value, self.rules.unit, self.rules.places)

    @cached_property
    def later_display(self) -> str:
        return format_value(self.later.value, self.rules.unit, self.rules.places)

    @property
    def status(self) -> Status:
        return Status(self.verdict.status.value)

    @cached_property
    def change_display(self) -> str:
        if not self.verdict.comparable and self.status == Status.NOT_COMPARABLE:
            return _("Not comparable")
        places = self.rules.places if self.rules.unit == PERCENTAGE else 1
        return format_change(self.verdict.change, self.rules.unit, places)

    @property
    def method_name(self) -> str:
        return str(METHOD_NAMES[self.verdict.method])

    @cached_property
    def sentence(self) -> str:
        return sentence(self.verdict, places=self.rules.places, changed_in=self.break_label)

    @property
    def query(self) -> str:
        """The two periods in the page's address, so the comparison can be shared."""
        return f"from={period_value(self.earlier_period)}&to={period_value(self.later_period)}"


def compare(title: str, rules: Rules, rows: list, earlier, later) -> Comparison:
    """``earlier`` against ``later``, two of ``rows`` (a series, oldest first,
    with its series breaks): never across a break."""
    breaks = [r for r in rows if r.series_break and earlier.period_end < r.period_end]
    broken = series_break_between(breaks, earlier.period_end, later.period_end) is not None
    first_break = next((r for r in breaks if r.period_end <= later.period_end), None)
    verdict = choose_verdict(rules, earlier, later, series_break=broken)
    label = period_label(first_break.period_start, first_break.period_end) if broken else None
    return Comparison(title, earlier, later, verdict, rules, label)


def find(rows: list, period: Period):
    return next((r for r in rows if (r.period_start, r.period_end) == period), None)


def against_a_year_earlier(rules: Rules, rows: list, latest: Period | None) -> Comparison | None:
    """The latest figure against the same period a year earlier, if both are published."""
    if latest is None:
        return None
    later = find(rows, latest)
    earlier = find(rows, year_earlier(latest))
    if later is None or earlier is None:
        return None
    return compare(_("Against the same period a year earlier"), rules, rows, earlier, later)
