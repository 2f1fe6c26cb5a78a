import datetime
import json
import re

import pytest
from django.urls import reverse

from measures.formatting import format_short, format_value
from measures.models import Figure, Measure, PriorityArea
from measures.templatetags.public import period_label
from plan.models import Contribution
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

DRAFT_LABEL = "12 months to September 2026"


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, url
    return response.content.decode()


def measure_url(slug="neighbourhood-crime"):
    return reverse("pages:measure-detail", args=[slug])


def chart_url(slug="neighbourhood-crime", area="humberside"):
    return reverse("pages:measure-chart", args=[slug, area])


class TestMeasurePage:
    def test_describes_the_measure(self, client, demo):
        page = get(client, measure_url())
        measure = Measure.objects.get(slug="neighbourhood-crime")
        assert measure.definition in page
        assert "Rate per 1,000 people" in page
        assert "Down is better" in page
        assert "12 months to June 2019" in page  # the baseline period
        assert "Crime Survey for England and Wales (CSEW)" in page
        assert "Updated quarterly" in page
        assert chart_url() in page

    def test_shows_the_target_in_words_and_in_the_table(self, client, demo):
        page = get(client, measure_url())
        assert "A 10% reduction in neighbourhood crime" in page
        assert "Target trajectory" in page
        assert any(word in page for word in ("On track:", "Off track:", "Met:", "Not met:"))
        assert "National target" in page  # the Home Office's expectation, for England and Wales

    def test_a_target_is_not_judged_across_a_series_break(self, client, demo):
        page = get(client, measure_url("police-referrals-into-drug-treatment"))
        assert "20% more police referrals into drug treatment" in page
        assert "Target trajectory" in page
        assert (
            "Not comparable: the way this is measured changed in 2022, so progress against "
            "a target set before then is not judged."
        ) in page

    def test_lists_the_contributing_outcomes(self, client, demo):
        page = get(client, measure_url())
        for c in Contribution.objects.filter(measure__slug="neighbourhood-crime"):
            assert c.outcome.title in page
            assert c.explanation in page

    def test_is_in_tabs_chart_table_and_about_each_in_the_page(self, client, demo):
        """Chart | Table | About this measure: links to the three panels, all in
        the HTML, so that the page works without JavaScript."""
        page = get(client, measure_url())
        tabs = page.split("data-tabs-list")[1].split("</ul>")[0]
        assert re.findall(r'href="(#[a-z]+)">([^<]+)<', tabs) == [
            ("#chart", "Chart"),
            ("#table", "Table"),
            ("#about", "About this measure"),
        ]
        for panel in ("chart", "table", "about"):
            assert page.count(f'id="{panel}"') == 1
        assert "js/tabs.js" in page

    def test_the_source_and_the_figures_are_shown_once(self, client, demo):
        page = get(client, measure_url())
        assert page.count("Crime Survey for England and Wales (CSEW)</a>") == 1
        assert page.count('class="data-table"') == 1
        assert 'id="figures-caption"' not in page  # every figure is a click away

    def test_the_table_shows_the_latest_eight_periods_and_links_to_all(self, client, demo):
        page = get(client, measure_url())
        table = page.split('id="table-chart"')[1].split("</table>")[0]
        published = (
            Figure.objects.published()
            .filter(measure__slug="neighbourhood-crime", area__slug="humberside")
            .order_by("-period_end")
        )
        assert published.count() > 8
        shown = re.findall(r'<th scope="row">(12 months to [A-Za-z]+ \d{4})', table)
        assert shown == [period_label(f) for f in reversed(published[:8])]
        assert "(the latest periods)" in page
        assert (
            '?area=humberside&amp;periods=all#table">Every period and every published figure '
            "for Humberside, with filters and sorting"
        ) in page
        everything = get(client, measure_url(), area="humberside", periods="all")
        assert everything.count('<th scope="row">Humberside</th>') == published.count()
        assert '<th scope="row">England and Wales</th>' not in everything
        assert 'href="?area=humberside#table">Show the latest periods only' in everything

    def test_every_published_figure_is_in_the_table(self, client, demo):
        page = get(client, measure_url(), per_page=1000)
        published = Figure.objects.published().filter(measure__slug="neighbourhood-crime")
        assert (
            page.count('<th scope="row">Humberside</th>')
            == published.filter(area__slug="humberside").count()
        )

    def test_the_table_filters_by_area_and_period(self, client, demo):
        page = get(client, measure_url(), area="humberside", period_from="2025-01-01")
        assert '<th scope="row">England and Wales</th>' not in page
        assert page.count('<th scope="row">Humberside</th>') == 6  # Mar 2025 … Jun 2026

    def test_the_table_sorts(self, client, demo):
        page = get(client, measure_url(), sort="value", area="humberside")
        values = sorted(
            Figure.objects.published()
            .filter(measure__slug="neighbourhood-crime", area__slug="humberside")
            .values_list("value", flat=True)
        )
        lowest = f'<td class="num">{format_short(values[0], "rate-per-1000", 1)}</td>'
        highest = f'<td class="num">{format_short(values[-1], "rate-per-1000", 1)}</td>'
        table = page[page.index('id="figures-caption"') :]
        assert table.index(lowest) < table.index(highest)
        assert 'aria-sort="ascending"' in page

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"area": "atlantis"}, "There are no published figures of this measure for that area"),
            ({"period_from": "not-a-date"}, "There is a problem with the filters"),
            ({"period_to": "2024-13-45"}, "There is a problem with the filters"),
        ],
    )
    def test_a_bad_filter_is_a_400_with_a_message_and_no_rows(self, client, demo, params, message):
        page = get(client, measure_url(), 400, **params)
        assert message in page
        assert 'aria-invalid="true"' in page
        assert '<th scope="row">Humberside</th>' not in page

    @pytest.mark.parametrize(
        "params",
        [
            {"sort": "nonsense"},
            {"sort": "-notes"},
            {"page": "9999"},
            {"page": "0"},
            {"page": "abc"},
            {"per_page": "-1"},
            {"per_page": "0"},
            {"per_page": "abc"},
            {"per_page": "1" + "0" * 30},
        ],
    )
    def test_odd_sort_and_page_values_are_not_errors(self, client, demo, params):
        page = get(client, measure_url(), **params)
        assert '<th scope="row">' in page

    def test_draft_figures_never_show(self, client, demo):
        page = get(client, measure_url("homicides"), per_page=1000)
        assert DRAFT_LABEL not in page

    def test_a_revised_figure_is_marked_in_the_table(self, client, demo):
        import datetime
        from decimal import Decimal

        from django.utils import timezone

        figure = Figure.objects.published().filter(measure__slug="neighbourhood-crime").first()
        figure.previous_value = Decimal("40.1")
        figure.revised_at = timezone.make_aware(datetime.datetime(2026, 3, 3, 12))
        figure.save()
        page = get(client, measure_url(), per_page=1000)
        assert "Revised 3 March 2026; previously 40.1 per 1,000 people" in page

    def test_unknown_measure_is_a_404(self, client, demo):
        get(client, measure_url("no-such-measure"), 404)

    def test_a_measure_without_figures_still_has_a_page(self, client, demo):
        measure = MeasureFactory()
        page = get(client, measure_url(measure.slug))
        assert "Not enough data" in page
        assert "There are no published figures for" in page
        page = get(client, measure_url(measure.slug), periods="all")
        assert "No published figures match these filters." in page


class TestPriorityPage:
    def test_lists_its_measures_with_latest_figure_and_status(self, client, demo):
        page = get(client, reverse("pages:priority-detail", args=["tackle-cyber-crime"]))
        area = PriorityArea.objects.get(slug="tackle-cyber-crime")
        for measure in area.measures.all():
            assert measure.name in page
        assert page.count("badge badge--") == area.measures.count()
        assert "Organisations equipped to respond to evolving crime issues" in page

    def test_unknown_priority_area_is_a_404(self, client, demo):
        get(client, reverse("pages:priority-detail", args=["nope"]), 404)


class TestChart:
    def test_chart_json_matches_the_table(self, client, demo):
        data = json.loads(get(client, chart_url("victim-satisfaction")))
        names = [d["label"] for d in data["datasets"]]
        assert names == [
            "Humberside",
            "England and Wales",
            "Baseline (12 months to June 2019)",
            "Target trajectory",
            "95% confidence interval (lower)",
            "95% confidence interval",
        ]
        published = Figure.objects.published().filter(
            measure__slug="victim-satisfaction", area__slug="humberside"
        )
        local = {f.period_end: f.value for f in published}
        assert len(data["labels"]) == len(local)
        assert data["datasets"][0]["data"] == [float(v) for _, v in sorted(local.items())]
        page = get(client, measure_url("victim-satisfaction"), periods="all", area="humberside")
        for label, value in zip(data["labels"], data["datasets"][0]["data"], strict=True):
            assert label in page
            assert format_value(value, "percentage", 1) in page
        target = [v for v in data["datasets"][3]["data"] if v is not None]
        assert target == [71.0, 73.0, 75.0]

    def test_a_survey_charts_its_interval_as_a_band(self, client, demo):
        data = json.loads(get(client, chart_url("victim-satisfaction")))
        lower, upper = data["datasets"][4], data["datasets"][5]
        assert (lower["role"], lower["fill"]) == ("interval-lower", False)
        assert (upper["role"], upper["fill"]) == ("interval", "-1")  # filled down to the lower
        bounds = {
            f.period_end: (float(f.lower), float(f.upper))
            for f in Figure.objects.published().filter(
                measure__slug="victim-satisfaction", area__slug="humberside"
            )
        }
        assert list(zip(lower["data"], upper["data"], strict=True)) == [
            bounds[end] for end in sorted(bounds)
        ]
        assert data["y_label"] == "Per cent"

    def test_a_count_has_no_interval_and_its_axis_says_number(self, client, demo):
        data = json.loads(get(client, chart_url("homicides")))
        assert {d["role"] for d in data["datasets"]} <= {"local", "baseline", "target"}
        assert data["y_label"] == "Number"
        assert json.loads(get(client, chart_url("neighbourhood-crime")))["y_label"] == (
            "Per 1,000 people"
        )

    def test_chart_has_published_figures_only(self, client, demo):
        data = json.loads(get(client, chart_url("homicides")))
        assert DRAFT_LABEL not in data["labels"]
        assert "view" not in data

    def test_counts_are_never_on_an_axis_with_england_and_wales(self, client, demo):
        """A force's 0–16 and England and Wales's 0–800 are small multiples:
        a chart each, each on its own axis, never two axes drawn over each other."""
        data = json.loads(get(client, chart_url("homicides")))
        assert data["datasets"][0]["label"] == "Humberside"
        assert "England and Wales" not in [d["label"] for d in data["datasets"]]
        assert all("yAxisID" not in d for d in data["datasets"])
        national = json.loads(get(client, chart_url("homicides", "england-and-wales")))
        assert national["datasets"][0]["label"] == "England and Wales"
        page = get(client, measure_url("homicides"))
        assert page.count("data-chart-url=") == 2
        assert chart_url("homicides", "england-and-wales") in page
        assert '<h3 class="small-multiples__title">England and Wales</h3>' in page

    def test_rates_share_one_axis_with_england_and_wales(self, client, demo):
        data = json.loads(get(client, chart_url("neighbourhood-crime")))
        assert [d["label"] for d in data["datasets"]][:2] == ["Humberside", "England and Wales"]
        page = get(client, measure_url("neighbourhood-crime"))
        assert page.count("data-chart-url=") == 1

    @pytest.mark.parametrize(("slug", "area"), [("nope", "humberside"), ("homicides", "nowhere")])
    def test_unknown_measure_or_area_is_a_404(self, client, demo, slug, area):
        get(client, chart_url(slug, area), 404)

    def test_no_published_figures_is_a_404(self, client, demo):
        Figure.objects.filter(measure__slug="homicides").update(status="draft")
        get(client, chart_url("homicides"), 404)


def test_measure_and_priority_pages_work_before_any_plan_exists(client, db):
    page = get(client, measure_url("homicides"))
    assert "Homicides" in page
    assert "There are no published figures for this measure yet." in page
    page = get(client, reverse("pages:priority-detail", args=["tackle-cyber-crime"]))
    assert "Confidence in the law enforcement response to cyber crime" in page


def test_only_periods_as_long_as_the_baseline_are_compared_or_charted(client, demo):
    """Monthly figures beside a 12-month series neither count as the latest
    figure nor join the chart's line."""
    from decimal import Decimal

    from django.urls import reverse

    from measures.models import Area, Measure

    measure = Measure.objects.get(slug="homicides")
    area = Area.objects.get(slug="humberside")
    latest_yearly = (
        Figure.objects.published().filter(measure=measure, area=area).order_by("-period_end")[0]
    )
    Figure.objects.create(
        measure=measure,
        area=area,
        period_start=datetime.date(2026, 8, 1),
        period_end=datetime.date(2026, 8, 31),
        value=Decimal("1"),
        status="published",
    )
    chart = client.get(reverse("pages:measure-chart", args=["homicides", "humberside"])).json()
    assert "August 2026" not in str(chart)
    page = client.get(reverse("pages:measure-detail", args=["homicides"]))
    assert page.context["summary"].latest.pk == latest_yearly.pk
