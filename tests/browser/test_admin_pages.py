"""The admin pages staff use, in a real Chromium: axe-core finds nothing at
any of the widths the site is tested at, and the figure list shows what a
publisher checks (measure, area, period, value, status) at 1280 px without
a sideways scroll.

One page load per page and width; the publish and schedule confirmations and
the upload preview are reached as staff reach them, by the action and by the
upload.

The pages are only read, so the module shares one database and one live
server (``staff_site``): the demo loaded, the addresses worked out and the
office signed in through the login page once, where a test of ``live_site``
empties every table, copies the demo back and signs in again, seconds a
test. Each test opens its own browser, signed in as the login left it.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.test import modify_settings, override_settings
from django.urls import reverse
from django.utils.http import urlencode
from pytest_django.live_server_helper import LiveServer

from measures.csvformat import FIGURE_REQUIRED_COLUMNS
from measures.models import Area, Figure, Measure, Target
from pages.about import TESTED_WIDTHS
from plan.models import LocalOutcome, Plan
from releases.models import ReleaseDate
from releases.services import schedule_figures
from tests.conftest import load_catalogue_and_demo
from tests.factories import UserFactory
from tests.snapshot import put_back, read_all

from .conftest import settle, sign_in_the_office, tracked
from .test_pages import axe_violations

# The database for the module's fixture: set up for the run (which a test of
# no database would not do), and unused by the tests themselves, whose pages
# the live server reads from what the fixture committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The demo's draft quarter: the 12 months to September 2026, for its force.
DRAFT_START, DRAFT_END = datetime.date(2025, 10, 1), datetime.date(2026, 9, 30)


def change(model, obj) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


def first(model, **lookup):
    return model._default_manager.filter(**lookup).order_by("pk").first()


def bulk_entry() -> str:
    area = Area.objects.get(slug="humberside")
    query = {"area": area.pk, "period_start": DRAFT_START, "period_end": DRAFT_END}
    return reverse("admin:measures_figure_bulk_entry") + "?" + urlencode(query)


def a_release() -> str:
    """A release with a draft scheduled in it, so its inline shows."""
    draft = first(Figure, status="draft")
    schedule_figures(
        expected_versions={draft.pk: draft.version},
        publish_at=datetime.datetime(2027, 4, 22, 8, 30, tzinfo=datetime.UTC),
        user=get_user_model().objects.get(username="office"),
    )
    return change(ReleaseDate, ReleaseDate.objects.get())


# Each page's address, worked out once the demo is loaded.
ADDRESSES = {
    "index": lambda: reverse("admin:index"),
    "figure-list": lambda: reverse("admin:measures_figure_changelist"),
    # Filtered, as the home page's drafts to review open it: "N results (M total)".
    "figure-list-drafts": lambda: (
        reverse("admin:measures_figure_changelist") + "?status__exact=draft"
    ),
    "figure-add": lambda: reverse("admin:measures_figure_add"),
    "figure-change-draft": lambda: change(Figure, first(Figure, status="draft")),
    "figure-change-published": lambda: change(Figure, first(Figure, status="published")),
    "figure-history": lambda: reverse(
        "admin:measures_figure_history", args=[first(Figure, status="published").pk]
    ),
    "bulk-entry-choose": lambda: reverse("admin:measures_figure_bulk_entry"),
    "bulk-entry": bulk_entry,
    "upload": lambda: reverse("admin:measures_figure_upload"),
    "release-list": lambda: reverse("admin:releases_releasedate_changelist"),
    "release-add": lambda: reverse("admin:releases_releasedate_add"),
    "release-change": a_release,
    "measure-change": lambda: change(Measure, Measure.objects.get(slug="homicides")),
    "area-change": lambda: change(Area, Area.objects.get(slug="humberside")),
    "target-change": lambda: change(Target, first(Target)),
    "plan-change": lambda: change(Plan, first(Plan)),
    "outcome-change": lambda: change(LocalOutcome, first(LocalOutcome)),
    "group-add": lambda: reverse("admin:auth_group_add"),
}


def upload_with_a_slip() -> bytes:
    """A small upload with a slip in it (ten times the draft's value), so the
    preview shows its warning and the box that confirms it."""
    draft = Figure.objects.get(
        measure__slug="homicides", area__slug="humberside", period_end=DRAFT_END
    )
    lines = [
        ",".join(FIGURE_REQUIRED_COLUMNS),
        f"homicides,humberside,{DRAFT_START},{DRAFT_END},{draft.value * 10}",
        f"homicides,england-and-wales,{DRAFT_START},{DRAFT_END},500",
    ]
    return "\r\n".join(lines).encode()


def upload_preview(page, site):
    page.goto(site.url + reverse("admin:measures_figure_upload"))
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": site.upload}],
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().startswith("Check the upload")


def confirmation(action, title):
    """An action's confirmation page for every draft in the list, reached as a
    publisher reaches it: tick them all, choose the action, Go."""

    def open_confirmation(page, site):
        query = urlencode({"status__exact": "draft"})
        page.goto(site.url + reverse("admin:measures_figure_changelist") + "?" + query)
        page.check("#action-toggle")
        page.select_option("select[name=action]", action)
        page.locator("button[name=index]").click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == title
        assert page.locator(f"input[name={helpers.ACTION_CHECKBOX_NAME}]").count() > 0

    return open_confirmation


ACTIONS = {
    "upload-preview": upload_preview,
    "publish-confirmation": confirmation("publish_selected", "Publish these figures?"),
    "schedule-confirmation": confirmation(
        "schedule_selected", "Schedule these figures for publication?"
    ),
}

PAGES = [*ADDRESSES, *ACTIONS]


@dataclass
class StaffSite:
    url: str
    addresses: dict[str, str]  # ADDRESSES, worked out
    upload: bytes
    signed_in: dict  # the browser's storage state once the office signed in


def sign_in(browser, url: str) -> dict:
    """The browser's storage state once the office signed in through the login page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = tracked(context.new_page())
    sign_in_the_office(page, url)
    state = context.storage_state()
    settle(page)
    context.close()
    return state


@pytest.fixture(scope="module")
def staff_site(browser, django_db_setup, django_db_blocker):
    """The catalogue and the demo, committed to the test database, served by a
    live server of the module's own with the office signed in, once for the
    module; the database put back as it was found after it, so that the tests
    after it on the worker find what they would have found, whatever their
    order. The browser is asked for first, so that a missing one fails before
    the database is filled.

    Not pytest-django's ``live_server``: a test that uses it is made
    transactional, which empties every table after each test. Database access
    stays open for the module: the server's thread reads the database while
    the tests run."""
    with (
        django_db_blocker.unblock(),
        override_settings(ADMIN_REQUIRE_TWO_FACTOR=False),
        modify_settings(ALLOWED_HOSTS={"append": "localhost"}),
    ):
        found = read_all()
        try:
            load_catalogue_and_demo()
            UserFactory(username="office", is_staff=True, is_superuser=True)
            addresses = {name: address() for name, address in ADDRESSES.items()}
            upload = upload_with_a_slip()
            server = LiveServer("localhost:0")
            try:
                signed_in = sign_in(browser, server.url)
                yield StaffSite(server.url, addresses, upload, signed_in)
            finally:
                server.stop()
        finally:
            put_back(found)


@pytest.fixture
def staff_page(browser, staff_site):
    """A page signed in to the admin as the office (a superuser, who may
    publish), at 1280 px, in a browser of its own."""
    context = browser.new_context(
        storage_state=staff_site.signed_in, viewport={"width": 1280, "height": 900}
    )
    page = tracked(context.new_page())
    yield page
    settle(page)
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations_on_the_admin_pages_staff_use(staff_site, staff_page, name):
    """At each tested width, a page opened afresh at that width (a layout
    decided at load, as the admin's sidebar is, is checked as staff get it),
    and none wider than the window: a wide table scrolls in its own box."""
    page = staff_page
    address = None if name in ACTIONS else staff_site.url + staff_site.addresses[name]
    found, wide = {}, {}
    for width in TESTED_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if address is None:
            ACTIONS[name](page, staff_site)
        else:
            response = page.goto(address)
            assert response.status == 200
            assert page.url == address  # not sent to the login page
        violations = axe_violations(page)
        if violations:
            found[width] = violations
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide[width] = scroll_width
    assert found == {}, "\n".join(
        f"{width} px: {rule}: {targets}"
        for width, rules in found.items()
        for rule, _, targets in rules
    )
    assert wide == {}  # {window width: page width}


# Each header's text and right edge in the window.
HEADER_EDGES = """ths => Object.fromEntries(ths.map(th =>
  [th.innerText.trim().toLowerCase(), th.getBoundingClientRect().right]))"""


def test_the_figure_list_shows_what_a_publisher_checks_at_1280_pixels(staff_site, staff_page):
    """Measure, area, period, value and status: each column whole in a 1280 px
    window, with no sideways scroll (the list showed five columns, status not
    among them)."""
    page = staff_page
    page.goto(staff_site.url + reverse("admin:measures_figure_changelist"))
    edges = page.locator("#result_list thead th").evaluate_all(HEADER_EDGES)
    for column in ["measure", "area", "period", "value", "status"]:
        assert 0 < edges[column] <= 1280, edges
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_autocomplete_boxes_are_named(staff_site, staff_page):
    """Each autocomplete box is read as its field (and row), then its value;
    "Add another" copies the inline's template row and starts its autocomplete
    afresh, and the new box is named as the others are."""
    page = staff_page
    page.goto(staff_site.url + staff_site.addresses["measure-change"])
    area = page.get_by_role("combobox", name="Area: Homicides – Humberside", exact=False)
    assert area.count() == 1  # its field and row, then the area it shows
    assert area.inner_text() == "Humberside"
    # A field of the form itself: named by its label.
    assert page.get_by_role("combobox", name="Data source: Police Recorded").count() == 1
    new_areas = page.get_by_role("combobox", name="Area: new figure", exact=True)
    assert new_areas.count() == 3  # the inline's empty rows
    page.locator("#figures-group .add-row a").click()
    assert new_areas.count() == 4
    assert axe_violations(page) == []
