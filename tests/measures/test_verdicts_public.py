"""The verdicts as the public reads them: on the measure page, in the CSV
and JSON downloads, in the /data/ filter and in the chart, for the
honest-numbers issue's worked examples. The figures are entered and
published through the services, which store each verdict."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from measures.models import Figure, StatisticalMethod, Unit
from measures.services import publish_figures, save_figure
from tests.factories import AreaFactory, MeasureFactory, PlanFactory, user_in_role
from tests.opendata.helpers import csv_rows

d = datetime.date
BASELINE = (d(2018, 7, 1), d(2019, 6, 30))
LATEST = (d(2024, 7, 1), d(2025, 6, 30))


@pytest.fixture
def area(db):
    area = AreaFactory(name="Northshire", slug="northshire")
    PlanFactory(force_area=area, is_current=True)
    return area


def enter(measure, area, period, value, lower=None, upper=None, *, series_break=False):
    """A figure entered as staff do, and published."""
    publisher = user_in_role("Publisher")
    figure = save_figure(
        figure=Figure(
            measure=measure,
            area=area,
            period_start=period[0],
            period_end=period[1],
            value=Decimal(value),
            lower=None if lower is None else Decimal(lower),
            upper=None if upper is None else Decimal(upper),
            series_break=series_break,
        ),
        user=publisher,
    )
    publish_figures(expected_versions={figure.pk: figure.version}, user=publisher)
    return figure


def count_measure(slug, **kw):
    return MeasureFactory(
        slug=slug,
        name=f"Offences {slug}",
        unit=Unit.COUNT,
        method=StatisticalMethod.POISSON,
        tolerance=Decimal(0),
        direction="down",
        **kw,
    )


def page(client, measure):
    response = client.get(reverse("pages:measure-detail", args=[measure.slug]))
    assert response.status_code == 200
    return response.content.decode()


def csv_row(client, measure, period):
    response = client.get(reverse("opendata:figures-csv"), {"measure": measure.slug})
    assert response.status_code == 200
    rows = [r for r in csv_rows(response) if r["period_end"] == period[1].isoformat()]
    assert len(rows) == 1
    return rows[0]


EXAMPLES = [
    # baseline, latest, change shown, status, p-value shown, p-value in the file (to
    # four significant figures: scipy.stats.binomtest(latest, baseline + latest, 0.5))
    ("35", "22", "−37.1%", "No significant change", "p = 0.11", "0.1112"),
    ("412", "371", "−10.0%", "No significant change", "p = 0.15", "0.1528"),
    ("1203", "1090", "−9.4%", "Improving", "p = 0.019", "0.01932"),
    ("57", "81", "+42.1%", "Worsening", "p = 0.0498", "0.04985"),
    ("6", "3", "−50.0%", "No significant change", "p = 0.51", "0.5078"),
]


@pytest.mark.parametrize(("baseline", "latest", "change", "status", "shown_p", "file_p"), EXAMPLES)
def test_the_poisson_examples_on_the_page_and_in_the_csv(
    client, area, baseline, latest, change, status, shown_p, file_p
):
    measure = count_measure("offences")
    enter(measure, area, BASELINE, baseline)
    enter(measure, area, LATEST, latest)

    html = page(client, measure)
    assert f"<dd>{change}</dd>" in html
    assert f"</span> {status}</span>" in html
    assert f"({shown_p})" in html
    assert "Exact test of two Poisson counts" in html

    row = csv_row(client, measure, LATEST)
    assert row["status"] == status.lower()
    # A plain number in the file: −10.0% is -10.
    assert Decimal(row["change"]) == Decimal(change.replace("−", "-").rstrip("%"))
    assert row["change_unit"] == "%"
    assert row["method"] == "poisson-exact-test"
    assert row["p_value"] == file_p
    assert row["comparison_start"] == BASELINE[0].isoformat()
    assert row["comparison_end"] == BASELINE[1].isoformat()
    assert Decimal(row["comparison_value"]) == Decimal(baseline)


def test_the_sentence_on_the_page(client, area):
    measure = count_measure("offences")
    enter(measure, area, BASELINE, "35")
    enter(measure, area, LATEST, "22")
    assert (
        "22 is fewer than 35, but a difference this size between counts this small happens "
        "by chance more than 1 time in 20 (p = 0.11), so it is not counted as a change."
    ) in page(client, measure)


def test_the_baseline_row_says_baseline(client, area):
    measure = count_measure("offences")
    enter(measure, area, BASELINE, "35")
    enter(measure, area, LATEST, "22")
    row = csv_row(client, measure, BASELINE)
    assert row["status"] == "baseline"
    assert row["change"] == row["p_value"] == row["comparison_value"] == ""


def test_a_percentage_measure_changes_in_percentage_points(client, area):
    measure = MeasureFactory(
        slug="satisfied",
        unit=Unit.PERCENTAGE,
        method=StatisticalMethod.SURVEY,
        tolerance=Decimal(0),
        direction="up",
    )
    enter(measure, area, BASELINE, "31", "29", "33")
    enter(measure, area, LATEST, "36", "34", "38")
    assert "<dd>+5 percentage points</dd>" in page(client, measure)
    row = csv_row(client, measure, LATEST)
    assert (row["change"], row["change_unit"], row["status"]) == (
        "5",
        "percentage points",
        "improving",
    )


class TestASeriesBreakBetweenSurveyYears:
    @pytest.fixture
    def measure(self, area):
        measure = MeasureFactory(
            slug="satisfied",
            unit=Unit.PERCENTAGE,
            method=StatisticalMethod.SURVEY,
            tolerance=Decimal(0),
            direction="up",
        )
        enter(measure, area, BASELINE, "31", "29", "33")
        enter(measure, area, (d(2022, 7, 1), d(2023, 6, 30)), "33", "31", "35")
        enter(measure, area, (d(2023, 7, 1), d(2024, 6, 30)), "40", "38", "42", series_break=True)
        enter(measure, area, LATEST, "45", "43", "47")
        return measure

    def test_the_page_says_not_comparable_and_gives_no_change(self, client, measure):
        html = page(client, measure)
        assert "</span> Not comparable</span>" in html
        assert "Not comparable: the way this is measured changed in 2023" in html
        assert "<dd>Not available</dd>" in html
        # No change against the baseline, across the break; the only change on
        # the page is the new series' own: 40% -> 45% against a year earlier.
        assert html.count("percentage points</dd>") == 1
        assert "<dd>+5 percentage points</dd>" in html

    def test_the_download_gives_no_change(self, client, measure):
        for period in (LATEST, (d(2023, 7, 1), d(2024, 6, 30))):
            row = csv_row(client, measure, period)
            assert row["status"] == "not comparable"
            assert row["change"] == row["change_unit"] == row["p_value"] == ""
        before = csv_row(client, measure, (d(2022, 7, 1), d(2023, 6, 30)))
        assert before["status"] == "no significant change"

    def test_the_chart_has_a_gap_at_the_break(self, client, measure, area):
        url = reverse("pages:measure-chart", args=[measure.slug, area.slug])
        payload = json.loads(client.get(url).content)
        local = payload["datasets"][0]
        assert local["spanGaps"] is False
        gap = payload["labels"].index("Series break")
        assert local["data"][gap] is None
        assert local["data"][gap - 1] == 33.0
        assert local["data"][gap + 1] == 40.0
        assert local["pointStyle"][gap + 1] == "crossRot"

    def test_the_data_page_filters_on_the_stored_status(self, client, measure):
        response = client.get(reverse("opendata:index"), {"status": "not-comparable"})
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("badge--not-comparable") == 2
        assert "badge--improving" not in html


def test_the_command_recomputes_after_a_method_changes(client, area):
    measure = count_measure("offences")
    enter(measure, area, BASELINE, "35")
    latest = enter(measure, area, LATEST, "22")
    # A change written around the services (as a bulk load would be).
    type(measure).objects.filter(pk=measure.pk).update(
        method=StatisticalMethod.TOLERANCE, tolerance=Decimal(5)
    )
    latest.refresh_from_db()
    assert latest.verdict == "no-significant-change"
    out = io.StringIO()
    call_command("recompute_verdicts", "--measure", "offences", stdout=out)
    assert out.getvalue().strip() == "2 figures had a new verdict."
    latest.refresh_from_db()
    assert (latest.verdict, latest.verdict_method) == ("improving", "fixed-tolerance")
    assert "does not test whether a change could be chance" in page(client, measure)


def test_the_command_refuses_an_unknown_measure(db):
    with pytest.raises(CommandError, match="No measure with the short name: nothing"):
        call_command("recompute_verdicts", "--measure", "nothing")
