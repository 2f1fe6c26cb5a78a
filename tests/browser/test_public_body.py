"""The pages that show who publishes the site, the statement's editions, and
printing, in a real Chromium at every width the accessibility statement names."""

import pytest
from django.urls import reverse

from pages.about import TESTED_WIDTHS
from tests.browser.conftest import settled
from tests.browser.test_pages import axe_violations

pytestmark = pytest.mark.browser

EDITION_SLUGS = ("2024-25", "2026-27-q2")


def about_urls() -> list[str]:
    return [reverse(f"pages:{name}") for name in ("accessibility", "contact", "privacy")]


def edition_urls() -> list[str]:
    return [
        reverse("pages:statement-archive"),
        *(reverse("pages:statement-edition", args=[slug]) for slug in EDITION_SLUGS),
    ]


@pytest.fixture
def site_with_editions(site):
    """The site with the demo's two published editions (issue 15's pages),
    which ``manage.py load_demo`` publishes."""
    return site


def look(browser, url: str, width: int) -> tuple[list, int, list]:
    """axe-core's violations, the page's sideways overflow and its console errors."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(url)
    assert response.status == 200, url
    settled(page)
    found = axe_violations(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    return found, overflow, errors


@pytest.mark.parametrize("width", TESTED_WIDTHS)
def test_the_statement_editions_and_archive_pass_axe(site_with_editions, browser, width):
    for path in edition_urls():
        assert look(browser, site_with_editions + path, width) == ([], 0, []), (path, width)


@pytest.mark.parametrize("width", TESTED_WIDTHS)
def test_the_pages_a_public_body_must_have_pass_axe(site, browser, width):
    for path in about_urls():
        assert look(browser, site + path, width) == ([], 0, []), (path, width)


def test_the_500_page_passes_axe(site, page):
    from django.template.loader import render_to_string

    page.set_content(render_to_string("500.html"))
    assert page.locator("h1").inner_text() == "Sorry, there is a problem with the service"
    assert axe_violations(page) == []


def test_an_edition_prints_its_dates_and_link_addresses_without_the_chrome(
    site_with_editions, page
):
    page.goto(site_with_editions + reverse("pages:statement-edition", args=[EDITION_SLUGS[0]]))
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".breadcrumbs", ".edition-links"):
        assert not page.locator(chrome).first.is_visible(), chrome
    facts = page.locator(".edition-facts")
    assert facts.is_visible()
    assert "Published" in facts.inner_text()
    assert "Figures as at" in facts.inner_text()
    outside = page.locator("main a[href^='http']").first
    href = outside.get_attribute("href")
    after = outside.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == f'" ({href})"'
    heading = page.locator("main h2").first
    assert heading.evaluate("h => getComputedStyle(h).breakAfter") == "avoid"
    row = page.locator("main tr").first
    assert row.evaluate("r => getComputedStyle(r).breakInside") == "avoid"
    # On screen, none of that.
    page.emulate_media(media="screen")
    assert page.locator(".site-footer").is_visible()
    assert outside.evaluate("a => getComputedStyle(a, '::after').content") == "none"
