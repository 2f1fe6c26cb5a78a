"""The public pages in a real Chromium: accessibility, charts, no JavaScript."""

import pytest

from pages.about import TESTED_WIDTHS
from tests.public_helpers import public_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [name for name in public_urls() if name != "chart"]

CANVAS_HAS_INK = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
  return false;
}"""


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("width", TESTED_WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(site, page, name, width):
    """At each width the accessibility statement says the site is tested at."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + public_urls()[name])
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    assert page.errors == []


def test_the_404_page_has_no_violations(site, page):
    page.goto(site + "/outcomes/no-such-outcome/")
    assert page.locator("h1").inner_text() == "Page not found"
    assert axe_violations(page) == []


def test_a_bad_download_filter_has_no_violations(site, page):
    response = page.goto(site + "/data/?area=atlantis")
    assert response.status == 400
    assert axe_violations(page) == []


def test_a_bad_filter_has_no_violations(site, page):
    page.goto(site + public_urls()["measure"] + "?area=atlantis&period_from=soon")
    summaries = page.locator(".error-summary")  # the area's, and the table filter's
    assert summaries.count() == 2
    assert all(summary.is_visible() for summary in summaries.all())
    assert axe_violations(page) == []


def test_charts_draw(site, page):
    page.goto(site + public_urls()["outcome"])
    charts = page.locator("[data-chart-url]")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-ready]').length === n", arg=charts.count()
    )
    assert charts.count() == 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.is_visible()
        assert chart.locator("canvas").evaluate(CANVAS_HAS_INK)
    assert page.errors == []


def test_the_chart_colours_are_the_stylesheets(site, page):
    page.goto(site + public_urls()["measure"])
    page.wait_for_selector("[data-chart-ready]")
    colours = page.locator("[data-chart-ready] canvas").evaluate(
        "canvas => Chart.getChart(canvas).data.datasets.map(d => [d.role, d.borderColor])"
    )
    roles = dict(colours)
    assert roles["local"] == "#1d4f91"  # --chart-local, the stylesheet's link colour
    assert roles["national"] == "#6f4e00"
    assert len(set(roles.values())) == len(roles)


def test_the_measure_chart_draws(site, page):
    page.goto(site + public_urls()["measure"])
    page.wait_for_selector("[data-chart-ready]")
    assert page.locator("[data-chart-ready] canvas").evaluate(CANVAS_HAS_INK)


@pytest.mark.parametrize("name", PAGES)
def test_pages_work_without_javascript(site, page_without_js, name):
    response = page_without_js.goto(site + public_urls()[name])
    assert response.status == 200
    assert page_without_js.locator("h1").count() == 1
    # The chart needs JavaScript, so it stays hidden; its table is there.
    for chart in page_without_js.locator("[data-chart-url]").all():
        assert not chart.is_visible()
    if name in ("outcome", "measure"):
        assert page_without_js.locator("table.data-table tbody tr").count() > 20


def test_the_filters_work_without_javascript(site, page_without_js):
    page = page_without_js
    page.goto(site + public_urls()["measure"])
    page.select_option("#choose-area", "england-and-wales")
    page.get_by_role("button", name="Show this area", exact=True).click()
    assert page.locator("h2", has_text="How England and Wales is doing").count() == 1
    rows = page.locator("#figures-caption ~ tbody th[scope=row]")
    assert rows.count() > 0
    assert set(rows.all_inner_texts()) == {"England and Wales"}
    page.select_option("#choose-from", index=5)
    page.select_option("#choose-to", index=1)
    page.get_by_role("button", name="Compare", exact=True).click()
    assert "from=" in page.url and "to=" in page.url
    assert page.locator("h3", has_text="The periods you chose").count() == 1


def test_the_skip_link_is_the_first_stop_and_shows(site, page):
    page.goto(site + public_urls()["home"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").is_visible()


@pytest.mark.parametrize("name", ["home", "outcome", "mapping", "statement", "data"])
def test_no_sideways_scrolling_at_320_pixels(site, browser, name):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site + public_urls()[name])
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
