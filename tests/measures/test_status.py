"""The rules that choose what each figure is compared with, and by which
method (``measures.status``), on plain values; the methods themselves are
tested in ``tests/measures/stats`` against independent references."""

import datetime
from decimal import Decimal

import pytest

from measures.display import progress_sentence, verdict_sentence
from measures.stats.verdict import Method
from measures.status import (
    Basis,
    Progress,
    ProgressReason,
    Reading,
    Rule,
    Status,
    TargetProgress,
    change_decimal_places,
    chart_segments,
    control_charts,
    judge_all,
    overlap,
    reaches,
    series_break_between,
    target_progress,
    target_value,
    trajectory_value,
)

D = Decimal
d = datetime.date
BASELINE = (d(2018, 7, 1), d(2019, 6, 30))


def year_to(end_year, end_month=6):
    """The 12 months to the end of June (or ``end_month``) of ``end_year``."""
    start = d(end_year - 1, end_month % 12 + 1, 1)
    end = (d(end_year, end_month % 12 + 1, 1) if end_month < 12 else d(end_year + 1, 1, 1)) - (
        datetime.timedelta(days=1)
    )
    return start, end


def reading(key, period, value, lower=None, upper=None, series_break=False):
    return Reading(key, *period, D(value), lower and D(lower), upper and D(upper), series_break)


def rule(method=Method.POISSON, unit="count", direction="down", smallest="0"):
    return Rule(unit, direction, Method(method), D(smallest), BASELINE)


def judge_pair(baseline, latest, **kw):
    """The latest figure's verdict against a published baseline figure."""
    base = reading("b", BASELINE, baseline)
    last = reading("l", year_to(2025), latest)
    return judge_all([last], [base, last], rule(**kw))[0]


class TestPoissonOnCounts:
    """The issue's worked examples: down is better, no smallest change."""

    @pytest.mark.parametrize(
        ("baseline", "latest", "status", "p_low", "p_high", "change"),
        [
            (35, 22, Status.NO_CHANGE, 0.10, 0.12, "-37.1"),
            (412, 371, Status.NO_CHANGE, 0.14, 0.16, "-10.0"),
            (1203, 1090, Status.IMPROVING, 0.015, 0.025, "-9.4"),
            (57, 81, Status.WORSENING, 0.049, 0.04999, "42.1"),
            (6, 3, Status.NO_CHANGE, 0.3, 1.0, "-50.0"),
        ],
    )
    def test_the_issues_examples(self, baseline, latest, status, p_low, p_high, change):
        verdict = judge_pair(baseline, latest)
        assert verdict.status == status
        assert p_low < verdict.p_value < p_high
        assert round(verdict.change, 1) == D(change)
        assert verdict.method == Method.POISSON
        assert verdict.basis == Basis.METHOD
        assert verdict.comparison == reading("b", BASELINE, baseline)

    def test_the_sentence_gives_the_test_and_its_p_value(self):
        verdict = judge_pair(35, 22)
        text = verdict_sentence(verdict, places=0, change_places=1)
        assert text == (
            "22 is fewer than 35, but a difference this size between counts this small "
            "happens by chance more than 1 time in 20 (p = 0.11), so it is not counted as a change."
        )

    def test_a_significant_change_within_the_smallest_change_that_matters_is_no_change(self):
        # 1,203 → 1,090 is significant (p ≈ 0.02) but only 9.4% down.
        assert judge_pair(1203, 1090, smallest="10").status == Status.NO_CHANGE
        assert judge_pair(1203, 1090, smallest="9").status == Status.IMPROVING

    def test_up_is_better(self):
        assert judge_pair(57, 81, direction="up").status == Status.IMPROVING


class TestTheStatusIsDecidedUnrounded:
    def test_a_change_of_minus_5_4_percent_is_beyond_a_5_percent_tolerance(self):
        # 1,000 → 946 is −5.4%: shown as −5% at the values' places, but not within 5%.
        verdict = judge_pair(1000, 946, method=Method.TOLERANCE, smallest="5")
        assert verdict.status == Status.IMPROVING
        assert verdict.change == D("-5.4")

    def test_a_change_just_beyond_the_tolerance_counts(self):
        # 100 → 94.99: −5.01%, which rounds to −5.0.
        verdict = judge_pair("100", "94.99", method=Method.TOLERANCE, smallest="5")
        assert verdict.status == Status.IMPROVING

    def test_a_change_exactly_at_the_tolerance_does_not(self):
        verdict = judge_pair("100", "95", method=Method.TOLERANCE, smallest="5")
        assert verdict.status == Status.NO_CHANGE

    def test_the_fixed_tolerance_reads_a_percentage_in_points(self):
        # 31% → 36% is 5 points, not 16.1%.
        verdict = judge_pair("31", "36", method=Method.TOLERANCE, unit="percentage", smallest="1")
        assert verdict.change == D(5)
        assert verdict.change_unit == "percentage points"

    @pytest.mark.parametrize("method", [Method.POISSON, Method.SURVEY, Method.TOLERANCE])
    def test_no_published_baseline_is_not_enough_data_by_any_method(self, method):
        last = reading("l", year_to(2025), "22", "20", "24")
        verdict = judge_all([last], [last], rule(method))[0]
        assert verdict.status == Status.NOT_ENOUGH_DATA
        assert (verdict.method, verdict.comparison, verdict.change) == (method, None, None)

    def test_the_fixed_tolerance_says_it_tests_nothing_about_chance(self):
        verdict = judge_pair(5, 4, method=Method.TOLERANCE, smallest="5")
        text = verdict_sentence(verdict, places=0, change_places=1)
        assert "−20.0%" in text
        assert "does not test whether a change could be chance" in text


class TestSurvey:
    def test_intervals_that_overlap_can_still_differ_significantly(self):
        # Neighbourhood crime 42.4 → 33.5 per 1,000, intervals overlapping.
        base = reading("b", BASELINE, "42.4", "37.9", "46.9")
        last = reading("l", year_to(2025), "33.5", "29.0", "38.0")
        verdict = judge_all([last], [base, last], rule(Method.SURVEY, "rate-per-1000"))[0]
        assert verdict.status == Status.IMPROVING
        assert verdict.p_value < 0.05

    def test_a_percentage_changes_in_percentage_points(self):
        base = reading("b", BASELINE, "31", "29", "33")
        last = reading("l", year_to(2025), "36", "34", "38")
        verdict = judge_all(
            [last], [base, last], rule(Method.SURVEY, "percentage", direction="up")
        )[0]
        assert verdict.change == D(5)
        assert verdict.change_unit == "percentage points"
        assert verdict.status == Status.IMPROVING

    def test_without_intervals_the_change_cannot_be_tested(self):
        base = reading("b", BASELINE, "31")
        last = reading("l", year_to(2025), "36")
        verdict = judge_all([last], [base, last], rule(Method.SURVEY, "percentage"))[0]
        assert verdict.status == Status.NOT_ENOUGH_DATA
        assert "cannot be tested" in verdict_sentence(verdict, places=0, change_places=0)


class TestWhatIsCompared:
    def test_the_baseline_figure_is_the_baseline(self):
        base = reading("b", BASELINE, 35)
        verdict = judge_all([base], [base], rule())[0]
        assert (verdict.status, verdict.basis, verdict.method) == (
            Status.BASELINE,
            Basis.BASELINE,
            Method.POISSON,
        )
        assert verdict.change is None

    def test_no_published_baseline_is_not_enough_data(self):
        last = reading("l", year_to(2025), 22)
        assert judge_all([last], [last], rule())[0].status == Status.NOT_ENOUGH_DATA

    def test_a_period_of_another_length_is_not_compared(self):
        base = reading("b", BASELINE, 35)
        month = reading("m", (d(2025, 6, 1), d(2025, 6, 30)), 2)
        verdict = judge_all([month], [base, month], rule(Method.SURVEY))[0]
        assert (verdict.status, verdict.basis) == (Status.NOT_COMPARABLE, Basis.OTHER_LENGTH)
        assert verdict.method == Method.SURVEY

    def test_a_draft_is_judged_against_the_published_baseline(self):
        base = reading("b", BASELINE, 57)
        draft = reading("d", year_to(2025), 81)
        assert judge_all([draft], [base], rule())[0].status == Status.WORSENING


class TestSeriesBreaks:
    def setup_method(self):
        self.base = reading("b", BASELINE, "31", "29", "33")
        self.broken = reading("x", year_to(2024), "40", "38", "42", series_break=True)
        self.last = reading("l", year_to(2025), "45", "43", "47")

    def test_no_change_and_no_verdict_across_a_break(self):
        published = [self.base, self.broken, self.last]
        for figure in (self.broken, self.last):
            verdict = judge_all([figure], published, rule(Method.SURVEY, "percentage"))[0]
            assert verdict.status == Status.NOT_COMPARABLE
            assert verdict.change is None
            assert verdict.p_value is None
            assert verdict.broken_in == 2023
            assert verdict_sentence(verdict, places=0, change_places=0) == (
                "Not comparable: the way this is measured changed in 2023, so no change is given."
            )

    def test_a_figure_before_the_baseline_across_a_break_at_the_baseline(self):
        early = reading("e", year_to(2018), "30", "28", "32")
        base = reading("b", BASELINE, "31", "29", "33", series_break=True)
        verdict = judge_all([early], [early, base], rule(Method.SURVEY, "percentage"))[0]
        assert verdict.status == Status.NOT_COMPARABLE

    def test_a_break_on_the_latest_figures_own_end_counts(self):
        assert series_break_between([self.last], BASELINE[1], self.last.period_end) == self.last
        assert series_break_between([self.last], BASELINE[1], d(2025, 6, 29)) is None

    def test_a_break_on_the_earlier_figures_own_end_does_not(self):
        """A series that starts with the baseline: the baseline and what comes
        after it are one series, and compared."""
        assert series_break_between([self.broken], self.broken.period_end, d(2025, 6, 30)) is None
        base = reading("b", BASELINE, "31", "29", "33", series_break=True)
        verdict = judge_all([self.last], [base, self.last], rule(Method.SURVEY, "percentage"))[0]
        assert verdict.status == Status.WORSENING
        assert verdict.broken_in is None

    def test_a_draft_that_marks_a_break_is_not_compared(self):
        """The draft is not among the published figures, whose breaks are
        looked for: its own mark counts all the same."""
        draft = reading("d", year_to(2025), "45", "43", "47", series_break=True)
        verdict = judge_all([draft], [self.base], rule(Method.SURVEY, "percentage"))[0]
        assert verdict.status == Status.NOT_COMPARABLE
        assert verdict.broken_in == 2024


class TestXmr:
    def months(self, values, series_break_at=None):
        readings = []
        for i, value in enumerate(values):
            year, month = 2020 + i // 12, i % 12 + 1
            end = (d(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(days=1)
            readings.append(
                reading(i, (d(year, month, 1), end), value, series_break=i == series_break_at)
            )
        return readings

    def test_a_point_beyond_the_limits_is_special_cause(self):
        months = self.months([50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 80])
        verdicts = judge_all(months, months, rule(Method.XMR, direction="down"))
        assert verdicts[-1].status == Status.SPECIAL_CONCERNING
        assert (verdicts[-1].method, verdicts[-1].basis) == (Method.XMR, Basis.METHOD)
        assert verdicts[-2].status == Status.COMMON_CAUSE
        assert verdicts[0].status == Status.NOT_ENOUGH_DATA  # fewer than 12 points so far

    def test_rolling_figures_are_not_charted(self):
        rolling = [reading(i, year_to(2020 + i), 100 + i) for i in range(3)]
        rolling += [reading(9, year_to(2022, 9), 99)]
        verdict = judge_all(rolling, rolling, rule(Method.XMR))[-1]
        assert verdict.status == Status.NOT_COMPARABLE
        assert "periods overlap" in verdict_sentence(verdict, places=0, change_places=1)

    def test_a_break_starts_a_new_chart(self):
        values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 80]
        months = self.months(values, series_break_at=5)
        verdicts = judge_all(months, months, rule(Method.XMR))
        assert verdicts[-1].status == Status.NOT_ENOUGH_DATA

    def test_the_drawn_charts_are_the_ones_the_verdicts_read(self):
        """A chart per run between breaks with 12 figures or more, each the
        chart its last figure's stored verdict was read on."""
        values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 80]
        months = self.months([*values, *[v + 5 for v in values]], series_break_at=13)
        charts = control_charts(months, "down")
        assert [(c.start, c.stop) for c in charts] == [(0, 13), (13, 26)]
        verdicts = judge_all(months, months, rule(Method.XMR, direction="down"))
        assert charts[0].chart == verdicts[12].verdict.chart
        assert charts[1].chart == verdicts[-1].verdict.chart
        assert charts[1].chart.mean == pytest.approx(sum(values[:12]) / 12 + 5)
        short = self.months(values, series_break_at=5)
        assert [(c.start, c.stop) for c in control_charts(short, "down")] == []

    def test_the_chart_knows_the_measure_s_unit(self):
        months = self.months([50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 80])
        verdict = judge_all(months, months, rule(Method.XMR, unit="percentage"))[-1]
        assert verdict.verdict.unit == "percentage"
        assert verdict.verdict.change_unit == "percentage points"

    def test_segments_between_breaks(self):
        assert chart_segments([]) == []
        months = self.months(range(4))
        assert chart_segments(months) == [(0, 4)]
        # A break on the first figure starts the only chart there is.
        assert chart_segments(self.months(range(4), series_break_at=0)) == [(0, 4)]
        assert chart_segments(self.months(range(4), series_break_at=1)) == [(0, 1), (1, 4)]
        assert chart_segments(self.months(range(4), series_break_at=3)) == [(0, 3), (3, 4)]

    def test_periods_that_share_a_day_overlap(self):
        first = reading(1, (d(2024, 1, 1), d(2024, 6, 30)), 1)
        touching = reading(2, (d(2024, 6, 30), d(2024, 12, 30)), 1)
        after = reading(3, (d(2024, 7, 1), d(2024, 12, 31)), 1)
        assert overlap([first, touching])
        assert not overlap([first, after])
        assert not overlap([first])

    def test_rolling_figures_have_no_chart_to_draw(self):
        rolling = [reading(i, year_to(2020 + i // 4, 3 * (i % 4) + 3), 100 + i) for i in range(13)]
        assert control_charts(rolling, "up") == []
        months = self.months(range(12))
        assert len(control_charts(months, "up")) == 1


def test_a_change_has_one_decimal_place_unless_the_measure_says_otherwise():
    assert change_decimal_places("count", 0, None) == 1
    assert change_decimal_places("rate-per-1000", 1, None) == 1
    assert change_decimal_places("percentage", 0, None) == 0
    assert change_decimal_places("percentage", 1, None) == 1
    assert change_decimal_places("count", 0, 2) == 2


def test_every_status_has_text_and_a_shape():
    for status in Status:
        assert status.label and status.icon


class TestTargets:
    def progress(self, **kw):
        defaults = {
            "kind": "value",
            "value": D(75),
            "due": d(2025, 3, 31),
            "steps": [(d(2023, 3, 31), D(71)), (d(2024, 3, 31), D(73))],
            "baseline": D(68),
            "baseline_end": d(2019, 6, 30),
            "latest": D(72),
            "latest_end": d(2023, 6, 30),
            "unit": "percentage",
            "direction": "up",
            "status": Status.IMPROVING,
        }
        return target_progress(**{**defaults, **kw})

    def test_on_track_against_the_trajectory(self):
        result = self.progress()
        assert result.progress == Progress.ON_TRACK
        assert result.expected == D("71")
        assert "75.0% by March 2025" in progress_sentence(result, "value", "percentage", 1)

    def test_off_track_against_the_trajectory(self):
        result = self.progress(latest=D("72"), latest_end=d(2024, 6, 30))
        assert result.progress == Progress.OFF_TRACK
        assert result.expected == D("73")

    def test_met(self):
        assert self.progress(latest=D("75.5")).progress == Progress.MET

    def test_not_met_once_due(self):
        result = self.progress(latest=D("74"), latest_end=d(2025, 3, 31))
        assert result.progress == Progress.NOT_MET

    def test_down_is_better_targets(self):
        kw = {"direction": "down", "unit": "count", "steps": []}
        assert self.progress(value=D(10), latest=D(9), **kw).progress == Progress.MET
        assert self.progress(value=D(10), latest=D(11), **kw).progress in {
            Progress.ON_TRACK,
            Progress.OFF_TRACK,
        }

    def test_change_target_is_against_the_baseline(self):
        # 10% fewer than a baseline of 41.0 is 36.9; two thirds of the way there by 2024.
        result = self.progress(
            kind="change",
            value=D(-10),
            steps=[(d(2024, 3, 31), D(-7))],
            baseline=D("41.0"),
            latest=D("37.5"),
            latest_end=d(2024, 6, 30),
            unit="rate-per-1000",
            direction="down",
        )
        assert result.goal == D("36.900")
        # Judged unrounded: 41.0 x 0.93 = 38.13, not 38.1.
        assert result.expected == D("38.130")
        assert result.progress == Progress.ON_TRACK
        assert "36.9 per 1,000 people" in progress_sentence(result, "change", "rate-per-1000", 1)

    def test_no_trajectory_means_a_straight_line_from_the_baseline(self):
        result = self.progress(
            kind="change",
            value=D(20),
            steps=[],
            baseline=D(600),
            baseline_end=d(2019, 3, 31),
            due=d(2025, 3, 31),
            latest=D(640),
            latest_end=d(2022, 3, 31),
            unit="count",
        )
        # Halfway in time: 600 → 720, so 660 expected; 640 falls short.
        assert result.expected == D(660)
        assert result.progress == Progress.OFF_TRACK

    def test_improvement_target_follows_the_status(self):
        kw = {"kind": "improvement", "value": None, "steps": []}
        assert self.progress(**kw).progress == Progress.MET
        assert self.progress(status=Status.NO_CHANGE, **kw).progress == Progress.OFF_TRACK
        late = self.progress(status=Status.NO_CHANGE, latest_end=d(2025, 6, 30), **kw)
        assert late.progress == Progress.NOT_MET

    def test_the_latest_figure_is_judged_against_the_unrounded_trajectory(self):
        # Expected 38.13 by now: 38.13 itself is on track, 38.14 (shown as 38.1) is not.
        kw = {
            "kind": "change",
            "value": D(-10),
            "steps": [(d(2024, 3, 31), D(-7))],
            "baseline": D("41.0"),
            "latest_end": d(2024, 6, 30),
            "unit": "rate-per-1000",
            "direction": "down",
        }
        assert self.progress(latest=D("38.13"), **kw).progress == Progress.ON_TRACK
        assert self.progress(latest=D("38.14"), **kw).progress == Progress.OFF_TRACK

    def test_a_goal_reached_exactly_is_met(self):
        assert self.progress(latest=D(75)).progress == Progress.MET
        assert self.progress(latest=D("74.99")).progress != Progress.MET

    def test_never_judged_across_a_series_break(self):
        result = self.progress(latest=D("80"), broken_in=2024)
        assert result.progress == Progress.NOT_COMPARABLE
        sentence = progress_sentence(result, "value", "percentage", 1)
        assert sentence.startswith("Not comparable: the way this is measured changed in 2024")

    def test_an_improvement_target_is_met_by_a_special_cause_improvement(self):
        kw = {"kind": "improvement", "value": None, "steps": []}
        assert self.progress(status=Status.SPECIAL_IMPROVING, **kw).progress == Progress.MET
        assert self.progress(status=Status.COMMON_CAUSE, **kw).progress == Progress.OFF_TRACK

    def test_not_enough_data(self):
        assert self.progress(latest=None).progress == Progress.NOT_ENOUGH_DATA
        assert self.progress(kind="change", baseline=None).progress == Progress.NOT_ENOUGH_DATA

    DUE = d(2025, 3, 31)

    def test_every_outcome_with_its_reason_due_date_goal_and_expected_value(self):
        P, R, due = Progress, ProgressReason, self.DUE
        assert self.progress() == TargetProgress(P.ON_TRACK, R.ON_TRAJECTORY, due, D(75), D(71))
        assert self.progress(latest_end=d(2024, 6, 30)) == TargetProgress(
            P.OFF_TRACK, R.BEHIND_TRAJECTORY, due, D(75), D(73)
        )
        assert self.progress(latest=D(75)) == TargetProgress(P.MET, R.REACHED, due, D(75))
        assert self.progress(latest_end=due) == TargetProgress(P.NOT_MET, R.MISSED, due, D(75))
        assert self.progress(latest=None) == TargetProgress(
            P.NOT_ENOUGH_DATA, R.NO_FIGURES, due, D(75)
        )
        no_line = self.progress(steps=[], baseline=None)
        assert no_line == TargetProgress(P.NOT_ENOUGH_DATA, R.NO_TRAJECTORY, due, D(75))

    def test_every_improvement_outcome_with_its_reason_and_due_date(self):
        P, R, due = Progress, ProgressReason, self.DUE
        kw = {"kind": "improvement", "value": None, "steps": []}
        assert self.progress(**kw) == TargetProgress(P.MET, R.IMPROVED, due)
        assert self.progress(status=Status.NO_CHANGE, **kw) == TargetProgress(
            P.OFF_TRACK, R.NOT_IMPROVED_YET, due
        )
        # The latest figure's period ends on the due date: the time is up.
        assert self.progress(status=Status.NO_CHANGE, latest_end=due, **kw) == TargetProgress(
            P.NOT_MET, R.NOT_IMPROVED, due
        )
        missing = TargetProgress(P.NOT_ENOUGH_DATA, R.NO_FIGURES, due)
        assert self.progress(latest=None, **kw) == missing
        assert self.progress(baseline=None, **kw) == missing

    def test_a_change_target_for_a_percentage_is_in_percentage_points(self):
        # 4 points up on 60%: 64%, not 62.4%; the step of 2 points: 62%.
        result = self.progress(
            kind="change",
            value=D(4),
            steps=[(d(2023, 3, 31), D(2))],
            baseline=D(60),
            latest=D("62.1"),
        )
        assert (result.goal, result.expected) == (D(64), D(62))
        assert result.progress == Progress.ON_TRACK

    def test_a_step_dated_on_the_latest_figure_s_end_applies(self):
        # The latest figure covers the 12 months to March 2024, when the step to 73 falls.
        result = self.progress(latest=D(72), latest_end=d(2024, 3, 31))
        assert result.expected == D(73)
        assert result.progress == Progress.OFF_TRACK
        steps = [(d(2023, 3, 31), D(71)), (d(2024, 3, 31), D(73))]
        assert trajectory_value(steps, None, d(2024, 3, 31)) == D(73)
        assert trajectory_value(steps, None, d(2024, 3, 30)) == D(71)

    def test_without_a_baseline_s_date_or_value_no_straight_line(self):
        result = self.progress(steps=[], baseline_end=None)
        assert (result.progress, result.reason) == (
            Progress.NOT_ENOUGH_DATA,
            ProgressReason.NO_TRAJECTORY,
        )
        result = self.progress(steps=[], baseline=None)
        assert (result.progress, result.reason) == (
            Progress.NOT_ENOUGH_DATA,
            ProgressReason.NO_TRAJECTORY,
        )

    def test_a_straight_line_starts_at_the_baseline(self):
        start = (d(2019, 3, 31), D(600))
        steps = [(d(2025, 3, 31), D(720))]
        assert trajectory_value(steps, start, d(2018, 3, 31)) == D(600)
        assert trajectory_value(steps, start, d(2019, 3, 31)) == D(600)
        assert trajectory_value(steps, start, d(2022, 3, 31)) == D(660)
        assert trajectory_value([], start, d(2022, 3, 31)) is None

    @pytest.mark.parametrize(
        ("value", "goal", "direction", "reached"),
        [
            (D(75), D(75), "up", True),
            (D("74.9"), D(75), "up", False),
            (D(10), D(10), "down", True),
            (D("10.1"), D(10), "down", False),
            (D("9.9"), D(10), "down", True),
        ],
    )
    def test_a_value_exactly_at_its_goal_reaches_it(self, value, goal, direction, reached):
        assert reaches(value, goal, direction) is reached

    def test_a_down_target_reached_exactly_is_met(self):
        kw = {"direction": "down", "unit": "count", "steps": []}
        assert self.progress(value=D(10), latest=D(10), **kw).progress == Progress.MET

    def test_target_value(self):
        assert target_value("value", D(75), None, "percentage") == D(75)
        assert target_value("change", D(-10), D(200), "count") == D(180)
        assert target_value("change", D(2), D(60), "percentage") == D(62)
        assert target_value("improvement", None, D(1), "count") is None

    def test_trajectory_value(self):
        steps = [(d(2023, 3, 31), D(71)), (d(2024, 3, 31), D(73))]
        assert trajectory_value(steps, None, d(2023, 12, 31)) == D(71)
        assert trajectory_value(steps, None, d(2022, 12, 31)) is None
