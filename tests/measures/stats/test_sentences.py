"""The sentences: the issue's example word for word, and every branch, with
numbers formatted once by measures.formatting."""

import math
from decimal import Decimal

import pytest

from measures.stats.sentences import METHOD_NAMES, STATUS_LABELS, format_p, sentence
from measures.stats.survey import Estimate
from measures.stats.verdict import (
    Method,
    Status,
    poisson_verdict,
    survey_verdict,
    tolerance_verdict,
    xmr_verdict,
)
from measures.stats.xmr import SpcStatus

D = Decimal


def counts(baseline, latest, smallest="5", **kw):
    verdict = poisson_verdict(
        baseline=baseline, latest=latest, direction="down", smallest_change=D(smallest), **kw
    )
    return sentence(verdict)


def test_the_issues_example_word_for_word():
    assert counts(35, 22) == (
        "22 is fewer than 35, but a difference this size between counts this small happens "
        "by chance more than 1 time in 20 (p = 0.11), so it is not counted as a change."
    )


def test_an_improvement():
    assert counts(1203, 1090) == (
        "1,090 is fewer than 1,203, and a difference this size between counts like these "
        "happens by chance less than 1 time in 20 (p = 0.019); at \u22129.4% it is larger "
        "than the 5% change that matters for this measure, so it is counted as an improvement."
    )


def test_a_worsening_keeps_its_p_value_below_five_percent():
    assert counts(57, 81) == (
        "81 is more than 57, and a difference this size between counts like these happens by "
        "chance less than 1 time in 20 (p = 0.0498); at +42.1% it is larger than the 5% "
        "change that matters for this measure, so it is counted as a worsening."
    )


def test_significant_but_too_small():
    assert counts(200_000, 202_000) == (
        "202,000 is more than 200,000, and a difference this size between counts like these "
        "happens by chance less than 1 time in 20 (p = 0.0016), but at +1.0% it is within the "
        "5% change that matters for this measure, so it is not counted as a change."
    )


def test_neither():
    assert counts(100, 103) == (
        "103 is more than 100, but a difference this size between counts this small happens "
        "by chance more than 1 time in 20 (p = 0.89), and at +3.0% it is within the 5% change "
        "that matters for this measure, so it is not counted as a change."
    )


def test_equal_and_from_zero():
    assert counts(35, 35) == "35 in both periods: there is no change."
    assert counts(0, 6) == (
        "6 is more than 0, and a difference this size between counts like these happens by "
        "chance less than 1 time in 20 (p = 0.031); from none, any rise is larger than the "
        "change that matters, so it is counted as a worsening."
    )


def test_a_rate():
    verdict = poisson_verdict(
        baseline=3100,
        latest=2900,
        baseline_population=900_000,
        latest_population=910_000,
        unit="rate-per-1000",
        direction="down",
        smallest_change=D(5),
    )
    assert sentence(verdict, places=2) == (
        "3.19 per 1,000 people is lower than 3.44 per 1,000 people, and a difference this "
        "size between rates from counts like these happens by chance less than 1 time in 20 "
        "(p = 0.0026); at \u22127.5% it is larger than the 5% change that matters for this "
        "measure, so it is counted as an improvement."
    )


def test_a_survey_estimate():
    verdict = survey_verdict(
        baseline=Estimate(D("42.4"), D("37.0"), D("47.8")),
        latest=Estimate(D("33.5"), D("29.0"), D("38.0")),
        unit="rate-per-1000",
        direction="down",
        smallest_change=D(5),
    )
    assert sentence(verdict, places=1) == (
        "33.5 per 1,000 people is lower than 42.4 per 1,000 people, and a difference this size "
        "between two survey estimates happens by chance less than 1 time in 20 (p = 0.013); "
        "at \u221221.0% it is larger than the 5% change that matters for this measure, so it is "
        "counted as an improvement."
    )


def test_a_percentage_in_points_and_without_intervals():
    kw = {"unit": "percentage", "direction": "up", "smallest_change": D(2)}
    tested = survey_verdict(
        baseline=Estimate(D(31), D(30), D(32)), latest=Estimate(D(36), D(35), D(37)), **kw
    )
    assert "at +5 percentage points it is larger than the 2 percentage points change" in (
        sentence(tested)
    )
    assert "at +5.0 percentage points" in sentence(tested, change_places=1)
    untested = survey_verdict(baseline=Estimate(D(31)), latest=Estimate(D(36), D(35), D(37)), **kw)
    assert sentence(untested) == (
        "36% is higher than 31% (+5 percentage points), but the change cannot be tested: the "
        "test needs both figures' 95% confidence intervals."
    )
    level = survey_verdict(baseline=Estimate(D(31)), latest=Estimate(D(31)), **kw)
    assert sentence(level).startswith("31% in both periods, but the change cannot be tested")


def test_not_a_count():
    verdict = poisson_verdict(baseline=D("35.5"), latest=22, direction="down", smallest_change=D(5))
    assert sentence(verdict, places=1) == (
        "22.0 is fewer than 35.5 (\u221238.0%), but the change cannot be tested: the exact test "
        "is for whole counts of events, and these figures are not."
    )


def test_series_break_and_missing_figures():
    broken = poisson_verdict(
        baseline=35, latest=22, direction="down", smallest_change=D(5), series_break=True
    )
    assert sentence(broken, changed_in="2024") == (
        "Not comparable: the way this is measured changed in 2024, so no change is given."
    )
    assert sentence(broken) == (
        "Not comparable: the way this is measured changed, so no change is given."
    )
    missing = poisson_verdict(baseline=None, latest=22, direction="down", smallest_change=D(5))
    assert sentence(missing) == (
        "There is not yet both a baseline figure and a recent figure to compare."
    )


def test_the_fixed_tolerance_says_what_it_is():
    kw = {"unit": "count", "direction": "down", "tolerance": D(5)}
    assert sentence(tolerance_verdict(baseline=D(5), latest=D(4), **kw)) == (
        "4 is fewer than 5: at \u221220.0% the change is larger than the 5% tolerance set for "
        "this measure, so it is counted as an improvement. This rule does not test whether a "
        "change could be chance."
    )
    assert sentence(tolerance_verdict(baseline=D(100), latest=D(103), **kw)) == (
        "103 is more than 100: at +3.0% the change is within the 5% tolerance set for this "
        "measure, so it is not counted as a change. This rule does not test whether a change "
        "could be chance."
    )
    assert sentence(tolerance_verdict(baseline=D(100), latest=D(110), **kw)).endswith(
        "so it is counted as a worsening. This rule does not test whether a change could be chance."
    )
    assert sentence(tolerance_verdict(baseline=D(0), latest=D(3), **kw)) == (
        "3 is more than 0: from none, any rise is larger than the tolerance set for this "
        "measure, so it is counted as a worsening. This rule does not test whether a change "
        "could be chance."
    )
    assert sentence(tolerance_verdict(baseline=D(7), latest=D(7), **kw)) == (
        "7 in both periods: there is no change. This rule does not test whether a change could "
        "be chance."
    )
    half = tolerance_verdict(baseline=D(100), latest=D(97), **{**kw, "tolerance": D("2.5")})
    assert "larger than the 2.5% tolerance" in sentence(half)


STEADY = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 11]


def test_xmr_sentences():
    common = xmr_verdict(values=STEADY, unit="count", direction="down")
    assert sentence(common, places=1) == (
        "Common cause variation. The latest figure, 11.0, is within the process limits of 7.87 "
        "to 15.13 and is part of no unusual pattern."
    )
    beyond = xmr_verdict(values=[*STEADY, 30], reference=(0, 12), unit="count", direction="down")
    assert sentence(beyond, places=1) == (
        "Concerning: special cause. The latest figure, 30.0, is above the upper process limit "
        "of 15.13."
    )
    low = xmr_verdict(values=[*STEADY, 3], reference=(0, 12), unit="count", direction="down")
    assert sentence(low, places=1) == (
        "Improving: special cause. The latest figure, 3.0, is below the lower process limit "
        "of 7.87."
    )
    shifted = xmr_verdict(
        values=[*STEADY, 12, 12.5, 12, 12.5, 12, 12.5, 12],
        reference=(0, 12),
        unit="count",
        direction="up",
    )
    assert sentence(shifted, places=1) == (
        "Improving: special cause. The latest figure, 12.0, is one of 7 or more figures in a "
        "row above the mean of 11.50."
    )
    rising = [10.6, 10.9, 11.2, 11.5, 11.8, 12.1, 12.4]
    trend = xmr_verdict(
        values=[*STEADY, *rising], reference=(0, 12), unit="count", direction="down"
    )
    assert sentence(trend, places=1) == (
        "Concerning: special cause. The latest figure, 12.4, is one of 7 or more figures in a "
        "row each higher than the last."
    )
    falling = xmr_verdict(
        values=[*STEADY, *reversed(rising)], reference=(0, 12), unit="count", direction="down"
    )
    assert sentence(falling, places=1) == (
        "Improving: special cause. The latest figure, 10.6, is one of 7 or more figures in a "
        "row each lower than the last."
    )
    below = xmr_verdict(
        values=[*STEADY, 11, 10.5, 11, 10.5, 11, 10.5, 11],
        reference=(0, 12),
        unit="count",
        direction="up",
    )
    assert sentence(below, places=1) == (
        "Concerning: special cause. The latest figure, 11.0, is one of 7 or more figures in a "
        "row below the mean of 11.50."
    )
    near_below = xmr_verdict(
        values=[*STEADY, 9, 12, 9], reference=(0, 12), unit="count", direction="down"
    )
    assert sentence(near_below, places=1) == (
        "Improving: special cause. The latest figure, 9.0, is one of 2 in 3 figures in a row "
        "more than two sigma below the mean."
    )
    # Two reasons are joined by "and" alone.
    two = xmr_verdict(
        values=[*STEADY, 14, 11, 16], reference=(0, 12), unit="count", direction="down"
    )
    assert sentence(two, places=1) == (
        "Concerning: special cause. The latest figure, 16.0, is above the upper process limit "
        "of 15.13 and one of 2 in 3 figures in a row more than two sigma above the mean."
    )
    near = xmr_verdict(
        values=[*STEADY, 14, 11, 14], reference=(0, 12), unit="count", direction="down"
    )
    assert sentence(near) == (
        "Concerning: special cause. The latest figure, 14, is one of 2 in 3 figures in a row "
        "more than two sigma above the mean."
    )
    many = xmr_verdict(
        values=[*STEADY, 14, 14.5, 15, 15.5, 16, 16.5, 17],
        reference=(0, 12),
        unit="count",
        direction="down",
    )
    assert sentence(many, places=1) == (
        "Concerning: special cause. The latest figure, 17.0, is above the upper process limit "
        "of 15.13, one of 7 or more figures in a row above the mean of 11.50, one of 7 or more "
        "figures in a row each higher than the last and one of 2 in 3 figures in a row more "
        "than two sigma above the mean."
    )


def test_a_common_cause_point_has_no_signal_to_word():
    from measures.stats.sentences import signal_phrases

    chart = xmr_verdict(values=STEADY, unit="count", direction="down").chart
    assert signal_phrases(chart.points[-1], chart, "count", 1) == ""


def test_a_rate_from_small_counts():
    verdict = poisson_verdict(
        baseline=31,
        latest=29,
        baseline_population=900_000,
        latest_population=910_000,
        unit="rate-per-1000",
        direction="down",
        smallest_change=D(5),
    )
    assert sentence(verdict, places=3) == (
        "0.032 per 1,000 people is lower than 0.034 per 1,000 people, but a difference this "
        "size between rates from counts this small happens by chance more than 1 time in 20 "
        "(p = 0.80), so it is not counted as a change."
    )


def test_xmr_not_charted_sentences():
    rolling = xmr_verdict(values=STEADY, unit="count", direction="up", overlapping=True)
    assert sentence(rolling) == (
        "Not charted: these figures' periods overlap (a rolling 12 months shares 11 with the "
        "next), so they are not the separate points a control chart needs."
    )
    short = xmr_verdict(values=STEADY[:5], unit="count", direction="up")
    assert sentence(short) == (
        "Not enough data: a control chart needs at least 12 figures to set its limits."
    )


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (1.0, "p = 1.0"),
        (0.5078125, "p = 0.51"),
        (0.1111611, "p = 0.11"),
        (0.152819, "p = 0.15"),
        (0.0193197, "p = 0.019"),
        (0.0498481, "p = 0.0498"),
        (0.04999996, "p = 0.04999996"),  # never shown as 0.050 when below 0.05
        (0.05, "p = 0.050"),
        (0.0501, "p = 0.050"),
        (0.0016, "p = 0.0016"),
        (0.001, "p = 0.0010"),
        (0.000999, "p < 0.001"),
        (0.0, "p < 0.001"),
    ],
)
def test_format_p(p, text):
    assert format_p(p) == text


def test_format_p_with_another_level():
    assert format_p(0.0099, alpha=0.01) == "p = 0.0099"
    assert format_p(0.00996, alpha=0.01) == "p = 0.00996"


def test_labels_and_method_names_cover_every_value():
    assert set(STATUS_LABELS) == set(Status) | set(SpcStatus)
    assert set(METHOD_NAMES) == set(Method)
    assert STATUS_LABELS[SpcStatus.IMPROVING] == "Improving: special cause"
    assert STATUS_LABELS[SpcStatus.CONCERNING] == "Concerning: special cause"
    assert STATUS_LABELS[SpcStatus.COMMON_CAUSE] == "Common cause variation"
    assert STATUS_LABELS[Status.NO_CHANGE] == "No significant change"


def test_values_keep_their_unit_and_places_in_every_sentence():
    kw = {"unit": "percentage", "direction": "up", "smallest_change": D(2)}
    level = survey_verdict(
        baseline=Estimate(D(31), D(30), D(32)), latest=Estimate(D(31), D(30), D(32)), **kw
    )
    assert sentence(level, places=1) == "31.0% in both periods: there is no change."
    same = tolerance_verdict(
        baseline=D(31), latest=D(31), unit="percentage", direction="up", tolerance=D(2)
    )
    assert sentence(same, places=1).startswith("31.0% in both periods: there is no change.")
    untested = survey_verdict(baseline=Estimate(D(31)), latest=Estimate(D(31)), **kw)
    assert sentence(untested, places=1).startswith("31.0% in both periods, but")
    chart = xmr_verdict(
        values=[*[v * 2 for v in STEADY], 40], reference=(0, 12), unit="percentage", direction="up"
    )
    assert sentence(chart, places=1) == (
        "Improving: special cause. The latest figure, 40.0%, is above the upper process limit "
        "of 30.25%."
    )
    shifted = xmr_verdict(
        values=[*STEADY, 12, 12.5, 12, 12.5, 12, 12.5, 12],
        reference=(0, 12),
        unit="rate-per-1000",
        direction="up",
    )
    assert sentence(shifted, places=1).endswith("above the mean of 11.50 per 1,000 people.")
    common = xmr_verdict(values=STEADY, unit="percentage", direction="down")
    assert sentence(common, places=1) == (
        "Common cause variation. The latest figure, 11.0%, is within the process limits of "
        "7.87% to 15.13% and is part of no unusual pattern."
    )


def test_another_level_of_significance():
    verdict = poisson_verdict(
        baseline=35, latest=22, direction="down", smallest_change=D(5), alpha=0.2
    )
    assert sentence(verdict) == (
        "22 is fewer than 35, and a difference this size between counts like these happens by "
        "chance less than 1 time in 5 (p = 0.11); at \u221237.1% it is larger than the 5% change "
        "that matters for this measure, so it is counted as an improvement."
    )
    nearly = poisson_verdict(
        baseline=35, latest=22, direction="down", smallest_change=D(5), alpha=0.111
    )
    assert "(p = 0.111)" in sentence(nearly)


def test_format_p_at_its_edges():
    assert format_p(Decimal("0.001")) == "p = 0.0010"
    assert format_p(Decimal("0.05")) == "p = 0.050"
    assert format_p(math.nextafter(0.05, 0)) == "p = 0.049999999999999996"
