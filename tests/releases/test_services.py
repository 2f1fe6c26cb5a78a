"""Scheduling reviewed drafts and publishing what is due, through the services
and the command, with the public's view checked through its downloads."""

import datetime
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.cache import current_version
from measures.models import Figure, PublicationStatus
from measures.services import FiguresChanged, save_figure
from releases.models import ReleaseDate, ReleaseStatus, ScheduledFigure
from releases.schedule import next_release_time
from releases.services import publish_due, schedule_figures
from tests.factories import MeasureFactory

from .conftest import draft, seen

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


def public_csv(client, measure) -> str:
    response = client.get(reverse("opendata:figures-csv"), {"measure": measure.slug})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def when():
    return next_release_time(timezone.now())


def test_scheduled_figures_stay_hidden_until_their_time_then_go_public(client, publisher, when):
    measure = MeasureFactory()
    figures = [draft(measure=measure), draft(measure=measure)]
    result = schedule_figures(expected_versions=seen(*figures), publish_at=when, user=publisher)
    assert len(result.scheduled) == 2
    assert "4321" not in public_csv(client, measure)

    report = publish_due(now=when - SECOND)
    assert report.releases == [] and report.published == []
    assert "4321" not in public_csv(client, measure)
    assert {f.status for f in Figure.objects.all()} == {PublicationStatus.DRAFT}

    version = current_version()
    report = publish_due(now=when)
    assert len(report.published) == 2
    assert current_version() != version  # the cached pages are stale
    assert public_csv(client, measure).count("4321") == 2
    for figure in Figure.objects.all():
        assert figure.status == PublicationStatus.PUBLISHED
        assert figure.published_by == publisher
        # The history and the admin's log, as for a publish from the admin.
        last = figure.history.first()
        assert last.history_change_reason == "Published"
        assert last.history_user == publisher
        entry = LogEntry.objects.get(object_id=str(figure.pk))
        assert entry.user == publisher
        assert "Published as scheduled for 9:30am" in entry.get_change_message()
    release = ReleaseDate.objects.get()
    assert release.status == ReleaseStatus.PUBLISHED
    assert release.published_at == when
    assert not ScheduledFigure.objects.exists()


def test_a_second_run_publishes_nothing_again(publisher, when):
    figure = draft()
    schedule_figures(expected_versions=seen(figure), publish_at=when, user=publisher)
    assert len(publish_due(now=when).published) == 1
    again = publish_due(now=when + 60 * SECOND)
    assert again.releases == [] and again.published == []
    assert figure.history.filter(history_change_reason="Published").count() == 1
    assert LogEntry.objects.count() == 1


def test_a_draft_changed_after_it_was_scheduled_stays_a_draft(publisher, clerk, when):
    changed, kept = draft(), draft()
    schedule_figures(expected_versions=seen(changed, kept), publish_at=when, user=publisher)
    changed.value = 5000
    save_figure(figure=changed, user=clerk, expected_version=changed.version)
    report = publish_due(now=when)
    assert [f.pk for f in report.published] == [kept.pk]
    assert "changed since it was scheduled" in report.held[0]
    changed.refresh_from_db()
    assert changed.status == PublicationStatus.DRAFT


def test_only_a_publisher_schedules(clerk, when):
    figure = draft()
    with pytest.raises(PermissionDenied):
        schedule_figures(expected_versions=seen(figure), publish_at=when, user=clerk)
    assert not ScheduledFigure.objects.exists()


def test_a_time_in_the_past_is_refused(publisher):
    figure = draft()
    with pytest.raises(ValidationError):
        schedule_figures(
            expected_versions=seen(figure), publish_at=timezone.now() - SECOND, user=publisher
        )


def test_figures_changed_since_the_publisher_saw_them_are_refused_whole(publisher, clerk, when):
    figure, other = draft(), draft()
    shown = seen(figure, other)
    figure.value = 1
    save_figure(figure=figure, user=clerk, expected_version=figure.version)
    with pytest.raises(FiguresChanged):
        schedule_figures(expected_versions=shown, publish_at=when, user=publisher)
    assert not ScheduledFigure.objects.exists()
    assert not ReleaseDate.objects.exists()


def test_scheduling_announces_one_release_per_measure_and_reuses_it(publisher, when):
    measure = MeasureFactory()
    first, second = draft(measure=measure), draft(measure=measure)
    other = draft()
    schedule_figures(
        expected_versions=seen(first, other), publish_at=when, user=publisher, covers="Q2"
    )
    schedule_figures(expected_versions=seen(second), publish_at=when, user=publisher)
    assert ReleaseDate.objects.count() == 2
    release = ReleaseDate.objects.get(measure=first.measure)
    assert release.covers == "Q2"
    assert set(release.figures.values_list("figure", flat=True)) == {first.pk, second.pk}


def test_a_published_figure_is_not_scheduled(publisher, when):
    from tests.factories import FigureFactory

    published = FigureFactory()
    result = schedule_figures(expected_versions=seen(published), publish_at=when, user=publisher)
    assert result.scheduled == [] and result.already_published == 1


def test_an_announced_release_without_figures_is_marked_published_at_its_time(when):
    release = ReleaseDate.objects.create(measure=MeasureFactory(), publish_at=when)
    publish_due(now=when)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED


def test_a_cancelled_release_publishes_nothing(publisher, when):
    figure = draft()
    schedule_figures(expected_versions=seen(figure), publish_at=when, user=publisher)
    ReleaseDate.objects.update(status=ReleaseStatus.CANCELLED, reason="Data supply failed.")
    assert publish_due(now=when + SECOND).published == []
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT


def test_a_publisher_who_lost_the_right_to_publish_publishes_nothing(publisher, when):
    figure = draft()
    schedule_figures(expected_versions=seen(figure), publish_at=when, user=publisher)
    publisher.groups.clear()
    report = publish_due(now=when)
    assert report.published == []
    assert "may no longer publish" in report.held[0]


def test_the_command_publishes_what_is_due_and_says_what_it_did(publisher, when, monkeypatch):
    figure = draft()
    schedule_figures(expected_versions=seen(figure), publish_at=when, user=publisher)
    out = StringIO()
    call_command("publish_due", stdout=out)
    assert out.getvalue() == ""  # nothing due yet, nothing said
    monkeypatch.setattr(timezone, "now", lambda: when)  # the clock reaches 09:30
    call_command("publish_due", stdout=out)
    assert "1 release(s) due, 1 figure(s) published." in out.getvalue()
    figure.refresh_from_db()
    assert figure.is_published
