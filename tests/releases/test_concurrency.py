"""Two ``publish_due`` runs at once, for real, on PostgreSQL: each on its own
database connection, as two timer runs that overlap (a slow run, a clock
jump) would be. Nothing may be published twice, and what one run publishes
appears all at once, in one transaction."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connections
from django.utils import timezone

from measures.models import Figure, PublicationStatus
from releases import services
from releases.models import ReleaseDate, ReleaseStatus
from releases.schedule import next_release_time
from tests.factories import MeasureFactory, UserFactory

from .conftest import draft, seen

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

RELEASES, PER_RELEASE = 4, 3


@pytest.fixture
def scheduled():
    """Four releases at the same time, three figures each."""
    # A superuser: a transactional test empties the tables, the roles' groups included.
    publisher = UserFactory(username="chief", is_staff=True, is_superuser=True)
    when = next_release_time(timezone.now())
    figures = []
    for _ in range(RELEASES):
        measure = MeasureFactory()
        group = [draft(measure=measure) for _ in range(PER_RELEASE)]
        services.schedule_figures(expected_versions=seen(*group), publish_at=when, user=publisher)
        figures += group
    return when, figures


def on_own_connection(work):
    def run(*args):
        try:
            return work(*args)
        finally:
            connections.close_all()

    return run


def assert_published_once(figures, reports):
    published = [figure.pk for report in reports for figure in report.published]
    assert sorted(published) == sorted(figure.pk for figure in figures)
    released = [release.pk for report in reports for release in report.releases]
    assert sorted(released) == sorted(ReleaseDate.objects.values_list("pk", flat=True))
    for figure in Figure.objects.all():
        assert figure.status == PublicationStatus.PUBLISHED
        assert figure.history.filter(history_change_reason="Published").count() == 1
    assert LogEntry.objects.count() == len(figures)
    assert set(ReleaseDate.objects.values_list("status", flat=True)) == {ReleaseStatus.PUBLISHED}


def test_two_runs_started_together_publish_each_figure_once(scheduled):
    when, figures = scheduled
    start = threading.Barrier(2)

    @on_own_connection
    def run(_):
        start.wait()
        return services.publish_due(now=when)

    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(run, range(2)))
    assert_published_once(figures, reports)


def test_a_run_that_starts_while_another_is_publishing_passes_over_its_releases(
    scheduled, monkeypatch
):
    """The first run stops half-way (one release published, in its open
    transaction); a second run then starts and finishes, and meanwhile
    another connection sees nothing published: the first run's figures
    appear at once, when it commits."""
    when, figures = scheduled
    halfway, carry_on = threading.Event(), threading.Event()
    original = services._publish_scheduled
    calls = []

    def pausing(release, report):
        original(release, report)
        calls.append(release.pk)
        if len(calls) == 1:
            halfway.set()
            assert carry_on.wait(30)

    monkeypatch.setattr(services, "_publish_scheduled", pausing)

    @on_own_connection
    def first():
        return services.publish_due(now=when)

    @on_own_connection
    def second():
        return services.publish_due(now=when)

    @on_own_connection
    def published_now():
        return Figure.objects.filter(status=PublicationStatus.PUBLISHED).count()

    with ThreadPoolExecutor(3) as pool:
        first_run = pool.submit(first)
        assert halfway.wait(30)
        second_report = pool.submit(second).result(timeout=30)
        seen_meanwhile = pool.submit(published_now).result(timeout=30)
        carry_on.set()
        first_report = first_run.result(timeout=30)
    assert second_report.releases == [] and second_report.published == []
    assert seen_meanwhile == 0
    assert len(first_report.published) == len(figures)
    assert_published_once(figures, [first_report, second_report])
