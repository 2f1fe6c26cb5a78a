"""When statistics are released: the rule of the Code of Practice for
Statistics, on plain values.

The Code of Practice for Statistics (UK Statistics Authority, edition 2.0 of
2018 as amended on 5 May 2022), principle T3 *Orderly release*
(https://www.statisticsauthority.gov.uk/code-of-practice/the-code/trustworthiness/t3-orderly-release/):
T3.1, releases are pre-announced in a 12-month release calendar, with a
specific date at least four weeks ahead where practicable; T3.2, a change to
a pre-announced date or time is announced promptly with its reasons; T3.6,
statistics are released to all users at 9.30am on a weekday. The Code's
edition 3.0 (2025) keeps this as Standard 3 ("at a standard time (usually
9.30am)", 3.1 and 3.2). A weekday that is a bank holiday in England and
Wales (the list GOV.UK publishes at https://www.gov.uk/bank-holidays; the
dates here come from the holidays library's rules for England, which Wales
shares, substitute days included) is not a release day either. The sources,
and what of them was checked: docs/sources.md, section 8.
"""

import datetime
import functools
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext

#: UK time, with British Summer Time: 09:30 is 08:30 UTC from late March to late October.
UK = ZoneInfo("Europe/London")
STANDARD_TIME = datetime.time(9, 30)
SATURDAY = 5


@functools.cache
def _bank_holidays() -> holidays.HolidayBase:
    # Years are added as they are asked for.
    return holidays.country_holidays("GB", subdiv="ENG")


def bank_holiday(day: datetime.date) -> str | None:
    """The bank holiday in England and Wales on ``day`` ("Christmas Day"), or None."""
    return _bank_holidays().get(day)


def not_a_release_day(day: datetime.date) -> str | None:
    """Why no release is made on ``day`` (a weekend, a bank holiday), or None."""
    if day.weekday() >= SATURDAY:
        return "Choose a weekday: releases are not made at weekends."
    holiday = bank_holiday(day)
    if holiday:
        return (
            f"{day.day} {day:%B %Y} is a bank holiday in England and Wales ({holiday}): "
            "choose a working day."
        )
    return None


def at_uk_time(day: datetime.date, time: datetime.time = STANDARD_TIME) -> datetime.datetime:
    """``day`` at ``time`` UK time, as an aware datetime."""
    return datetime.datetime.combine(day, time, tzinfo=UK)


def next_release_time(now: datetime.datetime) -> datetime.datetime:
    """The next 09:30 UK time on a working day (not a weekend or a bank
    holiday) strictly after ``now`` (an aware datetime)."""
    day = now.astimezone(UK).date()
    while True:
        candidate = at_uk_time(day)
        if not_a_release_day(day) is None and candidate > now:
            return candidate
        day += datetime.timedelta(days=1)


def format_release_time(moment: datetime.datetime) -> str:
    """ "9:30am on Tuesday 26 January 2027", in UK time."""
    local = moment.astimezone(UK)
    hour = local.hour % 12 or 12
    if local.hour < 12:
        time = gettext("%(hour)s:%(minute)sam") % {"hour": hour, "minute": f"{local:%M}"}
    else:
        time = gettext("%(hour)s:%(minute)spm") % {"hour": hour, "minute": f"{local:%M}"}
    day = f"{local:%A} {local.day} {local:%B %Y}"
    return gettext("%(time)s on %(day)s") % {"time": time, "day": day}


def format_release_day(moment: datetime.datetime) -> str:
    """ "26 January 2027", the day in UK time."""
    local = moment.astimezone(UK)
    return f"{local.day} {local:%B %Y}"


def format_release_short(moment: datetime.datetime) -> str:
    """ "Tue 26 Jan 2027, 09:30", in UK time: for lists with many columns."""
    local = moment.astimezone(UK)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"
