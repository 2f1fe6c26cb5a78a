"""The verdict on a change: each method's status, the unrounded change, the
p-value where there is one, and machine-readable reasons.

A verdict of better or worse needs both:

- the method's test (p below 5%), which says the change is unlikely to be
  chance; and
- the measure's smallest change that matters (the old tolerance, reused), since
  with large counts even a 1% change is "significant" (200,000 -> 202,000
  offences has p = 0.0016) while crime counts vary more than a Poisson process.
  A change must be strictly larger than it, as the fixed-tolerance rule has
  always required.

The reasons say which failed. The fixed tolerance stays as a method of its
own, labelled as what it is: a size rule with no test of chance. A series
break between the two figures makes them not comparable, and no change is
given. Numbers are never rounded here: formatting happens once, in
``sentences`` (the honest-numbers issue: a status judged on a rounded change
flipped with one more decimal place).

Changes: relative, in %, for counts and rates; the difference in percentage
points for a percentage measure.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from ..formatting import PERCENTAGE, RATE_PER_1000, RATE_PER_100000
from .poisson import CountComparison, compare_counts
from .survey import Estimate, SurveyComparison, compare_estimates
from .xmr import MIN_REFERENCE_POINTS, SpcStatus, XmrChart, xmr_chart

__all__ = [
    "DOWN",
    "UP",
    "ChangeUnit",
    "Method",
    "Reason",
    "Status",
    "Verdict",
    "poisson_verdict",
    "relative_change",
    "survey_verdict",
    "tolerance_verdict",
    "xmr_verdict",
]

UP = "up"
DOWN = "down"
ALPHA = 0.05

# Rates are per this many people.
PER = {RATE_PER_1000: 1000, RATE_PER_100000: 100_000}


class Status(enum.StrEnum):
    """The values of ``measures.status.Status``, which should come to import them from here."""

    IMPROVING = "improving"
    NO_CHANGE = "no-significant-change"
    WORSENING = "worsening"
    NOT_COMPARABLE = "not-comparable"
    NOT_ENOUGH_DATA = "not-enough-data"


class Method(enum.StrEnum):
    POISSON = "poisson-exact-test"
    SURVEY = "survey-difference-test"
    TOLERANCE = "fixed-tolerance"
    XMR = "xmr-control-chart"


class ChangeUnit(enum.StrEnum):
    PERCENT = "%"
    PERCENTAGE_POINTS = "percentage points"


class Reason(enum.StrEnum):
    NO_BASELINE = "no-baseline"
    NO_LATEST = "no-latest"
    SERIES_BREAK = "series-break"
    NOT_A_COUNT = "not-a-count"  # the exact test needs whole counts
    NO_INTERVAL = "no-interval"  # a survey test needs both intervals
    ZERO_BASELINE = "zero-baseline"  # no relative change from zero
    NO_DIFFERENCE = "no-difference"
    SIGNIFICANT = "significant"
    NOT_SIGNIFICANT = "not-significant"
    LARGER_THAN_SMALLEST_CHANGE = "larger-than-smallest-change"
    WITHIN_SMALLEST_CHANGE = "within-smallest-change"
    OVERLAPPING_PERIODS = "overlapping-periods"  # rolling figures on an XmR chart
    TOO_FEW_POINTS = "too-few-points"  # an XmR reference period under 12 points
    SPECIAL_CAUSE = "special-cause"
    COMMON_CAUSE = "common-cause"


@dataclass(frozen=True)
class Verdict:
    """What a method says about a change, with everything a sentence, a page
    or a download needs, and nothing rounded."""

    method: Method
    status: Status | SpcStatus
    unit: str
    direction: str
    baseline: Decimal | None  # the values compared (rates for rate measures)
    latest: Decimal | None
    change: Decimal | None  # unrounded: % for counts and rates, points for percentages
    change_unit: ChangeUnit
    p_value: float | None
    smallest_change: Decimal | None
    reasons: tuple[Reason, ...]
    test: CountComparison | SurveyComparison | None = None
    chart: XmrChart | None = None

    @property
    def comparable(self) -> bool:
        return self.status not in (Status.NOT_COMPARABLE, Status.NOT_ENOUGH_DATA)


def _change_unit(unit: str) -> ChangeUnit:
    return ChangeUnit.PERCENTAGE_POINTS if unit == PERCENTAGE else ChangeUnit.PERCENT


def relative_change(baseline: Decimal, latest: Decimal) -> Decimal | None:
    """(latest - baseline) / baseline in %, with 40 significant digits; None from zero."""
    if baseline == 0:
        return None
    with localcontext(prec=40):
        return (Decimal(latest) - Decimal(baseline)) * 100 / Decimal(baseline)


def _change(baseline: Decimal, latest: Decimal, unit: str) -> Decimal | None:
    if unit == PERCENTAGE:
        return Decimal(latest) - Decimal(baseline)
    return relative_change(baseline, latest)


def _direction(direction: str) -> str:
    if direction not in (UP, DOWN):
        raise ValueError('the direction must be "up" or "down"')
    return direction


def _smallest(smallest_change: Decimal | int | str) -> Decimal:
    value = Decimal(smallest_change)
    if not value.is_finite() or value < 0:
        raise ValueError("the smallest change that matters must be a number, 0 or more")
    return value


def _unavailable(
    method: Method,
    status: Status,
    reasons: Sequence[Reason],
    *,
    unit: str,
    direction: str,
    baseline: Decimal | None,
    latest: Decimal | None,
    smallest_change: Decimal | None,
    change: Decimal | None = None,
) -> Verdict:
    """A verdict without a test: not enough data, or not comparable. The change
    is given only where the figures can be compared at all (no series break)."""
    return Verdict(
        method=method,
        status=status,
        unit=unit,
        direction=direction,
        baseline=baseline,
        latest=latest,
        change=change,
        change_unit=_change_unit(unit),
        p_value=None,
        smallest_change=smallest_change,
        reasons=tuple(reasons),
    )


def _missing(baseline: object, latest: object) -> list[Reason]:
    reasons = []
    if baseline is None:
        reasons.append(Reason.NO_BASELINE)
    if latest is None:
        reasons.append(Reason.NO_LATEST)
    return reasons


def _judge(
    *,
    difference: Decimal,
    change: Decimal | None,
    significant: bool | None,
    smallest_change: Decimal,
    direction: str,
) -> tuple[Status, list[Reason]]:
    """Better or worse only when the test (if any) and the size both say so.

    ``significant`` is None for the fixed tolerance, which has no test. A
    change from zero (``change`` None, ``difference`` not zero) is larger than
    any smallest change.
    """
    reasons: list[Reason] = []
    if change is None and difference:
        reasons.append(Reason.ZERO_BASELINE)
    if difference == 0:
        reasons.append(Reason.NO_DIFFERENCE)
    if significant is not None:
        reasons.append(Reason.SIGNIFICANT if significant else Reason.NOT_SIGNIFICANT)
    large = change is None or abs(change) > smallest_change
    large = large and difference != 0
    reasons.append(Reason.LARGER_THAN_SMALLEST_CHANGE if large else Reason.WITHIN_SMALLEST_CHANGE)
    if not (large and significant is not False):
        return Status.NO_CHANGE, reasons
    # A large change is never zero, so "difference <= 0" would say the same.
    better = (difference < 0) == (direction == DOWN)  # pragma: no mutate
    return (Status.IMPROVING if better else Status.WORSENING), reasons


def poisson_verdict(
    *,
    baseline: Decimal | int | None,
    latest: Decimal | int | None,
    direction: str,
    smallest_change: Decimal | int | str,
    unit: str = "count",
    baseline_population: Decimal | int | None = None,
    latest_population: Decimal | int | None = None,
    series_break: bool = False,
    alpha: float = ALPHA,
) -> Verdict:
    """Two counts of events by the exact Poisson test.

    For a rate measure, ``baseline`` and ``latest`` are the *counts* and the
    populations are their exposures; the verdict's values are then the rates
    per 1,000 (or 100,000) people, and the change is the rates' relative change.
    A population of zero or less is refused (ValueError).
    """
    direction = _direction(direction)
    smallest = _smallest(smallest_change)
    per = PER.get(unit)
    if per is not None and (baseline_population is None or latest_population is None):
        raise ValueError("a rate needs the population of both periods")
    if per is None:
        if baseline_population is not None or latest_population is not None:
            raise ValueError("populations belong to a rate measure, not to counts")
        baseline_population = latest_population = 1
        per = 1

    def value(count, population):
        if count is None:
            return None
        with localcontext(prec=40):
            return Decimal(count) * per / Decimal(population)

    for population in (baseline_population, latest_population):
        if Decimal(population) <= 0:
            raise ValueError("a population must be a positive number")
    base_value = value(baseline, baseline_population)
    latest_value = value(latest, latest_population)
    context = {
        "unit": unit,
        "direction": direction,
        "baseline": base_value,
        "latest": latest_value,
        "smallest_change": smallest,
    }
    missing = _missing(baseline, latest)
    if missing:
        return _unavailable(Method.POISSON, Status.NOT_ENOUGH_DATA, missing, **context)
    if series_break:
        return _unavailable(Method.POISSON, Status.NOT_COMPARABLE, [Reason.SERIES_BREAK], **context)
    if any(Decimal(count) < 0 or Decimal(count) % 1 for count in (baseline, latest)):
        return _unavailable(
            Method.POISSON,
            Status.NOT_COMPARABLE,
            [Reason.NOT_A_COUNT],
            change=relative_change(base_value, latest_value),
            **context,
        )
    test = compare_counts(
        baseline,
        latest,
        baseline_exposure=baseline_population,
        latest_exposure=latest_population,
        alpha=alpha,
    )
    change = relative_change(base_value, latest_value)
    status, reasons = _judge(
        difference=latest_value - base_value,
        change=change,
        significant=test.significant,
        smallest_change=smallest,
        direction=direction,
    )
    return Verdict(
        method=Method.POISSON,
        status=status,
        change=change,
        change_unit=ChangeUnit.PERCENT,
        p_value=test.p_value,
        reasons=tuple(reasons),
        test=test,
        **context,
    )


def survey_verdict(
    *,
    baseline: Estimate | None,
    latest: Estimate | None,
    unit: str,
    direction: str,
    smallest_change: Decimal | int | str,
    series_break: bool = False,
    alpha: float = ALPHA,
) -> Verdict:
    """Two survey estimates by the test of their difference from their 95%
    intervals; without both intervals, the change cannot be tested."""
    direction = _direction(direction)
    smallest = _smallest(smallest_change)
    context = {
        "unit": unit,
        "direction": direction,
        "baseline": baseline.value if baseline else None,
        "latest": latest.value if latest else None,
        "smallest_change": smallest,
    }
    missing = _missing(baseline, latest)
    if missing:
        return _unavailable(Method.SURVEY, Status.NOT_ENOUGH_DATA, missing, **context)
    if series_break:
        return _unavailable(Method.SURVEY, Status.NOT_COMPARABLE, [Reason.SERIES_BREAK], **context)
    test = compare_estimates(baseline, latest, alpha=alpha)
    if test is None:
        return _unavailable(
            Method.SURVEY,
            Status.NOT_ENOUGH_DATA,
            [Reason.NO_INTERVAL],
            change=_change(baseline.value, latest.value, unit),
            **context,
        )
    change = _change(baseline.value, latest.value, unit)
    status, reasons = _judge(
        difference=latest.value - baseline.value,
        change=change,
        significant=test.significant,
        smallest_change=smallest,
        direction=direction,
    )
    return Verdict(
        method=Method.SURVEY,
        status=status,
        change=change,
        change_unit=_change_unit(unit),
        p_value=test.p_value,
        reasons=tuple(reasons),
        test=test,
        **context,
    )


def tolerance_verdict(
    *,
    baseline: Decimal | None,
    latest: Decimal | None,
    unit: str,
    direction: str,
    tolerance: Decimal | int | str,
    series_break: bool = False,
) -> Verdict:
    """The fixed-tolerance rule (today's ``measures.status`` rule, on the
    unrounded change): a change counts when it is larger than the tolerance.
    It tests nothing about chance, and its sentence says so."""
    direction = _direction(direction)
    smallest = _smallest(tolerance)
    context = {
        "unit": unit,
        "direction": direction,
        "baseline": baseline,
        "latest": latest,
        "smallest_change": smallest,
    }
    missing = _missing(baseline, latest)
    if missing:
        return _unavailable(Method.TOLERANCE, Status.NOT_ENOUGH_DATA, missing, **context)
    if series_break:
        return _unavailable(
            Method.TOLERANCE, Status.NOT_COMPARABLE, [Reason.SERIES_BREAK], **context
        )
    change = _change(baseline, latest, unit)
    status, reasons = _judge(
        difference=Decimal(latest) - Decimal(baseline),
        change=change,
        significant=None,
        smallest_change=smallest,
        direction=direction,
    )
    return Verdict(
        method=Method.TOLERANCE,
        status=status,
        change=change,
        change_unit=_change_unit(unit),
        p_value=None,
        reasons=tuple(reasons),
        **context,
    )


def xmr_verdict(
    *,
    values: Sequence[Decimal | int | float],
    reference: tuple[int, int] | None = None,
    unit: str,
    direction: str,
    overlapping: bool = False,
    series_break: bool = False,
) -> Verdict:
    """The XmR chart's verdict on the latest of ``values``: improving or
    concerning special cause, or common cause variation.

    ``overlapping`` (rolling 12-month figures, each sharing 11 months with the
    next) and ``series_break`` (a break after the reference period starts)
    make the chart not comparable; a reference period of fewer than 12 points
    is not enough data.
    """
    direction = _direction(direction)
    latest = Decimal(values[-1]) if values else None
    context = {
        "unit": unit,
        "direction": direction,
        "baseline": None,
        "latest": latest,
        "smallest_change": None,
    }
    if overlapping:
        return _unavailable(
            Method.XMR, Status.NOT_COMPARABLE, [Reason.OVERLAPPING_PERIODS], **context
        )
    if series_break:
        return _unavailable(Method.XMR, Status.NOT_COMPARABLE, [Reason.SERIES_BREAK], **context)
    start, stop = (0, len(values)) if reference is None else reference
    if stop - start < MIN_REFERENCE_POINTS or start < 0 or stop > len(values):
        return _unavailable(Method.XMR, Status.NOT_ENOUGH_DATA, [Reason.TOO_FEW_POINTS], **context)
    chart = xmr_chart(values, direction=direction, reference=(start, stop))
    special = chart.status != SpcStatus.COMMON_CAUSE
    return Verdict(
        method=Method.XMR,
        status=chart.status,
        change=None,
        change_unit=_change_unit(unit),
        p_value=None,
        reasons=(Reason.SPECIAL_CAUSE if special else Reason.COMMON_CAUSE,),
        chart=chart,
        **context,
    )
