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
9.30am)", 3.1 and 3.2). Bank holidays are not known here: a publisher moves
a release that falls on one. The sources, and what of them was checked:
docs/sources.md, section 8.
"""

import datetime
from zoneinfo import ZoneInfo

#: UK time, with British Summer Time: 09:30 is 08:30 UTC from late March to late October.
UK = ZoneInfo("Europe/London")
STANDARD_TIME = datetime.time(9, 30)
SATURDAY = 5


def is_weekday(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY


def at_uk_time(day: datetime.date, time: datetime.time = STANDARD_TIME) -> datetime.datetime:
    """``day`` at ``time`` UK time, as an aware datetime."""
    return datetime.datetime.combine(day, time, tzinfo=UK)


def next_release_time(now: datetime.datetime) -> datetime.datetime:
    """The next 09:30 UK time on a weekday strictly after ``now`` (an aware datetime)."""
    day = now.astimezone(UK).date()
    while True:
        candidate = at_uk_time(day)
        if is_weekday(day) and candidate > now:
            return candidate
        day += datetime.timedelta(days=1)


def format_release_time(moment: datetime.datetime) -> str:
    """ "9:30am on Tuesday 26 January 2027", in UK time."""
    local = moment.astimezone(UK)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}:{local:%M}{suffix} on {local:%A} {local.day} {local:%B %Y}"


def format_release_day(moment: datetime.datetime) -> str:
    """ "26 January 2027", the day in UK time."""
    local = moment.astimezone(UK)
    return f"{local.day} {local:%B %Y}"


def format_release_short(moment: datetime.datetime) -> str:
    """ "Tue 26 Jan 2027, 09:30", in UK time: for lists with many columns."""
    local = moment.astimezone(UK)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"
