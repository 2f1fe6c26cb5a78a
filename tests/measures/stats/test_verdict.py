"""Verdicts: the test and the smallest change that matters together, on the
unrounded change, with reasons."""

from decimal import Decimal, localcontext

import pytest
from scipy import stats

from measures.stats.survey import Estimate
from measures.stats.verdict import (
    ChangeUnit,
    Method,
    Reason,
    Status,
    poisson_verdict,
    relative_change,
    survey_verdict,
    tolerance_verdict,
    xmr_verdict,
)
from measures.stats.xmr import SpcStatus
from measures.status import Status as PageStatus

D = Decimal
R = Reason


def exact(compute):
    """A reference value worked out with 40 digits, as the verdict's are."""
    with localcontext(prec=40):
        return compute()


def counts(baseline, latest, *, smallest="5", direction="down", **kw):
    return poisson_verdict(
        baseline=baseline, latest=latest, direction=direction, smallest_change=D(smallest), **kw
    )


@pytest.mark.parametrize(
    ("baseline", "latest", "status", "p"),
    [
        (35, 22, Status.NO_CHANGE, 0.11),
        (412, 371, Status.NO_CHANGE, 0.15),
        (1203, 1090, Status.IMPROVING, 0.02),
        (57, 81, Status.WORSENING, 0.0498),
        (6, 3, Status.NO_CHANGE, None),
    ],
)
def test_the_issues_five_examples(baseline, latest, status, p):
    """ "Under the Poisson test, for a measure where down is better", with the
    measure's 5% tolerance as the smallest change that matters."""
    verdict = counts(baseline, latest)
    assert verdict.status == status
    assert verdict.method == Method.POISSON
    if p is not None:
        digits = len(str(p).split(".")[1])
        assert round(verdict.p_value, digits) == p
    reference = stats.binomtest(latest, baseline + latest, 0.5).pvalue
    assert verdict.p_value == pytest.approx(reference, rel=1e-9)


def test_412_to_371_is_beyond_the_tolerance_but_not_significant():
    verdict = counts(412, 371)
    assert verdict.change == exact(lambda: D(371 - 412) * 100 / 412)
    assert abs(verdict.change) > 5
    assert verdict.reasons == (R.NOT_SIGNIFICANT, R.LARGER_THAN_SMALLEST_CHANGE)


def test_a_large_count_needs_the_smallest_change_too():
    """A 1% rise from 200,000 offences has p = 0.0016: significant, but within 5%."""
    verdict = counts(200_000, 202_000)
    assert verdict.p_value == pytest.approx(0.0016, abs=5e-5)
    assert verdict.status == Status.NO_CHANGE
    assert verdict.reasons == (R.SIGNIFICANT, R.WITHIN_SMALLEST_CHANGE)
    assert counts(200_000, 202_000, smallest="0.5").status == Status.WORSENING


def test_both_failing_are_both_reported():
    verdict = counts(100, 103)
    assert verdict.reasons == (R.NOT_SIGNIFICANT, R.WITHIN_SMALLEST_CHANGE)
    assert verdict.status == Status.NO_CHANGE


def test_the_change_is_unrounded_and_exactly_at_the_smallest_change_does_not_count():
    exactly = counts(100_000, 105_400, smallest="5.4")  # 5.4 is not more than 5.4
    assert exactly.status == Status.NO_CHANGE
    assert exactly.reasons == (R.SIGNIFICANT, R.WITHIN_SMALLEST_CHANGE)
    assert counts(100_000, 105_401, smallest="5.4").status == Status.WORSENING
    # The issue's rounding bug: -5.4% shown as -5% fell inside a 5% tolerance.
    tolerance = tolerance_verdict(
        baseline=D(1000), latest=D(946), unit="count", direction="down", tolerance=D(5)
    )
    assert tolerance.change == D("-5.4")
    assert tolerance.status == Status.IMPROVING


def test_direction_decides_better_or_worse():
    assert counts(1203, 1090, direction="up").status == Status.WORSENING
    assert counts(57, 81, direction="up").status == Status.IMPROVING


def test_equal_counts():
    verdict = counts(35, 35)
    assert verdict.status == Status.NO_CHANGE
    assert verdict.change == 0
    assert verdict.p_value == 1
    assert verdict.reasons == (R.NO_DIFFERENCE, R.NOT_SIGNIFICANT, R.WITHIN_SMALLEST_CHANGE)


def test_a_rise_from_zero():
    verdict = counts(0, 6)
    assert verdict.change is None
    assert verdict.status == Status.WORSENING
    assert verdict.reasons == (R.ZERO_BASELINE, R.SIGNIFICANT, R.LARGER_THAN_SMALLEST_CHANGE)
    assert counts(0, 5).status == Status.NO_CHANGE  # p = 0.0625
    both = counts(0, 0)
    assert both.status == Status.NO_CHANGE
    assert R.ZERO_BASELINE not in both.reasons


def test_rates_use_the_populations_as_exposures():
    verdict = counts(
        3100,
        2900,
        unit="rate-per-1000",
        baseline_population=900_000,
        latest_population=D(910_000),
    )
    assert verdict.baseline == exact(lambda: D(3100) * 1000 / 900_000)
    assert verdict.latest == exact(lambda: D(2900) * 1000 / 910_000)
    assert verdict.change == relative_change(verdict.baseline, verdict.latest)
    assert verdict.p_value == pytest.approx(
        stats.binomtest(2900, 6000, 910_000 / 1_810_000).pvalue, rel=1e-9
    )
    assert verdict.status == Status.IMPROVING
    per_100k = counts(
        31,
        29,
        unit="rate-per-100000",
        baseline_population=900_000,
        latest_population=910_000,
    )
    assert per_100k.baseline == exact(lambda: D(31) * 100_000 / 900_000)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"unit": "rate-per-1000"}, "population of both"),
        ({"unit": "rate-per-1000", "baseline_population": 5}, "population of both"),
        (
            {"unit": "rate-per-1000", "baseline_population": 0, "latest_population": 5},
            "positive",
        ),
        (
            {"unit": "rate-per-1000", "baseline_population": 5, "latest_population": -1},
            "positive",
        ),
        ({"baseline_population": 5}, "rate measure"),
        ({"latest_population": 5}, "rate measure"),
        ({"direction": "sideways"}, "direction"),
        ({"smallest": "-1"}, "smallest change"),
        ({"smallest": "NaN"}, "smallest change"),
    ],
)
def test_bad_input_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        counts(10, 12, **arguments)


def test_missing_figures_are_not_enough_data():
    verdict = counts(None, 22)
    assert verdict.status == Status.NOT_ENOUGH_DATA
    assert verdict.reasons == (R.NO_BASELINE,)
    assert verdict.change is None and verdict.p_value is None
    assert counts(35, None).reasons == (R.NO_LATEST,)
    assert counts(None, None).reasons == (R.NO_BASELINE, R.NO_LATEST)
    assert not verdict.comparable


def test_a_series_break_gives_no_change():
    verdict = counts(35, 22, series_break=True)
    assert verdict.status == Status.NOT_COMPARABLE
    assert verdict.change is None and verdict.p_value is None and verdict.test is None
    assert verdict.reasons == (R.SERIES_BREAK,)


def test_figures_that_are_not_counts():
    verdict = counts(D("35.5"), 22)
    assert verdict.status == Status.NOT_COMPARABLE
    assert verdict.reasons == (R.NOT_A_COUNT,)
    assert verdict.change == relative_change(D("35.5"), D(22))
    assert counts(-3, 22).reasons == (R.NOT_A_COUNT,)
    assert counts(D("35.0"), 22).status == Status.NO_CHANGE


# Surveys ------------------------------------------------------------------------


def survey(baseline, latest, *, unit="rate-per-1000", direction="down", smallest="5", **kw):
    return survey_verdict(
        baseline=baseline,
        latest=latest,
        unit=unit,
        direction=direction,
        smallest_change=D(smallest),
        **kw,
    )


def test_overlapping_survey_intervals_can_still_be_an_improvement():
    """Neighbourhood crime 42.4 -> 33.5 per 1,000: the intervals overlap, the
    test of the difference says the change is real."""
    verdict = survey(
        Estimate(D("42.4"), D("37.0"), D("47.8")), Estimate(D("33.5"), D("29.0"), D("38.0"))
    )
    assert verdict.status == Status.IMPROVING
    assert verdict.method == Method.SURVEY
    assert verdict.p_value == pytest.approx(0.0131, abs=5e-5)
    assert verdict.change == exact(lambda: (D("33.5") - D("42.4")) * 100 / D("42.4"))
    assert verdict.change_unit == ChangeUnit.PERCENT


def test_a_percentage_changes_in_points():
    verdict = survey(
        Estimate(D(31), D(29), D(33)),
        Estimate(D(36), D(34), D(38)),
        unit="percentage",
        direction="up",
        smallest="2",
    )
    assert verdict.change == D(5)
    assert verdict.change_unit == ChangeUnit.PERCENTAGE_POINTS
    assert verdict.status == Status.IMPROVING
    small = survey(
        Estimate(D(31), D("30.5"), D("31.5")),
        Estimate(D(32), D("31.5"), D("32.5")),
        unit="percentage",
        direction="up",
        smallest="2",
    )
    assert small.reasons == (R.SIGNIFICANT, R.WITHIN_SMALLEST_CHANGE)


def test_without_intervals_the_change_cannot_be_tested():
    verdict = survey(Estimate(D(31)), Estimate(D(36), D(34), D(38)), unit="percentage")
    assert verdict.status == Status.NOT_ENOUGH_DATA
    assert verdict.reasons == (R.NO_INTERVAL,)
    assert verdict.change == D(5) and verdict.p_value is None


def test_survey_missing_and_breaks():
    assert survey(None, Estimate(D(3))).reasons == (R.NO_BASELINE,)
    broken = survey(Estimate(D(3), D(2), D(4)), Estimate(D(5), D(4), D(6)), series_break=True)
    assert broken.status == Status.NOT_COMPARABLE
    assert broken.change is None
    with pytest.raises(ValueError, match="direction"):
        survey(Estimate(D(3)), Estimate(D(4)), direction="")


# The fixed tolerance ------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "latest", "unit", "status", "change"),
    [
        (5, 4, "count", Status.IMPROVING, D(-20)),  # the issue's 5 -> 4
        (100, 95, "count", Status.NO_CHANGE, D(-5)),  # exactly the tolerance
        (100, D("94.99"), "count", Status.IMPROVING, D("-5.01")),
        (100, 106, "count", Status.WORSENING, D(6)),
        (31, 36, "percentage", Status.WORSENING, D(5)),
        (31, 35, "percentage", Status.NO_CHANGE, D(4)),
    ],
)
def test_tolerance(baseline, latest, unit, status, change):
    verdict = tolerance_verdict(
        baseline=D(baseline),
        latest=D(latest),
        unit=unit,
        direction="down",
        tolerance=D(5) if unit == "count" else D("4"),
    )
    assert verdict.status == status
    assert verdict.change == change
    assert verdict.method == Method.TOLERANCE
    assert verdict.p_value is None and verdict.test is None
    assert R.SIGNIFICANT not in verdict.reasons and R.NOT_SIGNIFICANT not in verdict.reasons


def test_tolerance_edges():
    kw = {"unit": "count", "direction": "down", "tolerance": D(5)}
    assert tolerance_verdict(baseline=None, latest=D(4), **kw).status == Status.NOT_ENOUGH_DATA
    broken = tolerance_verdict(baseline=D(5), latest=D(4), series_break=True, **kw)
    assert (broken.status, broken.change) == (Status.NOT_COMPARABLE, None)
    from_zero = tolerance_verdict(baseline=D(0), latest=D(4), **kw)
    assert (from_zero.status, from_zero.change) == (Status.WORSENING, None)
    same = tolerance_verdict(baseline=D(4), latest=D(4), **kw)
    assert same.reasons == (R.NO_DIFFERENCE, R.WITHIN_SMALLEST_CHANGE)
    zero_tolerance = tolerance_verdict(baseline=D(4), latest=D(4), **{**kw, "tolerance": 0})
    assert zero_tolerance.status == Status.NO_CHANGE


# XmR ----------------------------------------------------------------------------

STEADY = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 11]


def test_xmr_verdicts():
    common = xmr_verdict(values=STEADY, unit="count", direction="down")
    assert common.status == SpcStatus.COMMON_CAUSE
    assert common.reasons == (R.COMMON_CAUSE,)
    assert common.chart.reference == (0, 12)
    assert common.latest == D(11) and common.change is None and common.p_value is None
    special = xmr_verdict(values=[*STEADY, 30], reference=(0, 12), unit="count", direction="down")
    assert special.status == SpcStatus.CONCERNING
    assert special.reasons == (R.SPECIAL_CAUSE,)
    assert special.comparable
    better = xmr_verdict(values=[*STEADY, 3], reference=(0, 12), unit="count", direction="down")
    assert better.status == SpcStatus.IMPROVING


def test_xmr_not_charted():
    rolling = xmr_verdict(values=STEADY, unit="count", direction="up", overlapping=True)
    assert (rolling.status, rolling.reasons) == (Status.NOT_COMPARABLE, (R.OVERLAPPING_PERIODS,))
    broken = xmr_verdict(values=STEADY, unit="count", direction="up", series_break=True)
    assert broken.reasons == (R.SERIES_BREAK,)
    short = xmr_verdict(values=STEADY[:11], unit="count", direction="up")
    assert (short.status, short.reasons) == (Status.NOT_ENOUGH_DATA, (R.TOO_FEW_POINTS,))
    assert short.chart is None
    bad_reference = xmr_verdict(values=STEADY, reference=(0, 14), unit="count", direction="up")
    assert bad_reference.status == Status.NOT_ENOUGH_DATA
    assert xmr_verdict(values=[], unit="count", direction="up").latest is None
    with pytest.raises(ValueError, match="direction"):
        xmr_verdict(values=STEADY, unit="count", direction="left")


def test_status_values_are_the_pages_status_values():
    """The methods' statuses are among the pages' (which add the baseline's own
    and the control chart's)."""
    assert {s.value for s in Status} <= {s.value for s in PageStatus}


def test_relative_change():
    assert relative_change(D(35), D(22)) == exact(lambda: D(-13) * 100 / 35)
    assert relative_change(D(0), D(22)) is None
    assert str(relative_change(D(3), D(1)))[:12] == "-66.66666666"
    assert len(relative_change(D(3), D(1)).as_tuple().digits) == 40


def test_unavailable_verdicts_in_full():
    from measures.stats.verdict import Verdict

    assert counts(35, 22, series_break=True) == Verdict(
        method=Method.POISSON,
        status=Status.NOT_COMPARABLE,
        unit="count",
        direction="down",
        baseline=D(35),
        latest=D(22),
        change=None,
        change_unit=ChangeUnit.PERCENT,
        p_value=None,
        smallest_change=D(5),
        reasons=(R.SERIES_BREAK,),
    )
    for verdict, method in (
        (counts(None, 22), Method.POISSON),
        (counts(D("2.5"), 22), Method.POISSON),
        (survey(None, Estimate(D(3))), Method.SURVEY),
        (survey(Estimate(D(3)), Estimate(D(4)), series_break=True), Method.SURVEY),
        (survey(Estimate(D(3)), Estimate(D(4))), Method.SURVEY),
        (
            tolerance_verdict(
                baseline=None, latest=D(4), unit="percentage", direction="up", tolerance=1
            ),
            Method.TOLERANCE,
        ),
        (
            tolerance_verdict(
                baseline=D(3),
                latest=D(4),
                unit="count",
                direction="up",
                tolerance=1,
                series_break=True,
            ),
            Method.TOLERANCE,
        ),
        (
            xmr_verdict(values=STEADY, unit="percentage", direction="up", overlapping=True),
            Method.XMR,
        ),
        (
            xmr_verdict(values=STEADY, unit="percentage", direction="up", series_break=True),
            Method.XMR,
        ),
        (xmr_verdict(values=STEADY[:3], unit="percentage", direction="up"), Method.XMR),
    ):
        assert verdict.method == method
        assert verdict.test is None and verdict.chart is None and verdict.p_value is None
        assert verdict.direction in ("up", "down")
        assert verdict.change_unit == (
            ChangeUnit.PERCENTAGE_POINTS if verdict.unit == "percentage" else ChangeUnit.PERCENT
        )
    assert survey(None, Estimate(D(3))).status == Status.NOT_ENOUGH_DATA
    assert survey(Estimate(D(3)), None).reasons == (R.NO_LATEST,)
    assert survey(Estimate(D(3)), None).latest is None
    broken = xmr_verdict(values=STEADY, unit="count", direction="up", series_break=True)
    assert broken.status == Status.NOT_COMPARABLE
    assert counts(None, 22).smallest_change == D(5)
    assert counts(None, 22).direction == "down"


def test_verdicts_in_full_when_tested():
    tolerance = tolerance_verdict(
        baseline=D(31), latest=D(36), unit="percentage", direction="up", tolerance=D(2)
    )
    assert tolerance.change_unit == ChangeUnit.PERCENTAGE_POINTS
    common = xmr_verdict(values=STEADY, unit="percentage", direction="up")
    assert common.change_unit == ChangeUnit.PERCENTAGE_POINTS
    assert common.method == Method.XMR
    assert counts(35, 22).change_unit == ChangeUnit.PERCENT


def test_the_level_is_passed_to_the_test():
    assert counts(35, 22, alpha=0.2).status == Status.IMPROVING
    assert counts(35, 22, alpha=0.2).test.alpha == 0.2
    relaxed = survey(
        Estimate(D(31), D(29), D(33)), Estimate(D(33), D(31), D(35)), smallest="1", alpha=0.2
    )
    assert relaxed.status == Status.WORSENING
    assert relaxed.test.alpha == 0.2


def test_a_difference_of_exactly_one_and_of_less_than_one():
    kw = {"unit": "percentage", "tolerance": D("0.2")}
    assert tolerance_verdict(baseline=D(1), latest=D(2), direction="down", **kw).status == (
        Status.WORSENING
    )
    assert (
        tolerance_verdict(baseline=D(31), latest=D("31.5"), direction="down", **kw).status
        == Status.WORSENING
    )
    assert (
        tolerance_verdict(baseline=D(31), latest=D("31.5"), direction="up", **kw).status
        == Status.IMPROVING
    )
    assert (
        tolerance_verdict(baseline=D("31.5"), latest=D(31), direction="up", **kw).status
        == Status.WORSENING
    )


def test_xmr_reference_periods_that_do_not_fit():
    values = [*STEADY, *STEADY]
    short = xmr_verdict(values=values, reference=(6, 14), unit="count", direction="up")
    assert short.status == Status.NOT_ENOUGH_DATA
    assert xmr_verdict(values=values, reference=(-1, 12), unit="count", direction="up").status == (
        Status.NOT_ENOUGH_DATA
    )
    later = xmr_verdict(values=values, reference=(6, 18), unit="count", direction="up")
    assert later.chart.reference == (6, 18)


def test_refusals_say_what_is_wrong():
    with pytest.raises(ValueError, match=r'^the direction must be "up" or "down"$'):
        counts(1, 2, direction="")
    with pytest.raises(
        ValueError, match=r"^the smallest change that matters must be a number, 0 or more$"
    ):
        counts(1, 2, smallest="-2")
    with pytest.raises(ValueError, match=r"^a rate needs the population of both periods$"):
        counts(1, 2, unit="rate-per-1000")
    with pytest.raises(ValueError, match=r"^populations belong to a rate measure, not to counts$"):
        counts(1, 2, baseline_population=3)
    with pytest.raises(ValueError, match=r"^a population must be a positive number$"):
        counts(1, 2, unit="rate-per-1000", baseline_population=0, latest_population=3)
