"""An XmR measure's chart in a real Chromium: the mean and process limits are
drawn, special-cause figures marked by shape, and the page stays clean for
axe-core on a phone and on a desktop."""

import pytest
from django.urls import reverse

from measures.models import Area
from tests.browser.test_pages import CANVAS_HAS_INK, axe_violations
from tests.factories import monthly_figures
from tests.pages.test_control_chart import LATER, REFERENCE, xmr_measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_STATE = """canvas => {
  const chart = Chart.getChart(canvas);
  return {
    roles: chart.data.datasets.map(d => d.role),
    dashed: chart.data.datasets.filter(d => d.borderDash && d.borderDash.length).map(d => d.role),
    colours: Object.fromEntries(chart.data.datasets.map(d => [d.role, d.borderColor])),
    styles: Object.fromEntries(chart.data.datasets.map(d => [d.role, d.pointStyle])),
    legend: chart.legend.legendItems.map(item => item.text),
    height: chart.chartArea.height,
  };
}"""


@pytest.fixture
def xmr_url(live_site):
    """A measure read on an XmR chart, with illustrative monthly figures for
    the demo's force area (the page's default area)."""
    measure = xmr_measure(name="Illustrative monthly count")
    area = Area.objects.get(slug="humberside")
    monthly_figures(measure=measure, area=area, values=REFERENCE + LATER)
    return live_site + reverse("pages:measure-detail", args=[measure.slug])


@pytest.mark.parametrize("width", [320, 1280])
def test_the_control_chart_draws_its_limits(xmr_url, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(xmr_url)
    page.wait_for_selector("[data-chart-ready]")
    canvas = page.locator("[data-chart-ready] canvas")
    assert canvas.evaluate(CANVAS_HAS_INK)
    state = canvas.evaluate(CHART_STATE)
    assert state["roles"] == [
        "local",
        "mean",
        "upper-limit",
        "lower-limit",
        "special-improving",
        "special-concerning",
    ]
    assert state["dashed"] == ["upper-limit", "lower-limit"]
    # The limits share a colour; the mean, the figures and each kind of
    # special cause have their own, and their own shape.
    colours = state["colours"]
    assert colours["upper-limit"] == colours["lower-limit"]
    assert len({colours[r] for r in colours if r != "lower-limit"}) == 5
    assert (state["styles"]["special-improving"], state["styles"]["special-concerning"]) == (
        "rect",
        "rectRot",
    )
    assert state["legend"] == [
        "Special cause: improvement",
        "Special cause: concern",
        "Humberside",
        "Mean",
        "Upper process limit",
        "Lower process limit",
    ]
    assert state["height"] >= 200
    assert page.locator("#control-chart-note").is_visible()
    assert axe_violations(page) == []
    assert page.errors == []
