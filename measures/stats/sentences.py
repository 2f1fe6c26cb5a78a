"""The words for a verdict: its label, its method's name, and one plain-English
sentence built from the verdict's own numbers.

This is the one place where a verdict's numbers are rounded, with
``measures.formatting`` (thousands separators, the unit, a true minus sign):
the rules in ``verdict`` never see a rounded number.
"""

import math
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..formatting import (
    COUNT,
    PERCENTAGE,
    format_change,
    format_number,
    format_value,
    quantize,
)
from .verdict import ALPHA, Method, Reason, Status, Verdict
from .xmr import Side, Signal, SpcStatus, XmrChart, XmrPoint

__all__ = [
    "LIMIT_EXTRA_PLACES",
    "METHOD_NAMES",
    "STATUS_LABELS",
    "format_limit",
    "format_p",
    "sentence",
    "signal_phrases",
]

# Lazy, as module constants must be (translated when shown): ``str()`` one
# before it goes anywhere but a page (a download, JSON, the database).
STATUS_LABELS = {
    Status.IMPROVING: gettext_lazy("Improving"),
    Status.NO_CHANGE: gettext_lazy("No significant change"),
    Status.WORSENING: gettext_lazy("Worsening"),
    Status.NOT_COMPARABLE: gettext_lazy("Not comparable"),
    Status.NOT_ENOUGH_DATA: gettext_lazy("Not enough data"),
    SpcStatus.IMPROVING: gettext_lazy("Improving: special cause"),
    SpcStatus.CONCERNING: gettext_lazy("Concerning: special cause"),
    SpcStatus.COMMON_CAUSE: gettext_lazy("Common cause variation"),
}

METHOD_NAMES = {
    Method.POISSON: gettext_lazy("Exact test of two Poisson counts"),
    Method.SURVEY: gettext_lazy("Test of the difference between two survey estimates"),
    Method.TOLERANCE: gettext_lazy("Fixed tolerance (no test of chance)"),
    Method.XMR: gettext_lazy("XmR control chart (Making Data Count rules)"),
}

# Below this a p-value is shown as "p < 0.001".
SMALLEST_P_SHOWN = Decimal("0.001")
NO_TEST_OF_CHANCE = gettext_lazy("This rule does not test whether a change could be chance.")


def format_p(p_value: float, alpha: float = ALPHA) -> str:
    """A p-value to two significant figures ("p = 0.11", "p = 0.019"), with
    more figures where two would carry it across ``alpha`` (0.0498 is not
    shown as 0.050), and "p < 0.001" below that."""
    p = Decimal(p_value)
    if p < SMALLEST_P_SHOWN:
        return _("p < %(p)s") % {"p": format_number(SMALLEST_P_SHOWN, 3)}
    places = max(1, 1 - math.floor(math.log10(p_value)))
    level = Decimal(str(alpha))
    # Ends: at enough places the rounded p is p itself.
    while (quantize(p, places) < level) != (p < level):
        places += 1
    return _("p = %(p)s") % {"p": format_number(p, places)}


def _decimals(number: Decimal) -> int:
    """The decimal places a (finite) number is written with: 5 → 0, 2.5 → 1."""
    return max(0, -Decimal(number).normalize().as_tuple().exponent)


def _size(verdict: Verdict, change_places: int) -> tuple[str, str]:
    """The change and the smallest change that matters, as text (the change
    is asked for only where there is one: not from zero)."""
    smallest = verdict.smallest_change
    points = verdict.unit == PERCENTAGE
    limit = format_number(smallest, _decimals(smallest))
    limit = (_("%(number)s percentage points") if points else _("%(number)s%%")) % {"number": limit}
    if verdict.change is None:
        return "", limit  # pragma: no mutate
    return format_change(verdict.change, verdict.unit, change_places), limit


def _comparison(verdict: Verdict, places: int) -> str:
    """ "22 is fewer than 35", "36% is higher than 31%"."""
    latest = format_value(verdict.latest, verdict.unit, places)
    baseline = format_value(verdict.baseline, verdict.unit, places)
    rise = verdict.latest > verdict.baseline  # pragma: no mutate (equal values never come here)
    values = {"latest": latest, "baseline": baseline}
    if verdict.unit == COUNT:
        if rise:
            return _("%(latest)s is more than %(baseline)s") % values
        return _("%(latest)s is fewer than %(baseline)s") % values
    if rise:
        return _("%(latest)s is higher than %(baseline)s") % values
    return _("%(latest)s is lower than %(baseline)s") % values


def _between(verdict: Verdict, significant: bool) -> str:
    if verdict.method == Method.SURVEY:
        return _("between two survey estimates")
    if verdict.unit == COUNT:
        return _("between counts like these") if significant else _("between counts this small")
    if significant:
        return _("between rates from counts like these")
    return _("between rates from counts this small")


def _tested(verdict: Verdict, places: int, change_places: int) -> str:
    """The sentence for the two tested methods: the test, then the size."""
    reasons = verdict.reasons
    if Reason.NO_DIFFERENCE in reasons:
        value = format_value(verdict.latest, verdict.unit, places)
        return _("%(value)s in both periods: there is no change.") % {"value": value}
    significant = Reason.SIGNIFICANT in reasons
    large = Reason.LARGER_THAN_SMALLEST_CHANGE in reasons
    odds = round(1 / verdict.test.alpha)
    chance = {"between": _between(verdict, significant), "odds": odds}
    chance["p"] = format_p(verdict.p_value, verdict.test.alpha)
    if significant:
        chance = (
            _(
                "a difference this size %(between)s happens by chance less than 1 time in %(odds)s "
                "(%(p)s)"
            )
            % chance
        )
    else:
        chance = (
            _(
                "a difference this size %(between)s happens by chance more than 1 time in %(odds)s "
                "(%(p)s)"
            )
            % chance
        )
    change, limit = _size(verdict, change_places)
    if Reason.ZERO_BASELINE in reasons:
        size = _("from none, any rise is larger than the change that matters")
    elif large:
        size = _(
            "at %(change)s it is larger than the %(limit)s change that matters for this measure"
        )
    else:
        size = _("at %(change)s it is within the %(limit)s change that matters for this measure")
    words = {"comparison": _comparison(verdict, places), "chance": chance}
    words["size"] = size % {"change": change, "limit": limit}
    if significant and large:
        if verdict.status == Status.IMPROVING:
            return (
                _("%(comparison)s, and %(chance)s; %(size)s, so it is counted as an improvement.")
                % words
            )
        return (
            _("%(comparison)s, and %(chance)s; %(size)s, so it is counted as a worsening.") % words
        )
    if significant:
        return (
            _("%(comparison)s, and %(chance)s, but %(size)s, so it is not counted as a change.")
            % words
        )
    if large:
        return _("%(comparison)s, but %(chance)s, so it is not counted as a change.") % words
    return (
        _("%(comparison)s, but %(chance)s, and %(size)s, so it is not counted as a change.") % words
    )


def _tolerance(verdict: Verdict, places: int, change_places: int) -> str:
    if Reason.NO_DIFFERENCE in verdict.reasons:
        value = format_value(verdict.latest, verdict.unit, places)
        same = _("%(value)s in both periods: there is no change.") % {"value": value}
        return f"{same} {NO_TEST_OF_CHANCE}"
    change, limit = _size(verdict, change_places)
    if Reason.ZERO_BASELINE in verdict.reasons:
        size = _("from none, any rise is larger than the tolerance set for this measure")
    elif Reason.LARGER_THAN_SMALLEST_CHANGE in verdict.reasons:
        size = _(
            "at %(change)s the change is larger than the %(limit)s tolerance set for this measure"
        )
    else:
        size = _("at %(change)s the change is within the %(limit)s tolerance set for this measure")
    words = {"comparison": _comparison(verdict, places)}
    words["size"] = size % {"change": change, "limit": limit}
    if verdict.status == Status.NO_CHANGE:
        text = _("%(comparison)s: %(size)s, so it is not counted as a change.") % words
    elif verdict.status == Status.IMPROVING:
        text = _("%(comparison)s: %(size)s, so it is counted as an improvement.") % words
    else:
        text = _("%(comparison)s: %(size)s, so it is counted as a worsening.") % words
    return f"{text} {NO_TEST_OF_CHANCE}"


# A chart's mean and process limits are worded to one more decimal place than
# its figures: at the figures' own precision a count of 19 beyond a limit of
# 18.6 would read "19 is above the upper process limit of 19".
LIMIT_EXTRA_PLACES = 1


def format_limit(value: float, unit: str, places: int) -> str:
    """A chart's mean or process limit, with its unit, as every page words it."""
    return format_value(Decimal(value), unit, places + LIMIT_EXTRA_PLACES)


def _signal_phrase(signal: Signal, side: Side, chart: XmrChart, unit: str, places: int) -> str:
    high = side == Side.HIGH
    if signal == Signal.BEYOND_LIMIT:
        limit = format_limit(chart.upper_limit if high else chart.lower_limit, unit, places)
        if high:
            return _("above the upper process limit of %(limit)s") % {"limit": limit}
        return _("below the lower process limit of %(limit)s") % {"limit": limit}
    if signal == Signal.SHIFT:
        mean = {"mean": format_limit(chart.mean, unit, places)}
        if high:
            return _("one of 7 or more figures in a row above the mean of %(mean)s") % mean
        return _("one of 7 or more figures in a row below the mean of %(mean)s") % mean
    if signal == Signal.TREND:
        if high:
            return _("one of 7 or more figures in a row each higher than the last")
        return _("one of 7 or more figures in a row each lower than the last")
    if high:
        return _("one of 2 in 3 figures in a row more than two sigma above the mean")
    return _("one of 2 in 3 figures in a row more than two sigma below the mean")


def signal_phrases(point: XmrPoint, chart: XmrChart, unit: str, places: int) -> str:
    """Why a point of ``chart`` is special cause, in words ("above the upper
    process limit of 18.6 and ..."), or "" when it is not."""
    phrases = [
        _signal_phrase(found.signal, found.side, chart, unit, places) for found in point.signals
    ]
    if not phrases:
        return ""
    if len(phrases) == 1:
        return phrases[0]
    return _("%(phrases)s and %(last)s") % {"phrases": ", ".join(phrases[:-1]), "last": phrases[-1]}


def _xmr(verdict: Verdict, places: int) -> str:
    chart = verdict.chart
    unit = verdict.unit
    latest = format_value(verdict.latest, unit, places)
    label = STATUS_LABELS[verdict.status]
    if verdict.status == SpcStatus.COMMON_CAUSE:
        lower = format_limit(chart.lower_limit, unit, places)
        upper = format_limit(chart.upper_limit, unit, places)
        return _(
            "%(label)s. The latest figure, %(latest)s, is within the process limits of "
            "%(lower)s to %(upper)s and is part of no unusual pattern."
        ) % {"label": label, "latest": latest, "lower": lower, "upper": upper}
    why = signal_phrases(chart.points[-1], chart, unit, places)
    return _("%(label)s. The latest figure, %(latest)s, is %(why)s.") % {
        "label": label,
        "latest": latest,
        "why": why,
    }


def _untested(verdict: Verdict, places: int, change_places: int) -> str:
    """ "36% is higher than 31% (+5 percentage points)", or the same value twice."""
    if verdict.latest == verdict.baseline:
        value = format_value(verdict.latest, verdict.unit, places)
        return _("%(value)s in both periods") % {"value": value}
    text = _comparison(verdict, places)
    if verdict.change is not None:
        text += f" ({format_change(verdict.change, verdict.unit, change_places)})"
    return text


def _unavailable(verdict: Verdict, changed_in: str | None, places: int, change_places: int) -> str:
    reasons = verdict.reasons
    if Reason.SERIES_BREAK in reasons:
        if changed_in:
            return _(
                "Not comparable: the way this is measured changed in %(when)s, "
                "so no change is given."
            ) % {"when": changed_in}
        return _("Not comparable: the way this is measured changed, so no change is given.")
    if Reason.NO_INTERVAL in reasons:
        return _(
            "%(figures)s, but the change cannot be tested: "
            "the test needs both figures' 95%% confidence intervals."
        ) % {"figures": _untested(verdict, places, change_places)}
    if Reason.NOT_A_COUNT in reasons:
        return _(
            "%(figures)s, but the change cannot be tested: "
            "the exact test is for whole counts of events, and these figures are not."
        ) % {"figures": _untested(verdict, places, change_places)}
    if Reason.OVERLAPPING_PERIODS in reasons:
        return _(
            "Not charted: these figures' periods overlap (a rolling 12 months shares 11 "
            "with the next), so they are not the separate points a control chart needs."
        )
    if Reason.TOO_FEW_POINTS in reasons:
        return _("Not enough data: a control chart needs at least 12 figures to set its limits.")
    return _("There is not yet both a baseline figure and a recent figure to compare.")


def sentence(
    verdict: Verdict,
    *,
    places: int = 0,
    change_places: int | None = None,
    changed_in: str | None = None,
) -> str:
    """One sentence that gives the verdict and why, for example: "22 is fewer
    than 35, but a difference this size between counts this small happens by
    chance more than 1 time in 20 (p = 0.11), so it is not counted as a change."

    ``places``: the values' decimal places. ``change_places``: the change's
    (by default one for a relative change, ``places`` for percentage points).
    ``changed_in``: when a series break happened ("2024"), for its sentence.
    """
    if change_places is None:
        change_places = places if verdict.unit == PERCENTAGE else 1
    if verdict.method == Method.XMR and verdict.chart is not None:
        return _xmr(verdict, places)
    if not verdict.comparable:
        return _unavailable(verdict, changed_in, places, change_places)
    if verdict.method == Method.TOLERANCE:
        return _tolerance(verdict, places, change_places)
    return _tested(verdict, places, change_places)
