"""The release calendar's pages in a real Chromium, at a phone's and a
laptop's width: axe-core finds nothing, and nothing scrolls sideways."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Figure, Measure
from official.models import Source
from releases.models import ReleaseDate, ReleaseStatus
from releases.schedule import at_uk_time, next_release_time
from releases.services import schedule_figures
from tests.factories import UserFactory

from .conftest import settled
from .test_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
WIDTHS = [320, 1280]


@pytest.fixture
def calendar(live_site, settings):
    """The demo with a calendar: announced, postponed, published and cancelled
    releases, and two drafts scheduled; a superuser who signs in without a code."""
    settings.ADMIN_REQUIRE_TWO_FACTOR = False
    user = UserFactory(username="chief", is_staff=True, is_superuser=True)
    today = timezone.localdate()
    homicides = Measure.objects.get(slug="homicides")
    ReleaseDate.objects.create(
        source=Source.ONS_PFA,
        publish_at=at_uk_time(today + datetime.timedelta(days=40)),
        status=ReleaseStatus.POSTPONED,
        postponed_from=at_uk_time(today + datetime.timedelta(days=33)),
        reason="The publisher moved its quarterly release by a week.",
        covers="Year ending September 2026",
    )
    ReleaseDate.objects.create(
        measure=homicides,
        publish_at=at_uk_time(today - datetime.timedelta(days=20)),
        status=ReleaseStatus.CANCELLED,
        reason="Merged with the next release.",
    )
    drafts = list(Figure.objects.filter(measure=homicides).order_by("-period_end")[:2])
    Figure.objects.filter(pk__in=[f.pk for f in drafts]).update(status="draft")
    schedule_figures(
        expected_versions={
            f.pk: f.version for f in Figure.objects.filter(pk__in=[f.pk for f in drafts])
        },
        publish_at=next_release_time(timezone.now()),
        user=user,
        covers="12 months to September 2026",
    )
    return live_site


def at_width(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    return context, context.new_page()


def check(page):
    settled(page)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("width", WIDTHS)
def test_the_public_calendar_and_next_update(browser, calendar, width):
    context, page = at_width(browser, width)
    try:
        page.goto(calendar + reverse("releases:upcoming"))
        assert "The publisher moved its quarterly release" in page.content()
        check(page)
        page.goto(calendar + reverse("pages:measure-detail", args=["homicides"]))
        assert page.locator("#next-update").is_visible()
        check(page)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_staff_pages(browser, calendar, width):
    context, page = at_width(browser, width)
    try:
        page.goto(calendar + reverse("admin:login"))
        page.fill("input[name=username]", "chief")
        page.fill("input[name=password]", PASSWORD)
        page.click("[type=submit]")
        page.wait_for_url(calendar + reverse("admin:index"))
        assert page.locator("#waiting-drafts li").count() >= 1
        check(page)
        for name in ("admin:releases_releasedate_changelist", "admin:releases_releasedate_add"):
            page.goto(calendar + reverse(name))
            check(page)
        page.goto(calendar + reverse("admin:measures_figure_changelist") + "?status__exact=draft")
        page.check("#action-toggle")
        page.select_option("select[name=action]", "schedule_selected")
        page.click("button[name=index]")
        page.wait_for_selector("input[name=day]")
        check(page)
        page.fill("input[name=day]", "2099-01-03")  # a Saturday
        page.click("input[type=submit]")
        assert "Choose a weekday" in page.content()
        check(page)
    finally:
        context.close()
