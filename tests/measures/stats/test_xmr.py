"""XmR charts and the Making Data Count rules, on series built to trip (or
just miss) each rule, with limits checked against numpy."""

from decimal import Decimal

import numpy as np
import pytest

from measures.stats.xmr import (
    LIMIT_FACTOR,
    MIN_REFERENCE_POINTS,
    SIGMA_DIVISOR,
    PointSignal,
    Side,
    Signal,
    SpcStatus,
    xmr_chart,
)

# A steady reference period: mean 11.5, mean moving range 15/11, so the
# limits are 11.5 +/- 3.63 and two sigma 11.5 +/- 2.42.
STEADY = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 11]


def signals(chart, index):
    return {(found.signal, found.side) for found in chart.points[index].signals}


def test_limits_match_numpy():
    values = [*STEADY, 14, 9, 11]
    chart = xmr_chart(values, direction="down", reference=(0, 12))
    base = np.array(STEADY, dtype=float)
    mean_mr = np.mean(np.abs(np.diff(base)))
    assert chart.mean == pytest.approx(base.mean())
    assert chart.mean_moving_range == pytest.approx(mean_mr)
    assert chart.upper_limit == pytest.approx(base.mean() + 2.66 * mean_mr)
    assert chart.lower_limit == pytest.approx(base.mean() - 2.66 * mean_mr)
    assert chart.sigma == pytest.approx(mean_mr / 1.128)
    assert chart.upper_two_sigma == pytest.approx(base.mean() + 2 * mean_mr / 1.128)
    assert chart.lower_two_sigma == pytest.approx(base.mean() - 2 * mean_mr / 1.128)
    assert (LIMIT_FACTOR, SIGMA_DIVISOR, MIN_REFERENCE_POINTS) == (2.66, 1.128, 12)
    assert [p.moving_range for p in chart.points[:3]] == [None, 2, 1]
    assert [p.in_reference for p in chart.points] == [True] * 12 + [False] * 3
    assert chart.reference == (0, 12)
    assert not chart.trial_limits


def test_limits_come_from_the_reference_period_only():
    chart = xmr_chart([*STEADY, 100, 200], direction="up", reference=(0, 12))
    assert chart.mean == pytest.approx(11.5)
    later = xmr_chart([0, 50, *STEADY], direction="up", reference=(2, 14))
    assert later.mean == pytest.approx(11.5)
    assert later.points[0].in_reference is False
    everything = xmr_chart(STEADY, direction="up")
    assert everything.reference == (0, 12)


def test_a_point_beyond_a_limit_is_special_cause():
    upper = 11.5 + 2.66 * 15 / 11
    chart = xmr_chart(
        [*STEADY, upper + 0.01, 11, upper - 1e-9, 11, 11.5 - 2.66 * 15 / 11 - 0.01],
        direction="up",
        reference=(0, 12),
    )
    assert (Signal.BEYOND_LIMIT, Side.HIGH) in signals(chart, 12)
    assert (Signal.BEYOND_LIMIT, Side.HIGH) not in signals(chart, 14)  # just inside
    assert (Signal.BEYOND_LIMIT, Side.LOW) in signals(chart, 16)
    assert chart.points[12].status == SpcStatus.IMPROVING  # up is better
    assert chart.points[16].status == SpcStatus.CONCERNING
    assert chart.status == SpcStatus.CONCERNING


def test_seven_in_a_row_on_one_side_is_a_shift_and_six_is_not():
    six = xmr_chart(
        [*STEADY, 12, 12.5, 12, 12.5, 12, 12.5, 11], direction="down", reference=(0, 12)
    )
    assert all((Signal.SHIFT, Side.HIGH) not in signals(six, i) for i in range(12, 19))
    seven = xmr_chart(
        [*STEADY, 12, 12.5, 12, 12.5, 12, 12.5, 12], direction="down", reference=(0, 12)
    )
    for i in range(12, 19):
        assert (Signal.SHIFT, Side.HIGH) in signals(seven, i)
    assert seven.status == SpcStatus.CONCERNING  # down is better
    below = xmr_chart(
        [*STEADY, 11, 10.5, 11, 10.5, 11, 10.5, 11], direction="down", reference=(0, 12)
    )
    assert (Signal.SHIFT, Side.LOW) in signals(below, 18)
    assert below.status == SpcStatus.IMPROVING


def test_a_point_on_the_mean_breaks_a_run():
    values = [*STEADY, 12, 12.5, 12, 11.5, 12, 12.5, 12, 12.5]
    chart = xmr_chart(values, direction="down", reference=(0, 12))
    assert not any(found.signal == Signal.SHIFT for p in chart.points for found in p.signals)


def test_seven_rising_is_a_trend_and_six_is_not():
    rising = [10.6, 10.9, 11.2, 11.5, 11.8, 12.1, 12.4]  # across the mean: no shift
    chart = xmr_chart([*STEADY, *rising], direction="up", reference=(0, 12))
    for i in range(12, 19):
        assert (Signal.TREND, Side.HIGH) in signals(chart, i)
    assert (Signal.TREND, Side.HIGH) not in signals(chart, 11)
    assert chart.status == SpcStatus.IMPROVING
    short = xmr_chart([*STEADY, 13, *rising[1:]], direction="up", reference=(0, 12))
    assert not any(found.signal == Signal.TREND for p in short.points for found in p.signals)
    falling = xmr_chart([*STEADY, *reversed(rising)], direction="up", reference=(0, 12))
    assert (Signal.TREND, Side.LOW) in signals(falling, 18)
    assert falling.status == SpcStatus.CONCERNING


def test_a_repeat_breaks_a_trend():
    values = [*STEADY, 10, 10.2, 10.4, 10.4, 10.6, 10.8, 11.0, 11.2]
    chart = xmr_chart(values, direction="up", reference=(0, 12))
    assert not any(found.signal == Signal.TREND for p in chart.points for found in p.signals)


def test_two_of_three_beyond_two_sigma_on_one_side():
    high = 11.5 + 2.5  # beyond two sigma (2.42), inside the limit (3.63)
    chart = xmr_chart([*STEADY, high, 11, high, 11], direction="down", reference=(0, 12))
    assert (Signal.TWO_OF_THREE, Side.HIGH) in signals(chart, 12)
    assert (Signal.TWO_OF_THREE, Side.HIGH) in signals(chart, 14)
    assert signals(chart, 13) == set()  # the third point carries nothing
    assert chart.points[14].status == SpcStatus.CONCERNING
    assert chart.status == SpcStatus.COMMON_CAUSE
    spaced = xmr_chart([*STEADY, high, 11, 11, high], direction="down", reference=(0, 12))
    assert signals(spaced, 12) == signals(spaced, 15) == set()
    opposite = xmr_chart([*STEADY, high, 11.5 - 2.5, 11], direction="down", reference=(0, 12))
    assert signals(opposite, 12) == signals(opposite, 13) == set()
    just_inside = xmr_chart([*STEADY, 13.9, 11, 13.9], direction="down", reference=(0, 12))
    assert signals(just_inside, 14) == set()


def test_two_of_three_counts_a_point_beyond_the_limit():
    chart = xmr_chart([*STEADY, 20, 11, 14], direction="up", reference=(0, 12))
    assert signals(chart, 14) == {(Signal.TWO_OF_THREE, Side.HIGH)}
    assert chart.status == SpcStatus.IMPROVING


def test_conflicting_signals_are_concerning():
    # A fall of 7 points that is still above the mean, where up is better:
    # the run above the mean improves, the trend concerns.
    values = [*STEADY, 14, 13.8, 13.6, 13.4, 13.2, 13.0, 12.8]
    chart = xmr_chart(values, direction="up", reference=(0, 12))
    assert signals(chart, 18) == {(Signal.SHIFT, Side.HIGH), (Signal.TREND, Side.LOW)}
    assert chart.status == SpcStatus.CONCERNING


def test_common_cause():
    chart = xmr_chart(STEADY, direction="up")
    assert all(not point.special_cause for point in chart.points)
    assert chart.status == SpcStatus.COMMON_CAUSE
    assert chart.points[0].signals == ()


def test_point_signal_and_trial_limits():
    assert PointSignal(Signal.SHIFT, Side.LOW).side == Side.LOW
    assert xmr_chart(STEADY[:11], direction="up").trial_limits
    assert not xmr_chart(STEADY, direction="up").trial_limits
    assert xmr_chart([Decimal("1.5"), 2, 2.5], direction="up").mean == pytest.approx(2)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"values": STEADY, "direction": "sideways"}, "direction"),
        ({"values": [1, float("nan"), 2], "direction": "up"}, "finite"),
        ({"values": STEADY, "direction": "up", "reference": (5, 5)}, "range"),
        ({"values": STEADY, "direction": "up", "reference": (-1, 5)}, "range"),
        ({"values": STEADY, "direction": "up", "reference": (0, 13)}, "range"),
        ({"values": STEADY, "direction": "up", "reference": (3, 4)}, "two points"),
        ({"values": [5], "direction": "up"}, "two points"),
    ],
)
def test_bad_input_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        xmr_chart(**arguments)


def test_runs_of_equal_sides():
    from measures.stats.xmr import _runs

    high, low = Side.HIGH, Side.LOW
    assert _runs([high] * 3 + [low], 3) == [high, high, high, None]
    assert _runs([low] + [high] * 3, 3) == [None, high, high, high]
    assert _runs([high, high, None, high], 2) == [high, high, None, None]
    assert _runs([None, None, None], 2) == [None, None, None]
    assert _runs([], 2) == []


def test_a_point_exactly_on_a_limit_is_not_beyond_it():
    base = xmr_chart(STEADY, direction="up")
    chart = xmr_chart(
        [
            *STEADY,
            base.upper_limit,
            11,
            base.lower_limit,
            12,
            base.upper_two_sigma,
            11,
            base.upper_two_sigma,
            base.lower_two_sigma,
            11,
            base.lower_two_sigma,
        ],
        direction="up",
        reference=(0, 12),
    )
    for i in range(12, 22):
        assert signals(chart, i) == set(), i


def test_a_point_on_the_mean_does_not_extend_a_run_below_it():
    values = [*STEADY, 11, 11, 11, 11, 11, 11, 11.5]
    chart = xmr_chart(values, direction="down", reference=(0, 12))
    assert (Signal.SHIFT, Side.LOW) not in signals(chart, 18)
    assert signals(chart, 18) == set()


def test_the_points_record_their_place():
    chart = xmr_chart([*STEADY, 14], direction="down", reference=(0, 12))
    assert [p.index for p in chart.points] == list(range(13))
    assert [p.value for p in chart.points] == [float(v) for v in [*STEADY, 14]]
    assert chart.direction == "down"
    assert xmr_chart([1, 2, 3], direction="up", reference=(0, 2)).mean == 1.5


def test_refusals_say_what_is_wrong():
    with pytest.raises(ValueError, match=r'^the direction must be "up" or "down"$'):
        xmr_chart(STEADY, direction="")
    with pytest.raises(ValueError, match=r"^every value must be a finite number$"):
        xmr_chart([1, float("inf")], direction="up")
    with pytest.raises(
        ValueError, match=r"^the reference period must be a range of the values' positions$"
    ):
        xmr_chart(STEADY, direction="up", reference=(4, 2))
    with pytest.raises(ValueError, match=r"^the reference period needs at least two points$"):
        xmr_chart(STEADY, direction="up", reference=(2, 3))
