"""The public calendar, "Next update" on a measure's page, and the link from
the releases page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from official.models import Recipe, Source
from releases.models import ReleaseDate, ReleaseStatus
from releases.schedule import at_uk_time
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

UPCOMING = reverse("releases:upcoming")


def in_days(days: int) -> datetime.datetime:
    return at_uk_time(timezone.localdate() + datetime.timedelta(days=days))


def test_the_calendar_lists_what_is_to_come_soonest_first_and_what_has_been(client):
    homicides = MeasureFactory(name="Knife crime (local)")
    late = ReleaseDate.objects.create(
        measure=homicides, publish_at=in_days(30), covers="12 months to December 2026"
    )
    soon = ReleaseDate.objects.create(source=Source.ONS_PFA, publish_at=in_days(3))
    moved = ReleaseDate.objects.create(
        measure=homicides,
        publish_at=in_days(10),
        status=ReleaseStatus.POSTPONED,
        postponed_from=in_days(5),
        reason="The supplier's file arrived late.",
    )
    done = ReleaseDate.objects.create(
        measure=homicides, publish_at=in_days(-7), status=ReleaseStatus.PUBLISHED
    )
    response = client.get(UPCOMING)
    assert response.status_code == 200
    page = response.content.decode()
    upcoming = page[page.index("Still to come") : page.index("Past releases")]
    assert upcoming.index(f"release-{soon.pk}") < upcoming.index(f"release-{moved.pk}")
    assert upcoming.index(f"release-{moved.pk}") < upcoming.index(f"release-{late.pk}")
    assert "ONS police force area data tables" in upcoming
    assert "12 months to December 2026" in upcoming
    assert "Postponed from 9:30am on" in upcoming
    assert "The supplier&#x27;s file arrived late." in upcoming
    assert f"release-{done.pk}" not in upcoming
    assert f"release-{done.pk}" in page[page.index("Past releases") :]


def test_the_calendar_is_empty_in_words(client):
    page = client.get(UPCOMING).content.decode()
    assert "No release is announced at the moment." in page


def test_the_releases_page_links_to_the_calendar(client):
    page = client.get(reverse("pages:releases")).content.decode()
    assert f'href="{UPCOMING}"' in page


def test_a_measure_page_gives_its_next_update(client):
    measure = MeasureFactory()
    url = reverse("pages:measure-detail", args=[measure.slug])
    assert "Next update" not in client.get(url).content.decode()
    ReleaseDate.objects.create(measure=measure, publish_at=at_uk_time(datetime.date(2100, 1, 26)))
    ReleaseDate.objects.create(measure=measure, publish_at=at_uk_time(datetime.date(2099, 1, 26)))
    page = client.get(url).content.decode()  # a release date changes the cached page
    assert "<dt>Next update</dt>" in page
    assert "26 January 2099</time>" in page


def test_a_measure_is_updated_by_the_releases_of_its_official_sources(client):
    measure = MeasureFactory()
    Recipe.objects.create(measure=measure, source=Source.ONS_PFA, ons_table="Table P8")
    ReleaseDate.objects.create(source=Source.ONS_PFA, publish_at=in_days(20))
    ReleaseDate.objects.create(source=Source.HOME_OFFICE_PFA, publish_at=in_days(2))
    page = client.get(reverse("pages:measure-detail", args=[measure.slug])).content.decode()
    expected = in_days(20)
    assert f"{expected.day} {expected:%B %Y}</time>" in page


def test_past_and_cancelled_releases_are_not_the_next_update(client):
    measure = MeasureFactory()
    ReleaseDate.objects.create(measure=measure, publish_at=in_days(-1))  # due, not yet run
    ReleaseDate.objects.create(
        measure=measure, publish_at=in_days(4), status=ReleaseStatus.CANCELLED, reason="Merged."
    )
    page = client.get(reverse("pages:measure-detail", args=[measure.slug])).content.decode()
    assert "Next update" not in page


def test_the_calendar_runs_two_queries_whatever_its_length(
    client, django_assert_num_queries, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0
    for days in range(1, 4):
        ReleaseDate.objects.create(measure=MeasureFactory(), publish_at=in_days(days))
        ReleaseDate.objects.create(
            measure=MeasureFactory(), publish_at=in_days(-days), status=ReleaseStatus.PUBLISHED
        )
    client.get(UPCOMING)
    # the publishing body (every page's header), and the calendar's two
    with django_assert_num_queries(3):
        client.get(UPCOMING)
