"""What a figure stores of its verdict (``measures.verdicts``), on plain
values: the rounding of the change and the p-value, when a comparison is
stored, and which figures are judged against which. The pages and downloads
that read these fields are tested in ``test_verdicts_public``."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from measures.stats.verdict import Method
from measures.status import Reading, Rule, judge_all
from measures.verdicts import _pair_updates, _rule, p_value_stored, stored_fields

D = Decimal
d = datetime.date
BASELINE = (d(2018, 7, 1), d(2019, 6, 30))
LATEST = (d(2024, 7, 1), d(2025, 6, 30))


def verdict_of(baseline, latest, method=Method.POISSON, unit="count", **latest_kw):
    """The latest figure's verdict against a published baseline figure."""
    published = [Reading("b", *BASELINE, *baseline)] if baseline else []
    figure = Reading("l", *LATEST, *latest, **latest_kw)
    rule = Rule(unit, "down", method, D(0), BASELINE)
    return judge_all([figure], [*published, figure], rule)[0]


@pytest.mark.parametrize(
    ("p_value", "stored"),
    [
        (None, None),
        (0.1146381, D("0.1146")),
        (0.0499951, D("0.05")),
        (1.0, D("1")),
        # Four significant figures far below 1, down to the field's 20 places.
        (1.234567e-7, D("1.235E-7")),
        (1.2345e-19, D("1.2E-19")),
        (4e-21, D("0")),
    ],
)
def test_a_p_value_keeps_four_significant_figures(p_value, stored):
    assert p_value_stored(p_value) == stored


def test_a_compared_figure_stores_its_comparison_and_its_change_as_published():
    fields = stored_fields(verdict_of((D(35),), (D(22),)), places=0, change_places=1)
    assert fields["verdict"] == "no-significant-change"
    assert fields["verdict_method"] == "poisson-exact-test"
    assert (fields["comparison_start"], fields["comparison_end"]) == BASELINE
    assert fields["comparison_value"] == D(35)
    # −37.142857…% rounded as published, to the measure's change places.
    assert fields["change"] == D("-37.1")
    assert fields["change_unit"] == "%"
    assert D("0.1") < fields["p_value"] < D("0.12")
    assert fields["verdict_text"].startswith("22 is fewer than 35")
    assert stored_fields(verdict_of((D(35),), (D(22),)), places=0, change_places=2)["change"] == D(
        "-37.14"
    )


def test_a_change_that_cannot_be_tested_is_stored_with_its_comparison():
    """Survey estimates without intervals: the change is given, not judged."""
    verdict = verdict_of((D(31),), (D(36),), Method.SURVEY, "percentage")
    fields = stored_fields(verdict, places=0, change_places=0)
    assert fields["verdict"] == "not-enough-data"
    assert (fields["change"], fields["change_unit"]) == (D(5), "percentage points")
    assert fields["comparison_value"] == D(31)
    assert fields["p_value"] is None


def test_no_comparison_is_stored_across_a_series_break():
    verdict = verdict_of(
        (D(31), D(29), D(33)), (D(40), D(38), D(42)), Method.SURVEY, "percentage", series_break=True
    )
    fields = stored_fields(verdict, places=0, change_places=0)
    assert fields["verdict"] == "not-comparable"
    assert fields["comparison_start"] is fields["comparison_end"] is None
    assert fields["comparison_value"] is None
    assert (fields["change"], fields["change_unit"]) == (None, "")


@pytest.mark.parametrize(
    "verdict",
    [
        pytest.param(verdict_of(None, (D(22),)), id="no baseline"),
        pytest.param(
            judge_all(
                [Reading("b", *BASELINE, D(35))],
                [Reading("b", *BASELINE, D(35))],
                Rule("count", "down", Method.POISSON, D(0), BASELINE),
            )[0],
            id="the baseline itself",
        ),
    ],
)
def test_nothing_compared_stores_no_comparison(verdict):
    fields = stored_fields(verdict, places=0, change_places=1)
    assert fields["comparison_start"] is None
    assert fields["comparison_value"] is None
    assert (fields["change"], fields["change_unit"], fields["p_value"]) == (None, "", None)


def measure(**kw):
    defaults = {
        "pk": 1,
        "unit": "count",
        "direction": "down",
        "method": "poisson-exact-test",
        "tolerance": D(0),
        "baseline_start": BASELINE[0],
        "baseline_end": BASELINE[1],
        "decimal_places": 0,
        "change_places": None,
    }
    return SimpleNamespace(**{**defaults, **kw})


def test_an_area_s_own_baseline_period_is_the_one_compared_with():
    own = (d(2019, 4, 1), d(2020, 3, 31))
    overrides = {(1, 7): own}
    assert _rule(measure(), 7, overrides).baseline_period == own
    assert _rule(measure(), 8, overrides).baseline_period == BASELINE
    rule = _rule(measure(method="survey-difference-test", unit="percentage", direction="up"), 8, {})
    assert (rule.method, rule.unit, rule.direction) == (Method.SURVEY, "percentage", "up")


def row(pk, period, value, status="published", lower=None, upper=None, **stored):
    fields = dict.fromkeys(
        (
            "verdict",
            "verdict_method",
            "comparison_start",
            "comparison_end",
            "comparison_value",
            "change",
            "change_unit",
            "p_value",
            "verdict_text",
        )
    )
    return SimpleNamespace(
        pk=pk,
        period_start=period[0],
        period_end=period[1],
        value=D(value),
        lower=lower,
        upper=upper,
        series_break=False,
        status=status,
        **{**fields, **stored},
    )


def test_drafts_are_judged_against_published_figures_only():
    rows = [row(1, BASELINE, 35, status="draft"), row(2, LATEST, 22)]
    updates = dict(_pair_updates(measure(), _rule(measure(), 7, {}), rows))
    assert updates[2]["verdict"] == "not-enough-data"  # the draft baseline does not count
    rows[0].status = "published"
    updates = dict(_pair_updates(measure(), _rule(measure(), 7, {}), rows))
    assert updates[2]["verdict"] == "no-significant-change"
    assert updates[2]["change"] == D("-37.1")  # one place: the measure sets none


def test_only_figures_whose_stored_verdict_changed_are_written():
    rows = [row(1, BASELINE, 35), row(2, LATEST, 22)]
    first = dict(_pair_updates(measure(), _rule(measure(), 7, {}), rows))
    assert set(first) == {1, 2}
    for each in rows:
        vars(each).update(first[each.pk])
    assert list(_pair_updates(measure(), _rule(measure(), 7, {}), rows)) == []
    rows[1].value = D(23)
    assert [pk for pk, _ in _pair_updates(measure(), _rule(measure(), 7, {}), rows)] == [2]


def test_a_change_from_zero_is_compared_but_has_no_percentage():
    """0 → 12 homicides: a significant rise, with no change in % to give."""
    verdict = verdict_of((D(0),), (D(12),))
    fields = stored_fields(verdict, places=0, change_places=1)
    assert fields["verdict"] == "worsening"
    assert fields["change"] is None
    assert (fields["comparison_end"], fields["comparison_value"]) == (BASELINE[1], D(0))


def test_the_sentence_gives_the_change_at_the_change_s_places():
    verdict = verdict_of((D(5),), (D(4),), Method.TOLERANCE)
    text = stored_fields(verdict, places=0, change_places=2)["verdict_text"]
    assert "\u221220.00%" in text


def test_a_change_is_stored_at_the_places_the_measure_gives_it():
    """31% → 36.4%: 5.4 points, stored at the values' own places unless the
    measure sets its change's places."""
    rows = [row(1, BASELINE, "31"), row(2, LATEST, "36.4")]
    percentage = measure(unit="percentage", method="survey-difference-test", decimal_places=0)
    updates = dict(_pair_updates(percentage, _rule(percentage, 7, {}), rows))
    assert (updates[2]["change"], updates[2]["change_unit"]) == (D(5), "percentage points")
    tenths = measure(unit="percentage", method="survey-difference-test", decimal_places=1)
    updates = dict(_pair_updates(tenths, _rule(tenths, 7, {}), rows))
    assert updates[2]["change"] == D("5.4")
    two = measure(change_places=2)
    updates = dict(
        _pair_updates(two, _rule(two, 7, {}), [row(1, BASELINE, 35), row(2, LATEST, 22)])
    )
    assert updates[2]["change"] == D("-37.14")


def test_each_figure_is_read_with_its_interval_and_its_break():
    survey = measure(unit="percentage", method="survey-difference-test", direction="up")
    rows = [
        row(1, BASELINE, "31", lower=D(29), upper=D(33)),
        row(2, LATEST, "36", lower=D(34), upper=D(38)),
    ]
    updates = dict(_pair_updates(survey, _rule(survey, 7, {}), rows))
    assert updates[2]["verdict"] == "improving"  # tested: the intervals were read
    rows[1].series_break = True
    updates = dict(_pair_updates(survey, _rule(survey, 7, {}), rows))
    assert updates[2]["verdict"] == "not-comparable"


def test_a_chart_reads_every_figure_of_the_series_by_its_own_key():
    """Thirteen months: the last is read against the twelve before it."""
    starts = [d(2020, month, 1) for month in range(1, 13)] + [d(2021, 1, 1)]
    ends = [*(later - datetime.timedelta(days=1) for later in starts[1:]), d(2021, 1, 31)]
    values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 80]
    xmr = measure(method="xmr-control-chart")
    rows = [row(i, (starts[i], ends[i]), value) for i, value in enumerate(values)]
    updates = dict(_pair_updates(xmr, _rule(xmr, 7, {}), rows))
    assert updates[12]["verdict"] == "concerning-special-cause"
