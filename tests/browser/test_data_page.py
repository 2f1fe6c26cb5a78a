"""/data/ in a real Chromium at 320, 768 and 1280 px: no sideways scrolling
of the page (WCAG 1.4.10), the wide table in its own labelled, focusable
region, and at desktop width a table that fits; axe-core clean; the filters,
the sort and the pager without JavaScript."""

import pytest

from .conftest import settled
from .test_pages import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = (320, 768, 1280)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_data_page_reflows_and_passes_axe(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site + "/data/")
    settled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    region = page.locator(".data-table-region")
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-labelledby") == "figures-caption"
    if width == 1280:
        # The whole table is in view on a desktop screen: nothing cut off.
        widths = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
        assert widths[0] <= widths[1]
    assert page.locator("#figures-count").inner_text().startswith("Showing 1–50 of ")
    assert axe_violations(page) == []
    context.close()


def test_filters_sorting_and_pages_work_without_javascript(site, page_without_js):
    page = page_without_js
    page.goto(site + "/data/")
    page.select_option("#id_area", "humberside")
    page.get_by_role("button", name="Apply filters").click()
    assert "area=humberside" in page.url
    areas = set(page.locator(".figures-table tbody td:nth-child(2)").all_inner_texts())
    assert areas == {"Humberside"}
    page.get_by_role("link", name="Value", exact=True).click()
    assert "sort=value" in page.url and "area=humberside" in page.url
    page.get_by_role("link", name="Next page").click()
    assert "page=2" in page.url and "area=humberside" in page.url
    assert page.locator("#figures-count").inner_text().startswith("Showing 51–")
