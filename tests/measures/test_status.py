import datetime
from decimal import Decimal

import pytest

from measures.display import method_sentence, progress_sentence
from measures.status import (
    Observation,
    Progress,
    Status,
    assess,
    change_against_baseline,
    figure_status,
    series_break_between,
    target_progress,
    target_value,
    trajectory_value,
)

D = Decimal
d = datetime.date


def obs(value, lower=None, upper=None):
    return Observation(
        D(value), D(lower) if lower is not None else None, D(upper) if upper is not None else None
    )


def run(baseline, latest, *, unit="count", direction="down", tolerance="5", places=0, **kw):
    return assess(
        baseline=baseline,
        latest=latest,
        unit=unit,
        direction=direction,
        tolerance=D(tolerance),
        places=places,
        **kw,
    )


class TestChange:
    def test_counts_change_in_percent(self):
        assert change_against_baseline(D(200), D(150), "count", 0) == D(-25)

    def test_rates_change_in_percent_rounded_to_the_measures_places(self):
        assert change_against_baseline(D("41.0"), D("33.0"), "rate-per-1000", 1) == D("-19.5")

    def test_percentages_change_in_percentage_points(self):
        assert change_against_baseline(D("68.0"), D("72.5"), "percentage", 1) == D("4.5")

    def test_nothing_to_compare(self):
        assert change_against_baseline(None, D(1), "count", 0) is None
        assert change_against_baseline(D(1), None, "count", 0) is None

    def test_a_zero_baseline_has_no_relative_change(self):
        assert change_against_baseline(D(0), D(3), "count", 0) is None
        assert change_against_baseline(D(0), D(3), "percentage", 1) == D("3.0")


class TestStatus:
    def test_down_is_better(self):
        assert run(obs(100), obs(80)).status == Status.IMPROVING
        assert run(obs(100), obs(120)).status == Status.WORSENING

    def test_up_is_better(self):
        assert run(obs(100), obs(120), direction="up").status == Status.IMPROVING
        assert run(obs(100), obs(80), direction="up").status == Status.WORSENING

    def test_within_the_tolerance_is_no_significant_change(self):
        result = run(obs(100), obs(105))
        assert result.status == Status.NO_CHANGE
        assert result.change == D(5)
        assert "larger than 5%" in method_sentence(result, "count", 0)
        assert run(obs(100), obs(106)).status == Status.WORSENING

    def test_tolerance_for_percentages_is_in_percentage_points(self):
        kw = {"unit": "percentage", "direction": "up", "tolerance": "2", "places": 1}
        assert run(obs("60"), obs("61.5"), **kw).status == Status.NO_CHANGE
        assert run(obs("60"), obs("62.5"), **kw).status == Status.IMPROVING
        result = run(obs("60"), obs("61.5"), **kw)
        assert "percentage points" in method_sentence(result, "percentage", 1)

    def test_overlapping_intervals_are_no_significant_change_however_large(self):
        result = run(obs(60, 50, 70), obs(66, 58, 74), unit="percentage", direction="up")
        assert result.status == Status.NO_CHANGE
        assert "confidence intervals" in method_sentence(result, "percentage", 0)

    def test_separate_intervals_are_significant_however_small(self):
        kw = {"unit": "percentage", "direction": "up", "tolerance": "5", "places": 1}
        assert run(obs("60", "59", "61"), obs("62", "61.5", "62.5"), **kw).status == (
            Status.IMPROVING
        )
        assert run(obs("60", "59", "61"), obs("58", "57.5", "58.5"), **kw).status == (
            Status.WORSENING
        )

    def test_one_interval_alone_falls_back_on_the_tolerance(self):
        result = run(obs(100, 90, 110), obs(120))
        assert result.status == Status.WORSENING
        assert "tolerance" in method_sentence(result, "count", 0)

    def test_a_series_break_makes_figures_not_comparable(self):
        result = run(obs(100), obs(50), series_break=True)
        assert result.status == Status.NOT_COMPARABLE
        assert result.change == D(-50)

    @pytest.mark.parametrize(("baseline", "latest"), [(None, obs(1)), (obs(1), None)])
    def test_not_enough_data(self, baseline, latest):
        result = run(baseline, latest)
        assert result.status == Status.NOT_ENOUGH_DATA
        assert result.change is None

    def test_a_zero_baseline_still_has_a_status(self):
        assert run(obs(0), obs(3), tolerance="0").status == Status.WORSENING

    def test_status_has_text_and_a_shape(self):
        assert {s.label for s in Status} >= {"Improving", "Worsening", "Not comparable"}
        assert all(s.icon for s in Status)


def test_series_break_between_baseline_and_latest():
    breaks = [d(2023, 3, 31)]
    assert series_break_between(breaks, d(2019, 6, 30), d(2026, 6, 30))
    assert not series_break_between(breaks, d(2023, 3, 31), d(2026, 6, 30))
    assert not series_break_between(breaks, d(2019, 6, 30), d(2022, 12, 31))
    assert series_break_between(breaks, d(2019, 6, 30), d(2023, 3, 31))
    assert not series_break_between([], d(2019, 6, 30), d(2026, 6, 30))


class TestFigureStatus:
    """Any figure against the baseline figure, as the downloads give it."""

    BASELINE = (d(2018, 7, 1), d(2019, 6, 30))

    def status(self, value, baseline="100", *, period=None, breaks=(), direction="down", **kw):
        return figure_status(
            figure=obs(value, kw.pop("lower", None), kw.pop("upper", None)),
            period=period or (d(2023, 4, 1), d(2024, 3, 31)),
            baseline=obs(baseline, *kw.pop("baseline_interval", ())) if baseline else None,
            baseline_period=self.BASELINE,
            breaks=breaks,
            unit=kw.pop("unit", "count"),
            direction=direction,
            tolerance=D(kw.pop("tolerance", "5")),
            places=kw.pop("places", 0),
        )

    @pytest.mark.parametrize(
        ("value", "direction", "expected"),
        [
            ("94", "down", Status.IMPROVING),
            ("95", "down", Status.NO_CHANGE),  # a change must be larger than the tolerance
            ("106", "down", Status.WORSENING),
            ("106", "up", Status.IMPROVING),
            ("94", "up", Status.WORSENING),
        ],
    )
    def test_the_pages_rule_for_counts(self, value, direction, expected):
        assert self.status(value, direction=direction) == expected
        latest = run(obs("100"), obs(value), direction=direction).status
        assert latest == expected  # the same as the page says of the latest figure

    def test_the_change_is_rounded_to_the_measures_places_before_it_is_compared(self):
        # -5.4% rounds to -5%, which is not larger than 5
        assert self.status("94.6") == Status.NO_CHANGE
        assert self.status("94.6", places=1) == Status.IMPROVING

    def test_survey_figures_count_when_the_intervals_do_not_overlap(self):
        interval = {"baseline_interval": ("58", "62"), "direction": "up", "unit": "percentage"}
        assert self.status("63", "60", lower="61", upper="65", **interval) == Status.NO_CHANGE
        assert self.status("66", "60", lower="63", upper="69", **interval) == Status.IMPROVING
        assert self.status("54", "60", lower="51", upper="57", **interval) == Status.WORSENING

    def test_no_baseline_figure_is_not_enough_data(self):
        assert self.status("50", baseline=None) == Status.NOT_ENOUGH_DATA

    @pytest.mark.parametrize(
        ("period", "expected"),
        [
            ((d(2024, 3, 1), d(2024, 3, 31)), Status.NOT_COMPARABLE),  # a month
            ((d(2024, 1, 1), d(2024, 3, 31)), Status.NOT_COMPARABLE),  # a quarter
            ((d(2023, 3, 1), d(2024, 2, 29)), Status.IMPROVING),  # 12 months, leap day
        ],
    )
    def test_only_a_period_as_long_as_the_baseline_compares(self, period, expected):
        assert self.status("50", period=period) == expected

    def test_the_baseline_figure_itself_shows_no_change(self):
        assert self.status("100", period=self.BASELINE) == Status.NO_CHANGE

    def test_a_series_break_between_the_two_makes_them_not_comparable(self):
        period = (d(2023, 4, 1), d(2024, 3, 31))
        assert self.status("50", breaks=[d(2022, 3, 31)]) == Status.NOT_COMPARABLE
        # a break after the figure, or before the baseline, does not matter
        assert self.status("50", period=period, breaks=[d(2025, 3, 31)]) == Status.IMPROVING
        assert self.status("50", breaks=[d(2017, 3, 31)]) == Status.IMPROVING
        # and it counts for figures before the baseline too
        earlier = (d(2015, 4, 1), d(2016, 3, 31))
        assert self.status("50", period=earlier, breaks=[d(2017, 3, 31)]) == (Status.NOT_COMPARABLE)


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
            "places": 1,
            "status": Status.IMPROVING,
        }
        return target_progress(**{**defaults, **kw})

    def test_on_track_against_the_trajectory(self):
        result = self.progress()
        assert result.progress == Progress.ON_TRACK
        assert result.expected == D("71.0")
        assert "75.0% by March 2025" in progress_sentence(result, "value", "percentage", 1)

    def test_off_track_against_the_trajectory(self):
        result = self.progress(latest=D("72"), latest_end=d(2024, 6, 30))
        assert result.progress == Progress.OFF_TRACK
        assert result.expected == D("73.0")

    def test_met(self):
        assert self.progress(latest=D("75.5")).progress == Progress.MET

    def test_not_met_once_due(self):
        result = self.progress(latest=D("74"), latest_end=d(2025, 3, 31))
        assert result.progress == Progress.NOT_MET

    def test_down_is_better_targets(self):
        kw = {"direction": "down", "unit": "count", "places": 0, "steps": []}
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
        assert result.expected == D("38.1")
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
            places=0,
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

    def test_not_enough_data(self):
        assert self.progress(latest=None).progress == Progress.NOT_ENOUGH_DATA
        assert self.progress(kind="change", baseline=None).progress == Progress.NOT_ENOUGH_DATA

    def test_target_value(self):
        assert target_value("value", D(75), None, "percentage") == D(75)
        assert target_value("change", D(-10), D(200), "count") == D(180)
        assert target_value("change", D(2), D(60), "percentage") == D(62)
        assert target_value("improvement", None, D(1), "count") is None

    def test_trajectory_value(self):
        steps = [(d(2023, 3, 31), D(71)), (d(2024, 3, 31), D(73))]
        assert trajectory_value(steps, None, d(2023, 12, 31)) == D(71)
        assert trajectory_value(steps, None, d(2022, 12, 31)) is None
