"""The public pages in a real Chromium: accessibility, charts, no JavaScript."""

import pytest
from django.urls import reverse

from pages.about import TESTED_WIDTHS
from tests.public_helpers import public_urls

from .conftest import settled

pytestmark = pytest.mark.browser

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
    settled(page)
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
    """A count is drawn as small multiples: a chart for the force, one for
    England and Wales, each on its own axis."""
    page.goto(site + reverse("pages:measure-detail", args=["homicides"]))
    charts = page.locator("[data-chart-url]")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-ready]').length === n", arg=charts.count()
    )
    assert charts.count() == 2
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.is_visible()
        assert chart.locator("canvas").evaluate(CANVAS_HAS_INK)
        assert chart.locator("canvas").evaluate(
            "canvas => Object.keys(Chart.getChart(canvas).scales)"
        ) == ["x", "y"]
    assert page.errors == []


# The plot itself (not the legend or the axis labels) on a 320 px phone.
PLOT_SIZE = """canvas => {
  const chart = Chart.getChart(canvas);
  const y = chart.scales.y;
  return {height: chart.chartArea.height, tick: y.options.ticks.font.size,
          title: y.options.title.font.size, titleShown: y.options.title.display,
          titleFits: y.options.title.text.length * 8 < chart.chartArea.height};
}"""


@pytest.mark.parametrize("slug", ["homicides", "victim-satisfaction", "neighbourhood-crime"])
def test_a_chart_reads_on_a_phone(site, browser, slug):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site + reverse("pages:measure-detail", args=[slug]))
    page.wait_for_selector("[data-chart-ready]")
    for canvas in page.locator("[data-chart-ready] canvas").all():
        size = canvas.evaluate(PLOT_SIZE)
        assert size["height"] >= 220
        assert size["tick"] >= 12
        assert size["title"] >= 12
        assert size["titleShown"]
        assert size["titleFits"]
    context.close()


def test_the_measure_page_tabs(site, page):
    """With JavaScript, Chart | Table | About this measure are ARIA tabs: one
    panel shows, the arrow keys move between tabs, and an address ending in
    #table opens the table."""
    url = site + public_urls()["measure"]
    page.goto(url)
    page.wait_for_selector(".tabs--enhanced")
    tabs = page.get_by_role("tab")
    assert tabs.all_inner_texts() == ["Chart", "Table", "About this measure"]
    assert page.locator("#chart").is_visible()
    assert not page.locator("#table").is_visible()
    tabs.nth(0).focus()
    page.keyboard.press("ArrowRight")
    assert tabs.nth(1).get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.textContent") == "Table"
    assert page.locator("#table").is_visible()
    assert not page.locator("#chart").is_visible()
    page.keyboard.press("End")
    assert page.locator("#about").is_visible()
    page.goto(url + "?periods=all#table")
    page.wait_for_selector(".tabs--enhanced")
    assert page.locator("#table").is_visible()
    assert page.get_by_role("tab", name="Table").get_attribute("aria-selected") == "true"
    assert axe_violations(page) == []
    assert page.errors == []


# The longest outcome page was 14,910 px tall at 1280 px, each measure with its
# chart and its 29-line table; a line per measure must at least halve it.
LONGEST_OUTCOME_BEFORE = 14910


def test_outcome_pages_are_at_most_half_their_old_height(site, page):
    page.goto(site + public_urls()["home"])
    outcomes = sorted(
        set(page.locator("a[href^='/outcomes/']").evaluate_all("as => as.map(a => a.pathname)"))
    )
    assert len(outcomes) == 8
    heights = {}
    for path in outcomes:
        page.goto(site + path)
        heights[path] = page.evaluate("document.documentElement.scrollHeight")
    assert max(heights.values()) <= LONGEST_OUTCOME_BEFORE / 2, heights


def test_the_chart_colours_are_the_stylesheets(site, page):
    page.goto(site + public_urls()["measure"])
    page.wait_for_selector("[data-chart-ready]")
    colours = page.locator("[data-chart-ready] canvas").evaluate(
        "canvas => Chart.getChart(canvas).data.datasets.map(d => [d.role, d.borderColor])"
    )
    roles = dict(colours)
    assert roles["local"] == "#1d4f91"  # --chart-local, the stylesheet's link colour
    assert roles["national"] == "#6f4e00"
    # The interval's lower and upper lines are the two edges of one band.
    assert roles.pop("interval-lower") == roles["interval"]
    assert len(set(roles.values())) == len(roles)


def test_the_measure_chart_draws(site, page):
    page.goto(site + public_urls()["measure"])
    page.wait_for_selector("[data-chart-ready]")
    assert page.locator("[data-chart-ready] canvas").evaluate(CANVAS_HAS_INK)


def test_a_chart_whose_data_does_not_come_stays_hidden_and_is_marked_given_up(site, page):
    """The table below holds every figure, so a chart whose data fails is left
    hidden, and marked given up, so that whoever waits for the page's charts
    (``settled``) stops waiting."""
    page.route("**/chart/**", lambda route: route.fulfill(status=503, body="down"))
    page.goto(site + public_urls()["measure"])
    settled(page)
    chart = page.locator("[data-chart-url]")
    assert chart.get_attribute("data-chart-failed") == "true"
    assert chart.get_attribute("data-chart-ready") is None
    assert not chart.is_visible()
    assert page.locator("#table-chart tbody tr").count() == 8


@pytest.mark.parametrize("name", PAGES)
def test_pages_work_without_javascript(site, page_without_js, name):
    response = page_without_js.goto(site + public_urls()[name])
    assert response.status == 200
    assert page_without_js.locator("h1").count() == 1
    # The chart needs JavaScript, so it stays hidden; its table is there.
    for chart in page_without_js.locator("[data-chart-url]").all():
        assert not chart.is_visible()
    if name == "measure":
        # Every panel shows, one after the other, and the tab links jump to them.
        for panel in ("chart", "table", "about"):
            assert page_without_js.locator(f"#{panel}").is_visible()
        assert page_without_js.locator("#table-chart tbody tr").count() == 8
    if name == "outcome":
        assert page_without_js.locator(".measure-line").count() == 3


def test_the_filters_work_without_javascript(site, page_without_js):
    page = page_without_js
    page.goto(site + public_urls()["measure"])
    page.select_option("#choose-area", "england-and-wales")
    page.get_by_role("button", name="Show this area", exact=True).click()
    page.wait_for_url("**area=england-and-wales**")
    assert page.locator("h2", has_text="How England and Wales is doing").count() == 1
    page.get_by_role("link", name="Every period and every published figure").click()
    # The click starts the next page; its table is read once it has arrived.
    page.wait_for_url("**periods=all**")
    page.wait_for_load_state()
    rows = page.locator("#figures-caption ~ tbody th[scope=row]")
    assert rows.count() > 0
    assert set(rows.all_inner_texts()) == {"England and Wales"}
    page.select_option("#choose-from", index=5)
    page.select_option("#choose-to", index=1)
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url("**from=**")
    assert "from=" in page.url and "to=" in page.url
    assert page.locator("h3", has_text="The periods you chose").count() == 1


def test_the_skip_link_is_the_first_stop_and_shows(site, page):
    page.goto(site + public_urls()["home"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").is_visible()


@pytest.mark.parametrize(
    "name", ["home", "outcome", "measure", "plan", "priority", "mapping", "statement", "data"]
)
def test_no_sideways_scrolling_at_320_pixels(site, browser, name):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site + public_urls()[name])
    settled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_the_mapping_shows_every_measure_at_1280_pixels(site, browser):
    """Each framework's table, every measure a column, fits a desktop window
    whole: no measure hidden behind a sideways scroll (issue: one outcome
    looked as if it served nothing)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + public_urls()["mapping"])
    settled(page)
    regions = page.locator(".table-scroll").evaluate_all(
        "rs => rs.map(r => [r.scrollWidth, r.clientWidth,"
        " r.querySelectorAll('thead tr:last-child th').length])"
    )
    assert regions, "the mapping has no table"
    assert regions[0][2] >= 10  # the 2021 measures: every one a column
    for scroll_width, client_width, _ in regions:
        assert scroll_width <= client_width
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()
