"""XmR (individuals and moving range) control charts, read with the rules of
NHS England's "Making Data Count" programme.

Source: NHS Improvement, "Making data count" (May 2018), and its sequel, NHS
England and NHS Improvement, "Making data count: strengthening your
decisions", whose charts the NHS-R community's NHSRplotthedots package draws
for the programme. The constants and rules below are the ones that package
uses (its ``ptd_spc_standard`` and ``ptd_calculate_point_type``: 2.66, runs of
7, trends of 7, 2 of 3 near the limits), and the ones the honest-numbers issue
states. The one difference: the issue takes sigma as the mean moving range /
1.128, where the package takes two sigma as two thirds of 2.66 mean moving
ranges (1.7733 against 1.7730 mean moving ranges).

- The mean and the mean moving range come from a stated reference period (the
  baseline the limits are "locked" to); the limits apply to every point.
- Process limits: mean +/- 2.66 x mean moving range. Sigma is estimated as the
  mean moving range / 1.128 (d2 for ranges of two), so 2.66 is 3 / 1.128: the
  limits are three sigma.
- A point is special cause when
  * it falls beyond a process limit (strictly outside);
  * it is one of a run of 7 or more points in a row on one side of the mean
    (a point exactly on the mean breaks a run);
  * it is one of 7 or more points in a row each higher (or each lower) than
    the one before (a trend of 7 points is 6 steps; a repeat breaks it);
  * it is one of 2 of 3 points in a row beyond two sigma on the same side of
    the mean. Here a point beyond the process limit counts too (the Western
    Electric rule that the issue states); NHSRplotthedots counts only points
    between two sigma and the limit, a difference that matters only when a
    point is already special cause by the first rule.
  Every point of a run or trend carries the signal, so that a chart can mark
  them all; for 2 of 3, the points beyond two sigma do.
- Each signal has a side (high or low); with the measure's desired direction
  it is improving or concerning. The chart's verdict is the latest point's,
  as Making Data Count's variation icons are: concerning when any signal on
  it is concerning, improving when its signals are all improving, and common
  cause variation when it carries none.
- Limits from fewer than 12 points are "trial limits" (NHSRplotthedots'
  vignette "Number of points required": it fixes limits after 12 points and
  warns below that); the chart says so, and the verdict layer asks for 12.
"""

import enum
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "LIMIT_FACTOR",
    "MIN_REFERENCE_POINTS",
    "RUN_LENGTH",
    "SIGMA_DIVISOR",
    "PointSignal",
    "Side",
    "Signal",
    "SpcStatus",
    "XmrChart",
    "XmrPoint",
    "xmr_chart",
]

LIMIT_FACTOR = 2.66  # process limits: mean +/- 2.66 x mean moving range
SIGMA_DIVISOR = 1.128  # sigma = mean moving range / 1.128
RUN_LENGTH = 7  # a shift and a trend are 7 points in a row
MIN_REFERENCE_POINTS = 12  # fewer make trial limits

UP = "up"
DOWN = "down"


class Signal(enum.StrEnum):
    BEYOND_LIMIT = "beyond-limit"
    SHIFT = "shift"  # a run on one side of the mean
    TREND = "trend"  # a run of rises or of falls
    TWO_OF_THREE = "two-of-three"  # 2 of 3 beyond two sigma on one side


class Side(enum.StrEnum):
    HIGH = "high"
    LOW = "low"


class SpcStatus(enum.StrEnum):
    IMPROVING = "improving-special-cause"
    CONCERNING = "concerning-special-cause"
    COMMON_CAUSE = "common-cause-variation"


@dataclass(frozen=True)
class PointSignal:
    signal: Signal
    side: Side


@dataclass(frozen=True)
class XmrPoint:
    index: int
    value: float
    moving_range: float | None  # |value - previous value|; None for the first point
    in_reference: bool
    signals: tuple[PointSignal, ...]
    status: SpcStatus

    @property
    def special_cause(self) -> bool:
        return bool(self.signals)


@dataclass(frozen=True)
class XmrChart:
    direction: str
    reference: tuple[int, int]  # [start, stop) indices of the reference period
    mean: float
    mean_moving_range: float
    sigma: float
    lower_limit: float
    upper_limit: float
    lower_two_sigma: float
    upper_two_sigma: float
    points: tuple[XmrPoint, ...]

    @property
    def trial_limits(self) -> bool:
        """Whether the limits rest on fewer points than Making Data Count's tools lock them at."""
        return self.reference[1] - self.reference[0] < MIN_REFERENCE_POINTS

    @property
    def status(self) -> SpcStatus:
        """The latest point's verdict."""
        return self.points[-1].status


def _side_of(difference: float) -> Side | None:
    if difference > 0:
        return Side.HIGH
    if difference < 0:
        return Side.LOW
    return None


def _runs(values: Sequence[Side | None], length: int) -> list[Side | None]:
    """For each position, the side of a run of at least ``length`` equal,
    non-None entries that it belongs to (or None)."""
    marked: list[Side | None] = [None] * len(values)
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or values[end] != values[start]:
            if values[start] is not None and end - start >= length:
                for i in range(start, end):
                    marked[i] = values[start]
            start = end
    return marked


def _status(signals: Sequence[PointSignal], direction: str) -> SpcStatus:
    if not signals:
        return SpcStatus.COMMON_CAUSE
    better = Side.HIGH if direction == UP else Side.LOW
    if all(signal.side == better for signal in signals):
        return SpcStatus.IMPROVING
    return SpcStatus.CONCERNING


def _beyond_limits(numbers: Sequence[float], lower: float, upper: float) -> list[Side | None]:
    """A point beyond a process limit (strictly outside)."""
    return [Side.HIGH if n > upper else Side.LOW if n < lower else None for n in numbers]


def _shifts(numbers: Sequence[float], mean: float) -> list[Side | None]:
    """Every point of a run of 7 or more on one side of the mean."""
    return _runs([_side_of(n - mean) for n in numbers], RUN_LENGTH)


def _trends(numbers: Sequence[float]) -> list[Side | None]:
    """Every point of 7 or more in a row each higher (or lower) than the last:
    6 steps the same way, and every point those steps join."""
    steps = [_side_of(b - a) for a, b in itertools.pairwise(numbers)]
    trending: list[Side | None] = [None] * len(numbers)
    for i, side in enumerate(_runs(steps, RUN_LENGTH - 1)):
        if side is not None:
            trending[i] = trending[i + 1] = side
    return trending


def _two_of_three(numbers: Sequence[float], lower: float, upper: float) -> list[set[Side]]:
    """The points beyond two sigma that make 2 (or 3) of 3 in a row on one side."""
    beyond = _beyond_limits(numbers, lower, upper)
    near: list[set[Side]] = [set() for _ in numbers]
    for first in range(len(numbers) - 2):
        for side in (Side.HIGH, Side.LOW):
            hits = [i for i in range(first, first + 3) if beyond[i] == side]
            if len(hits) >= 2:
                for i in hits:
                    near[i].add(side)
    return near


def _checked(
    values: Sequence[int | float | Decimal], direction: str, reference: tuple[int, int] | None
) -> tuple[list[float], int, int]:
    """The values as floats and the reference period's bounds, or a ValueError."""
    if direction not in (UP, DOWN):
        raise ValueError('the direction must be "up" or "down"')
    numbers = [float(value) for value in values]
    if not all(math.isfinite(number) for number in numbers):
        raise ValueError("every value must be a finite number")
    start, stop = (0, len(numbers)) if reference is None else reference
    if not 0 <= start < stop <= len(numbers):
        raise ValueError("the reference period must be a range of the values' positions")
    if stop - start < 2:
        raise ValueError("the reference period needs at least two points")
    return numbers, start, stop


def xmr_chart(
    values: Sequence[int | float | Decimal],
    *,
    direction: str,
    reference: tuple[int, int] | None = None,
) -> XmrChart:
    """The XmR chart of ``values`` (in time order, equally spaced, periods that
    do not overlap), with limits from ``values[start:stop]`` (default: all).

    ``direction`` is "up" or "down": which way is better. The reference period
    needs at least two points (one moving range); fewer than 12 give trial
    limits (``XmrChart.trial_limits``).
    """
    numbers, start, stop = _checked(values, direction, reference)
    base = numbers[start:stop]
    mean = sum(base) / len(base)
    mean_moving_range = sum(abs(b - a) for a, b in itertools.pairwise(base)) / (len(base) - 1)
    sigma = mean_moving_range / SIGMA_DIVISOR
    upper, lower = mean + LIMIT_FACTOR * mean_moving_range, mean - LIMIT_FACTOR * mean_moving_range
    upper_two, lower_two = mean + 2 * sigma, mean - 2 * sigma

    found: list[list[PointSignal]] = [[] for _ in numbers]
    for signal, sides in (
        (Signal.BEYOND_LIMIT, _beyond_limits(numbers, lower, upper)),
        (Signal.SHIFT, _shifts(numbers, mean)),
        (Signal.TREND, _trends(numbers)),
    ):
        for i, side in enumerate(sides):
            if side is not None:
                found[i].append(PointSignal(signal, side))
    for i, near in enumerate(_two_of_three(numbers, lower_two, upper_two)):
        found[i].extend(PointSignal(Signal.TWO_OF_THREE, side) for side in sorted(near))

    points = tuple(
        XmrPoint(
            index=i,
            value=number,
            moving_range=abs(number - numbers[i - 1]) if i else None,
            in_reference=start <= i < stop,
            signals=tuple(found[i]),
            status=_status(found[i], direction),
        )
        for i, number in enumerate(numbers)
    )
    return XmrChart(
        direction=direction,
        reference=(start, stop),
        mean=mean,
        mean_moving_range=mean_moving_range,
        sigma=sigma,
        lower_limit=lower,
        upper_limit=upper,
        lower_two_sigma=lower_two,
        upper_two_sigma=upper_two,
        points=points,
    )
