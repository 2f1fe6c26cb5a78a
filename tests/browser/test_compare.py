"""How forces compare in a real Chromium: no accessibility violations, both
charts drawn, nothing wider than a phone's screen."""

import pytest

from .conftest import settled

pytestmark = pytest.mark.browser

PAGES = ["/measures/homicides/compare/", "/areas/humberside/"]


@pytest.fixture
def compared(site):
    """The site with the force comparison's demo, as ``make run`` loads it."""
    return site


@pytest.mark.parametrize("path", PAGES)
def test_no_violations_and_nothing_wider_than_a_phone(compared, page, path):
    from tests.browser.test_pages import axe_violations

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(compared + path)
    settled(page)
    assert axe_violations(page) == []
    assert page.errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_both_charts_draw(compared, page):
    page.goto(compared + PAGES[0])
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-ready]').length === n", arg=2
    )
    assert page.locator(".chart[hidden]").count() == 0


def test_the_funnel_legend_names_each_kind_of_point(compared, page):
    """The names come with the chart's data (marked for translation there),
    not from the script."""
    page.goto(compared + PAGES[0] + "?area=humberside")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-ready]').length === n", arg=2
    )
    labels = page.evaluate(
        "() => [...document.querySelectorAll('canvas')].flatMap("
        "c => Chart.getChart(c).data.datasets.map(d => d.label))"
    )
    assert "Similar group" in labels
    assert "Other forces" in labels
    assert "Humberside (this force)" in labels


@pytest.fixture
def many_measures_url(live_site):
    """A force's page with more measures than it shows at once: its pager."""
    import datetime

    from django.urls import reverse

    from measures.models import Area
    from pages.forces import MEASURES_PER_PAGE
    from tests.factories import FigureFactory, MeasureFactory

    area = Area.objects.get(slug="humberside")
    for i in range(MEASURES_PER_PAGE + 5):
        measure = MeasureFactory(priority_area=None, kind="local", name=f"Local indicator {i:02d}")
        FigureFactory(
            measure=measure,
            area=area,
            period_start=datetime.date(2023, 4, 1),
            period_end=datetime.date(2024, 3, 31),
        )
    return live_site + reverse("pages:area-detail", args=["humberside"])


def test_a_forces_pages_of_measures_work_without_script_on_a_phone(
    many_measures_url, page_without_js, page
):
    """The pager is a labelled list of links, followed without JavaScript at
    320 px; the page it leads to passes axe and fits the screen."""
    from pages.forces import MEASURES_PER_PAGE
    from tests.browser.test_pages import axe_violations

    plain = page_without_js
    plain.set_viewport_size({"width": 320, "height": 800})
    plain.goto(many_measures_url)
    pager = plain.get_by_role("navigation", name="Pages of measures")
    assert pager.get_by_role("link", name="Page 1").get_attribute("aria-current") == "page"
    pager.get_by_role("link", name="Next page").click()
    plain.wait_for_load_state()
    assert plain.url.endswith("?page=2#measures")
    assert f"measures {MEASURES_PER_PAGE + 1} to" in plain.locator("caption").inner_text()
    current = plain.get_by_role("navigation", name="Pages of measures").get_by_role(
        "link", name="Page 2"
    )
    assert current.get_attribute("aria-current") == "page"
    assert plain.get_by_role("row").count() > 1

    # axe runs as a script: in the page with JavaScript.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(plain.url)
    settled(page)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
