"""How forces compare in a real Chromium: no accessibility violations, both
charts drawn, nothing wider than a phone's screen."""

import pytest

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
    page.wait_for_load_state("networkidle")
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
