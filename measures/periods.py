"""Labels for the periods figures cover, derived from each figure's own dates alone.

Plain functions on dates, no ORM: "12 months to June 2024" (any 12 months:
a calendar year, a financial year, a survey year or one point of a rolling
series), "Q1 2024/25" (a financial quarter), "March 2024" (a month), and the
dates in full for anything else.

A label never depends on which other figures exist: the same figure reads
the same on every page, in every download, in the admin and in the upload
preview. That is why a financial year is "12 months to March 2024" and not
"2023/24": a rolling series (12 months to each quarter's end) would
otherwise switch between "2023/24" and "12 months to June 2024" from one point
to the next, or a figure's label change when a neighbour is published.

Every date the site takes lies between ``EARLIEST`` and ``LATEST``. Police
recorded crime has been collected since 1857 (ONS StatBase, "Notifiable
offences recorded by the police"), so every official series fits after
1850; targets and trajectories reach a few decades ahead, so 2100 is ample.
A mistyped year (1024, 2204, 9999) falls outside and is refused, before it
could reach a calculation or a download that cannot hold it.
"""

import calendar
import datetime

from django.utils.translation import gettext as _

EARLIEST = datetime.date(1850, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def _day_words(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


DATE_RANGE_MESSAGE = (
    f"Dates must lie between {_day_words(EARLIEST)} and {_day_words(LATEST)}: check the year."
)


def within_range(day: datetime.date) -> bool:
    """Whether the site takes ``day``: between ``EARLIEST`` and ``LATEST``."""
    return EARLIEST <= day <= LATEST


def _is_month_start(day: datetime.date) -> bool:
    return day.day == 1


def _is_month_end(day: datetime.date) -> bool:
    # From the calendar, not by adding a day: 9999-12-31 has no next day.
    return day.day == calendar.monthrange(day.year, day.month)[1]


def whole_months(start: datetime.date, end: datetime.date) -> int | None:
    """How many calendar months the period spans, or None if it is not whole months."""
    if not (_is_month_start(start) and _is_month_end(end)):
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return months if months > 0 else None


def financial_year(day: datetime.date) -> str:
    """The financial year (April to March) a day falls in: 2023/24."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


# The financial year's quarters by the month they start in: April to June is Q1.
FINANCIAL_QUARTERS = {4: 1, 7: 2, 10: 3, 1: 4}


def period_label(start: datetime.date, end: datetime.date) -> str:
    """A label a person reads, e.g. "12 months to March 2024", from the two dates only."""
    months = whole_months(start, end)
    if months == 12:
        return _("12 months to %(month)s") % {"month": f"{end:%B %Y}"}
    if months == 3 and start.month in FINANCIAL_QUARTERS:
        return f"Q{FINANCIAL_QUARTERS[start.month]} {financial_year(start)}"
    if months == 1:
        return f"{start:%B %Y}"
    if months is not None:
        return _("%(start)s to %(end)s") % {"start": f"{start:%B %Y}", "end": f"{end:%B %Y}"}
    return _("%(start)s to %(end)s") % {
        "start": f"{start.day} {start:%B %Y}",
        "end": f"{end.day} {end:%B %Y}",
    }


# A period is as long as the baseline when their lengths differ by at most this
# many days: enough for leap years and months of 28 to 31 days, too little
# for a month more or less.
SAME_LENGTH_SLACK = datetime.timedelta(days=3)


def same_length(
    period: tuple[datetime.date, datetime.date], baseline: tuple[datetime.date, datetime.date]
) -> bool:
    """Whether a figure's period is as long as the baseline period, so that the
    two can be compared: a monthly figure says nothing against a 12-month baseline."""
    return abs((period[1] - period[0]) - (baseline[1] - baseline[0])) <= SAME_LENGTH_SLACK


def is_rolling(periods) -> bool:
    """Whether 12-month ``(start, end)`` periods end in more than one month of the year.

    Such a series is rolling (12 months to each quarter's end, say): its
    points overlap, so they are not independent of one another.
    """
    months = {end.month for start, end in periods if whole_months(start, end) == 12}
    return len(months) > 1


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _months_back(year: int, month: int, count: int) -> tuple[int, int]:
    """The month ``count`` months before ``year``-``month``."""
    index = year * 12 + (month - 1) - count
    return index // 12, index % 12 + 1


def _period_ending(
    end_year: int, end_month: int, months: int
) -> tuple[datetime.date, datetime.date]:
    start_year, start_month = _months_back(end_year, end_month, months - 1)
    return datetime.date(start_year, start_month, 1), _month_end(end_year, end_month)


def period_value(start: datetime.date, end: datetime.date) -> str:
    """A period as the entry screens pass it: an ISO 8601 interval of two dates."""
    return f"{start.isoformat()}/{end.isoformat()}"


# How many of each kind of period the entry screens offer, newest first: two
# years of quarters, a year of months.
ENTRY_PERIODS_SHOWN = {"12 months": 8, "quarters": 8, "months": 12}


def entry_periods(today: datetime.date, *, months: bool = True) -> list[tuple[str, list]]:
    """The periods staff most often enter figures for, as groups of
    ``(group name, [((start, end), label), ...])``, newest first.

    Only periods that have ended by ``today`` (nobody enters a figure for a
    period still running): 12 months to each quarter's end (the rolling
    series most national measures use; one ending in March is also the
    financial year), the financial quarters, and the months if ``months``.
    The labels are ``period_label``'s, so the screen names a period exactly
    as the public pages will.
    """
    # The last quarter (March, June, September, December) that has ended: one
    # to three months back, to the month before this one's quarter began.
    year, month = _months_back(today.year, today.month, (today.month - 1) % 3 + 1)
    twelve, quarters = [], []
    for back in range(0, ENTRY_PERIODS_SHOWN["12 months"] * 3, 3):
        end_year, end_month = _months_back(year, month, back)
        period = _period_ending(end_year, end_month, 12)
        label = period_label(*period)
        if end_month == 3:
            # The year's first and last days fall in the same financial year:
            # either names it.
            label += f" (financial year {financial_year(period[0])})"  # pragma: no mutate
        twelve.append((period, label))
    for back in range(0, ENTRY_PERIODS_SHOWN["quarters"] * 3, 3):
        end_year, end_month = _months_back(year, month, back)
        period = _period_ending(end_year, end_month, 3)
        quarters.append((period, period_label(*period)))
    groups = [("12 months", twelve), ("Quarters", quarters)]
    if months:
        last_year, last_month = _months_back(today.year, today.month, 1)
        ended = [
            _period_ending(*_months_back(last_year, last_month, back), 1)
            for back in range(ENTRY_PERIODS_SHOWN["months"])
        ]
        groups.append(("Months", [(period, period_label(*period)) for period in ended]))
    return groups
