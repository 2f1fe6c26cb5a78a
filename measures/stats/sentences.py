"""The words for a verdict: its label, its method's name, and one plain-English
sentence built from the verdict's own numbers.

This is the one place where a verdict's numbers are rounded, with
``measures.formatting`` (thousands separators, the unit, a true minus sign):
the rules in ``verdict`` never see a rounded number.
"""

import math
from decimal import Decimal

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

STATUS_LABELS = {
    Status.IMPROVING: "Improving",
    Status.NO_CHANGE: "No significant change",
    Status.WORSENING: "Worsening",
    Status.NOT_COMPARABLE: "Not comparable",
    Status.NOT_ENOUGH_DATA: "Not enough data",
    SpcStatus.IMPROVING: "Improving: special cause",
    SpcStatus.CONCERNING: "Concerning: special cause",
    SpcStatus.COMMON_CAUSE: "Common cause variation",
}

METHOD_NAMES = {
    Method.POISSON: "Exact test of two Poisson counts",
    Method.SURVEY: "Test of the difference between two survey estimates",
    Method.TOLERANCE: "Fixed tolerance (no test of chance)",
    Method.XMR: "XmR control chart (Making Data Count rules)",
}

# Below this a p-value is shown as "p < 0.001".
SMALLEST_P_SHOWN = Decimal("0.001")
NO_TEST_OF_CHANCE = "This rule does not test whether a change could be chance."


def format_p(p_value: float, alpha: float = ALPHA) -> str:
    """A p-value to two significant figures ("p = 0.11", "p = 0.019"), with
    more figures where two would carry it across ``alpha`` (0.0498 is not
    shown as 0.050), and "p < 0.001" below that."""
    p = Decimal(p_value)
    if p < SMALLEST_P_SHOWN:
        return f"p < {format_number(SMALLEST_P_SHOWN, 3)}"
    places = max(1, 1 - math.floor(math.log10(p_value)))
    level = Decimal(str(alpha))
    # Ends: at enough places the rounded p is p itself.
    while (quantize(p, places) < level) != (p < level):
        places += 1
    return f"p = {format_number(p, places)}"


def _decimals(number: Decimal) -> int:
    """The decimal places a (finite) number is written with: 5 → 0, 2.5 → 1."""
    return max(0, -Decimal(number).normalize().as_tuple().exponent)


def _size(verdict: Verdict, change_places: int) -> tuple[str, str]:
    """The change and the smallest change that matters, as text (the change
    is asked for only where there is one: not from zero)."""
    smallest = verdict.smallest_change
    points = verdict.unit == PERCENTAGE
    limit = format_number(smallest, _decimals(smallest))
    limit += " percentage points" if points else "%"
    if verdict.change is None:
        return "", limit  # pragma: no mutate
    return format_change(verdict.change, verdict.unit, change_places), limit


def _comparison(verdict: Verdict, places: int) -> str:
    """ "22 is fewer than 35", "36% is higher than 31%"."""
    latest = format_value(verdict.latest, verdict.unit, places)
    baseline = format_value(verdict.baseline, verdict.unit, places)
    rise = verdict.latest > verdict.baseline  # pragma: no mutate (equal values never come here)
    words = ("more", "fewer") if verdict.unit == COUNT else ("higher", "lower")
    word = words[0] if rise else words[1]
    return f"{latest} is {word} than {baseline}"


def _between(verdict: Verdict, significant: bool) -> str:
    if verdict.method == Method.SURVEY:
        return "between two survey estimates"
    size = "like these" if significant else "this small"
    if verdict.unit == COUNT:
        return f"between counts {size}"
    return f"between rates from counts {size}"


def _tested(verdict: Verdict, places: int, change_places: int) -> str:
    """The sentence for the two tested methods: the test, then the size."""
    reasons = verdict.reasons
    if Reason.NO_DIFFERENCE in reasons:
        value = format_value(verdict.latest, verdict.unit, places)
        return f"{value} in both periods: there is no change."
    significant = Reason.SIGNIFICANT in reasons
    large = Reason.LARGER_THAN_SMALLEST_CHANGE in reasons
    odds = round(1 / verdict.test.alpha)
    chance = (
        f"a difference this size {_between(verdict, significant)} happens by chance "
        f"{'less' if significant else 'more'} than 1 time in {odds} "
        f"({format_p(verdict.p_value, verdict.test.alpha)})"
    )
    change, limit = _size(verdict, change_places)
    if Reason.ZERO_BASELINE in reasons:
        size = "from none, any rise is larger than the change that matters"
    else:
        size = f"at {change} it is {'larger than' if large else 'within'} the {limit} change "
        size += "that matters for this measure"
    comparison = _comparison(verdict, places)
    if significant and large:
        outcome = "an improvement" if verdict.status == Status.IMPROVING else "a worsening"
        return f"{comparison}, and {chance}; {size}, so it is counted as {outcome}."
    if significant:
        return f"{comparison}, and {chance}, but {size}, so it is not counted as a change."
    if large:
        return f"{comparison}, but {chance}, so it is not counted as a change."
    return f"{comparison}, but {chance}, and {size}, so it is not counted as a change."


def _tolerance(verdict: Verdict, places: int, change_places: int) -> str:
    if Reason.NO_DIFFERENCE in verdict.reasons:
        value = format_value(verdict.latest, verdict.unit, places)
        return f"{value} in both periods: there is no change. {NO_TEST_OF_CHANCE}"
    change, limit = _size(verdict, change_places)
    comparison = _comparison(verdict, places)
    if Reason.ZERO_BASELINE in verdict.reasons:
        size = "from none, any rise is larger than the tolerance set for this measure"
    elif Reason.LARGER_THAN_SMALLEST_CHANGE in verdict.reasons:
        size = f"at {change} the change is larger than the {limit} tolerance set for this measure"
    else:
        size = f"at {change} the change is within the {limit} tolerance set for this measure"
    if verdict.status == Status.NO_CHANGE:
        outcome = "it is not counted as a change"
    else:
        outcome = "it is counted as " + (
            "an improvement" if verdict.status == Status.IMPROVING else "a worsening"
        )
    return f"{comparison}: {size}, so {outcome}. {NO_TEST_OF_CHANCE}"


# A chart's mean and process limits are worded to one more decimal place than
# its figures: at the figures' own precision a count of 19 beyond a limit of
# 18.6 would read "19 is above the upper process limit of 19".
LIMIT_EXTRA_PLACES = 1


def format_limit(value: float, unit: str, places: int) -> str:
    """A chart's mean or process limit, with its unit, as every page words it."""
    return format_value(Decimal(value), unit, places + LIMIT_EXTRA_PLACES)


def _signal_phrase(signal: Signal, side: Side, chart: XmrChart, unit: str, places: int) -> str:
    high = side == Side.HIGH
    where = "above" if high else "below"
    if signal == Signal.BEYOND_LIMIT:
        limit = format_limit(chart.upper_limit if high else chart.lower_limit, unit, places)
        return f"{where} the {'upper' if high else 'lower'} process limit of {limit}"
    if signal == Signal.SHIFT:
        mean = format_limit(chart.mean, unit, places)
        return f"one of 7 or more figures in a row {where} the mean of {mean}"
    if signal == Signal.TREND:
        return (
            f"one of 7 or more figures in a row each {'higher' if high else 'lower'} than the last"
        )
    return f"one of 2 in 3 figures in a row more than two sigma {where} the mean"


def signal_phrases(point: XmrPoint, chart: XmrChart, unit: str, places: int) -> str:
    """Why a point of ``chart`` is special cause, in words ("above the upper
    process limit of 18.6 and ..."), or "" when it is not."""
    phrases = [
        _signal_phrase(found.signal, found.side, chart, unit, places) for found in point.signals
    ]
    if len(phrases) < 2:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _xmr(verdict: Verdict, places: int) -> str:
    chart = verdict.chart
    unit = verdict.unit
    latest = format_value(verdict.latest, unit, places)
    label = STATUS_LABELS[verdict.status]
    if verdict.status == SpcStatus.COMMON_CAUSE:
        lower = format_limit(chart.lower_limit, unit, places)
        upper = format_limit(chart.upper_limit, unit, places)
        return (
            f"{label}. The latest figure, {latest}, is within the process limits of "
            f"{lower} to {upper} and is part of no unusual pattern."
        )
    why = signal_phrases(chart.points[-1], chart, unit, places)
    return f"{label}. The latest figure, {latest}, is {why}."


def _untested(verdict: Verdict, places: int, change_places: int) -> str:
    """ "36% is higher than 31% (+5 percentage points)", or the same value twice."""
    if verdict.latest == verdict.baseline:
        return f"{format_value(verdict.latest, verdict.unit, places)} in both periods"
    text = _comparison(verdict, places)
    if verdict.change is not None:
        text += f" ({format_change(verdict.change, verdict.unit, change_places)})"
    return text


def _unavailable(verdict: Verdict, changed_in: str | None, places: int, change_places: int) -> str:
    reasons = verdict.reasons
    if Reason.SERIES_BREAK in reasons:
        when = f" in {changed_in}" if changed_in else ""
        return f"Not comparable: the way this is measured changed{when}, so no change is given."
    if Reason.NO_INTERVAL in reasons:
        return f"{_untested(verdict, places, change_places)}, but the change cannot be tested: " + (
            "the test needs both figures' 95% confidence intervals."
        )
    if Reason.NOT_A_COUNT in reasons:
        return f"{_untested(verdict, places, change_places)}, but the change cannot be tested: " + (
            "the exact test is for whole counts of events, and these figures are not."
        )
    if Reason.OVERLAPPING_PERIODS in reasons:
        return (
            "Not charted: these figures' periods overlap (a rolling 12 months shares 11 "
            "with the next), so they are not the separate points a control chart needs."
        )
    if Reason.TOO_FEW_POINTS in reasons:
        return "Not enough data: a control chart needs at least 12 figures to set its limits."
    return "There is not yet both a baseline figure and a recent figure to compare."


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
