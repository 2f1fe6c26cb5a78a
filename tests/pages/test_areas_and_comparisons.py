"""A measure page for any area, and any two of its periods compared, through
the page itself: the choices, their addresses, their messages and their cost."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Area, AreaKind, Figure, Measure, PublicationStatus
from tests.factories import AreaFactory, FigureFactory

pytestmark = pytest.mark.django_db

d = datetime.date
YEAR_TO_MARCH_2023 = "2022-04-01..2023-03-31"
YEAR_TO_MARCH_2024 = "2023-04-01..2024-03-31"


def page(client, slug="homicides", status=200, **params):
    response = client.get(reverse("pages:measure-detail", args=[slug]), params)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def set_value(measure, area, start, end, value, **fields):
    Figure.objects.filter(
        measure__slug=measure, area__slug=area, period_start=start, period_end=end
    ).update(value=Decimal(value), **fields)


class TestAnyArea:
    def test_the_force_area_by_default_with_a_labelled_choice(self, client, demo):
        html = page(client)
        assert "How Humberside is doing" in html
        form = html.split('class="filters choose-area"')[1].split("</form>")[0]
        assert "<legend>Which area</legend>" in form
        assert '<label for="choose-area">' in form
        options = re.findall(r'<option value="([^"]+)"', form)
        assert options[:2] == ["humberside", "england-and-wales"]

    def test_england_and_wales_gets_its_own_full_summary(self, client, demo):
        html = page(client, area="england-and-wales", per_page=1000)
        assert "How England and Wales is doing" in html
        latest = (
            Figure.objects.published()
            .filter(measure__slug="homicides", area__slug="england-and-wales")
            .latest("period_end")
        )
        summary = text(html.split("How England and Wales is doing")[1].split("</dl>")[0])
        assert f"Latest figure for England and Wales {int(latest.value):,}" in summary
        assert "Not enough data" not in summary
        table = html.split('id="figures-caption"')[1]
        assert "in England and Wales" in table.split("</caption>")[0]
        assert '<th scope="row">Humberside</th>' not in table
        assert 'href="/data/figures.csv?measure=homicides&amp;area=england-and-wales"' in html

    def test_a_nationally_published_measure_shows_its_national_summary(self, client, demo):
        Figure.objects.filter(measure__slug="homicides", area__slug="humberside").delete()
        html = page(client)
        assert "published only nationally" in html
        assert "How England and Wales is doing" in html
        summary = text(html.split("How England and Wales is doing")[1].split("</dl>")[0])
        assert "Not enough data" not in summary
        assert "No published figure yet" not in summary

    def test_an_area_with_no_plan_has_a_home(self, client, demo):
        other = AreaFactory(name="Loamshire", slug="loamshire", kind=AreaKind.POLICE_FORCE_AREA)
        measure = Measure.objects.get(slug="homicides")
        for year, value in ((2019, 30), (2024, 21)):
            FigureFactory(
                measure=measure,
                area=other,
                period_start=d(year - 1, 7, 1),
                period_end=d(year, 6, 30),
                value=Decimal(value),
            )
        html = page(client, area="loamshire")
        assert "How Loamshire is doing" in html
        assert '<h3 class="small-multiples__title">Loamshire</h3>' in html
        assert reverse("pages:measure-chart", args=["homicides", "loamshire"]) in html
        assert reverse("pages:measure-chart", args=["homicides", "england-and-wales"]) in html
        assert '<option value="loamshire">Loamshire</option>' in page(client)

    @pytest.mark.parametrize("area", ["atlantis", "", "HUMBERSIDE", "'; drop table x", "x" * 300])
    def test_an_unknown_area_is_a_400_with_a_message(self, client, demo, area):
        if area == "":
            assert "How Humberside is doing" in page(client, area=area)
            return
        html = page(client, status=400, area=area)
        assert "There are no published figures of this measure for that area" in html
        assert 'aria-invalid="true"' in html

    def test_a_draft_only_area_is_not_offered(self, client, demo):
        other = AreaFactory(slug="draftshire")
        FigureFactory(
            measure=Measure.objects.get(slug="homicides"),
            area=other,
            status=PublicationStatus.DRAFT,
        )
        assert 'value="draftshire"' not in page(client)
        page(client, status=400, area="draftshire")


class TestComparisons:
    def test_the_latest_against_the_same_period_a_year_earlier(self, client, demo):
        set_value("homicides", "humberside", d(2024, 7, 1), d(2025, 6, 30), 35)
        set_value("homicides", "humberside", d(2025, 7, 1), d(2026, 6, 30), 22)
        html = text(page(client))
        assert (
            "Against the same period a year earlier: 12 months to June 2026 against "
            "12 months to June 2025" in html
        )
        # 35 → 22, an exact conditional binomial test: p = 0.1139 (scipy.stats.binomtest(22, 57)).
        assert "−37.1%" in html
        assert "p = 0.11" in html
        assert "Exact test of two Poisson counts" in html

    def test_two_chosen_periods_at_a_shareable_address(self, client, demo):
        set_value("homicides", "humberside", d(2022, 4, 1), d(2023, 3, 31), 57)
        set_value("homicides", "humberside", d(2023, 4, 1), d(2024, 3, 31), 81)
        html = page(
            client, area="humberside", **{"from": YEAR_TO_MARCH_2023, "to": YEAR_TO_MARCH_2024}
        )
        words = text(html)
        assert (
            "The periods you chose: 12 months to March 2024 against 12 months to March 2023"
            in words
        )
        # 57 → 81: p = 0.0498 (scipy.stats.binomtest(81, 138)), larger than 5%: worsening.
        assert "+42.1%" in words
        assert "Worsening" in words.split("The periods you chose")[1]
        link = f"?area=humberside&amp;from={YEAR_TO_MARCH_2023}&amp;to={YEAR_TO_MARCH_2024}"
        assert link in html

    def test_a_survey_measure_is_compared_by_its_intervals(self, client, demo):
        html = text(
            page(
                client,
                "victim-satisfaction",
                area="england-and-wales",
                **{"from": YEAR_TO_MARCH_2023, "to": YEAR_TO_MARCH_2024},
            )
        )
        chosen = html.split("The periods you chose")[1]
        assert "Test of the difference between two survey estimates" in chosen
        assert "percentage points" in chosen

    def test_no_comparison_across_a_series_break(self, client, demo):
        set_value("homicides", "humberside", d(2023, 1, 1), d(2023, 12, 31), 12, series_break=True)
        html = text(page(client, **{"from": YEAR_TO_MARCH_2023, "to": YEAR_TO_MARCH_2024}))
        chosen = html.split("The periods you chose")[1].split("Link to this comparison")[0]
        assert "Not comparable" in chosen
        assert "changed in 12 months to December 2023" in chosen
        assert "%" not in chosen.split("Change")[1].split("Status")[0]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            (
                {"from": YEAR_TO_MARCH_2023, "to": "2024-01-01..2024-03-31"},
                "Only periods of the same length can be compared: 12 months to March 2023 is "
                "12 months long, Q4 2023/24 3 months.",
            ),
            ({"from": YEAR_TO_MARCH_2023}, "Choose both periods to compare them."),
            ({"to": YEAR_TO_MARCH_2023}, "Choose both periods to compare them."),
            (
                {"from": YEAR_TO_MARCH_2024, "to": YEAR_TO_MARCH_2023},
                "The later period must end after the earlier one.",
            ),
            ({"from": YEAR_TO_MARCH_2023, "to": YEAR_TO_MARCH_2023}, "must end after"),
            ({"from": "2024", "to": YEAR_TO_MARCH_2023}, "is not a period"),
            ({"from": "2023-02-30..2024-01-31", "to": YEAR_TO_MARCH_2023}, "is not a period"),
            ({"from": "2024-03-31..2023-04-01", "to": YEAR_TO_MARCH_2023}, "is not a period"),
            ({"from": "..", "to": "\x00"}, "is not a period"),
            (
                {"from": "1990-04-01..1991-03-31", "to": YEAR_TO_MARCH_2023},
                "There is no published figure for 12 months to March 1991 in this area.",
            ),
        ],
    )
    def test_a_bad_comparison_is_a_400_with_a_clear_message(self, client, demo, params, message):
        FigureFactory(  # a quarter, published: a period that exists, but not 12 months long
            measure=Measure.objects.get(slug="homicides"),
            area=Area.objects.get(slug="humberside"),
            period_start=d(2024, 1, 1),
            period_end=d(2024, 3, 31),
            value=Decimal(3),
        )
        html = page(client, status=400, **params)
        assert message in html.replace("&#x27;", "'")
        assert "These periods cannot be compared" in html
        assert 'aria-invalid="true"' in html

    def test_the_comparison_form_is_labelled(self, client, demo):
        form = page(client).split('class="filters compare-periods"')[1].split("</form>")[0]
        assert "<legend>Compare any two periods of the same length</legend>" in form
        assert '<label for="choose-from">Earlier period</label>' in form
        assert '<label for="choose-to">Later period</label>' in form
        assert f'<option value="{YEAR_TO_MARCH_2024}">12 months to March 2024</option>' in form


# As many as the measure page's own count in tests/plan/test_views.py.
QUERIES = 10


def more_figures(count: int):
    """``count`` more years of published homicides for both areas, long ago."""
    measure = Measure.objects.get(slug="homicides")
    for area in Area.objects.filter(slug__in=["humberside", "england-and-wales"]):
        Figure.objects.bulk_create(
            Figure(
                measure=measure,
                area=area,
                period_start=d(1900 + i, 4, 1),
                period_end=d(1901 + i, 3, 31),
                value=Decimal(i),
                unit=measure.unit,
                status=PublicationStatus.PUBLISHED,
            )
            for i in range(count)
        )


# The table of every figure adds its count and its page of rows.
ALL_FIGURES_QUERIES = QUERIES + 2


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        ({}, QUERIES),
        ({"area": "england-and-wales"}, QUERIES),
        ({"area": "humberside", "from": YEAR_TO_MARCH_2023, "to": YEAR_TO_MARCH_2024}, QUERIES),
        ({"area": "humberside", "periods": "all"}, ALL_FIGURES_QUERIES),
    ],
)
def test_the_page_runs_as_many_queries_whatever_the_data(
    client, demo, params, queries, django_assert_num_queries, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0
    url = reverse("pages:measure-detail", args=["homicides"])
    client.get(url, params)
    with django_assert_num_queries(queries):
        client.get(url, params)
    more_figures(60)
    with django_assert_num_queries(queries):
        assert client.get(url, params).status_code == 200
