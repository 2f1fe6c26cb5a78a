"""Numbers written for people: thousands separators, the unit, the measure's
decimal places, and a sign on every change. Plain functions on plain values;
the words around the numbers are marked for translation (Welsh)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The unit values of ``measures.models.Unit``, spelt out here so that this
# module needs no model.
COUNT = "count"
PERCENTAGE = "percentage"
RATE_PER_1000 = "rate-per-1000"
RATE_PER_100000 = "rate-per-100000"

MINUS = "\u2212"  # a true minus sign: screen readers say "minus", not "hyphen"
NO_FIGURE = gettext_lazy("No figure")

RATE_SUFFIX = {
    RATE_PER_1000: gettext_lazy(" per 1,000 people"),
    RATE_PER_100000: gettext_lazy(" per 100,000 people"),
}


# The steps of 0 to 4 decimal places (a measure shows at most 4), made once:
# quantize runs for every number a page shows.
QUANTUMS = tuple(Decimal(1).scaleb(-places) for places in range(5))


def quantize(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half up (as people round) to ``places`` decimal places."""
    # The table only saves working the step out again, so which branch runs
    # changes no result; and quantize reads only the step's exponent, so any
    # digit would do for the 1.
    # pragma: no mutate start
    quantum = QUANTUMS[places] if 0 <= places < len(QUANTUMS) else Decimal(1).scaleb(-places)
    # pragma: no mutate end
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int | None, places: int = 0) -> str:
    """1234.5 → "1,234.5"; negative numbers take a true minus sign."""
    if value is None:
        return str(NO_FIGURE)
    rounded = quantize(Decimal(value), places)
    # Never "-0.0": the digits are the absolute value's, and a rounded -0.0
    # (from -0.01) is not less than zero, so it takes no sign.
    text = f"{abs(rounded):,.{places}f}"
    return f"{MINUS}{text}" if rounded < 0 else text


def format_value(value: Decimal | None, unit: str, places: int = 0) -> str:
    """A figure with its unit: "1,234", "64.5%", "38.2 per 1,000 people"."""
    if value is None:
        return str(NO_FIGURE)
    number = format_number(value, places)
    if unit == PERCENTAGE:
        return f"{number}%"
    return number + str(RATE_SUFFIX.get(unit, ""))


def format_short(value: Decimal | None, unit: str, places: int = 0) -> str:
    """A figure for a table cell whose heading names the unit: "1,234", "64.5%", "38.2"."""
    if value is None:
        return str(NO_FIGURE)
    number = format_number(value, places)
    return f"{number}%" if unit == PERCENTAGE else number


def format_interval(lower: Decimal | None, upper: Decimal | None, unit: str, places: int) -> str:
    """A 95% confidence interval: "60.1% to 64.3%", or "" when there is none."""
    if lower is None or upper is None:
        return ""
    if unit == PERCENTAGE:
        lower_text = format_value(lower, unit, places)
    else:
        lower_text = format_number(lower, places)
    return _("%(lower)s to %(upper)s") % {
        "lower": lower_text,
        "upper": format_value(upper, unit, places),
    }


def format_short_interval(
    lower: Decimal | None, upper: Decimal | None, unit: str, places: int
) -> str:
    """An interval for a table cell: "60.1% to 64.3%", "29.0 to 38.0"."""
    if lower is None or upper is None:
        return ""
    return _("%(lower)s to %(upper)s") % {
        "lower": format_short(lower, unit, places),
        "upper": format_short(upper, unit, places),
    }


def format_change(change: Decimal | None, unit: str, places: int = 0) -> str:
    """A change against the baseline, always signed: "+12%", "−2.5 percentage points"."""
    if change is None:
        return _("Not available")
    rounded = quantize(change, places)
    if rounded > 0:
        sign = "+"
    elif rounded < 0:
        sign = MINUS
    else:
        sign = "±"
    text = f"{abs(rounded):,.{places}f}"
    if unit == PERCENTAGE:
        return _("%(change)s percentage points") % {"change": sign + text}
    return f"{sign}{text}%"


def chart_number(value: Decimal | None, places: int) -> float | None:
    """The number a chart plots: rounded as the page shows it, so that both agree."""
    if value is None:
        return None
    return float(quantize(value, places))


def format_date(day: datetime.date | None) -> str:
    """ "3 March 2026": no leading zero, the month in full."""
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"
