"""The admin: the figure list's "Schedule publication" action and its
"scheduled for …" status, the release calendar, and the admin's home page
saying what is waiting."""

import datetime
import re

import pytest
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from measures.models import Figure, PublicationStatus
from releases.models import ReleaseDate, ReleaseStatus, ScheduledFigure
from releases.schedule import UK, at_uk_time, next_release_time
from releases.services import schedule_figures
from tests.factories import FigureFactory, MeasureFactory

from .conftest import draft, seen

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:measures_figure_changelist")
ROLES = ["anonymous", "Data entry", "Publisher", "superuser"]


def action(client, figures, **extra):
    data = {
        "action": "schedule_selected",
        helpers.ACTION_CHECKBOX_NAME: [f.pk for f in figures],
        **extra,
    }
    return client.post(CHANGELIST, data)


def confirm(client, figures, **fields):
    page = action(client, figures)
    versions = dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page.content.decode()))
    return action(client, figures, confirm="yes", **versions, **fields)


def next_weekday(weeks: int = 0) -> datetime.date:
    """The first release day (a working day) a day, and ``weeks`` weeks, from now."""
    later = timezone.now() + datetime.timedelta(days=1, weeks=weeks)
    return next_release_time(later).astimezone(UK).date()


@pytest.mark.parametrize("role", ROLES)
def test_only_publishers_schedule_from_the_figure_list(client, login_as, role):
    user = login_as(role)
    figure = draft()
    day = next_weekday()
    page = action(client, [figure])
    allowed = role in ("Publisher", "superuser")
    if not allowed:
        confirm(client, [figure], day=day.isoformat(), time="09:30")
        assert not ScheduledFigure.objects.exists()
        if role == "anonymous":
            assert page.status_code == 302 and "/login/" in page["Location"]
        return
    text = page.content.decode()
    assert page.status_code == 200
    assert "Schedule these figures for publication?" in text
    assert 'value="09:30"' in text  # the standard time, by default
    first = next_release_time(timezone.now()).astimezone(UK).date()
    assert f'name="day" value="{first.isoformat()}"' in text  # the next weekday's
    assert not ScheduledFigure.objects.exists()  # nothing before the confirmation

    done = confirm(client, [figure], day=day.isoformat(), time="09:30", covers="Q2 2026/27")
    assert done.status_code == 302
    scheduled = ScheduledFigure.objects.get()
    assert scheduled.figure == figure and scheduled.scheduled_by == user
    assert scheduled.release.publish_at == at_uk_time(day)
    assert scheduled.release.covers == "Q2 2026/27"
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT
    entry = LogEntry.objects.get(object_id=str(figure.pk))
    assert entry.get_change_message().startswith("Scheduled for publication at 9:30am on ")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": "2099-01-03", "time": "09:30"}, "Choose a weekday"),  # a Saturday
        # Christmas Day 2099, a Friday.
        ({"day": "2099-12-25", "time": "09:30"}, "is a bank holiday in England and Wales"),
        ({"day": "2020-01-06", "time": "09:30"}, "Choose a time in the future."),
        ({"day": "not a day", "time": "09:30"}, "Enter a valid date."),
        ({"day": "2099-01-05", "time": "25:00"}, "Enter a valid time."),
        ({"day": "", "time": "09:30"}, "This field is required."),
    ],
)
def test_a_bad_time_is_refused_in_words_and_nothing_is_scheduled(client, login_as, fields, message):
    login_as("Publisher")
    figure = draft()
    page = confirm(client, [figure], **fields)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not ScheduledFigure.objects.exists()
    assert not ReleaseDate.objects.exists()


def test_a_figure_changed_since_the_confirmation_was_shown_is_not_scheduled(client, login_as):
    login_as("Publisher")
    figure = draft()
    page = action(client, [figure])
    Figure.objects.filter(pk=figure.pk).update(version=figure.version + 1, value=9)
    versions = dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page.content.decode()))
    answer = action(
        client,
        [figure],
        confirm="yes",
        day=next_weekday().isoformat(),
        time="09:30",
        **versions,
    )
    assert answer.status_code == 409
    assert "Nothing was done" in answer.content.decode()
    assert not ScheduledFigure.objects.exists()


def test_staff_see_scheduled_figures_marked_in_the_figure_list(client, login_as, publisher):
    login_as("Data entry")
    when = next_release_time(timezone.now())
    scheduled, plain = draft(), draft()
    schedule_figures(expected_versions=seen(scheduled), publish_at=when, user=publisher)
    page = client.get(CHANGELIST).content.decode()
    local = when.astimezone(UK)
    assert f"Draft, scheduled for 9:30am on {local:%A} {local.day} {local:%B %Y}" in page
    only = client.get(CHANGELIST, {"scheduled": "yes"}).context["cl"].result_list
    assert [f.pk for f in only] == [scheduled.pk]
    others = client.get(CHANGELIST, {"scheduled": "no"}).context["cl"].result_list
    assert [f.pk for f in others] == [plain.pk]


def test_the_list_says_when_a_scheduled_figure_changed_since(client, login_as, publisher):
    login_as("Data entry")
    figure = draft()
    schedule_figures(
        expected_versions=seen(figure), publish_at=next_release_time(timezone.now()), user=publisher
    )
    Figure.objects.filter(pk=figure.pk).update(version=figure.version + 1)
    page = client.get(CHANGELIST).content.decode()
    assert "changed since it was scheduled: it will not be published" in page


# The release calendar --------------------------------------------------------


def release_form(**fields):
    data = {"measure": "", "source": "", "covers": "", "status": "announced", "reason": ""}
    data.update(
        {
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
            "figures-MIN_NUM_FORMS": "0",
            "figures-MAX_NUM_FORMS": "1000",
        }
    )
    data.update(fields)
    return data


def test_a_publisher_announces_and_postpones_with_a_reason(client, login_as):
    login_as("Publisher")
    measure = MeasureFactory()
    day = next_weekday(weeks=4)
    added = client.post(
        reverse("admin:releases_releasedate_add"),
        release_form(measure=measure.pk, publish_at=f"{day.isoformat()}T09:30"),
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    release = ReleaseDate.objects.get()
    assert release.publish_at == at_uk_time(day)
    change = reverse("admin:releases_releasedate_change", args=[release.pk])
    later = day + datetime.timedelta(days=7)
    moved = release_form(measure=measure.pk, publish_at=f"{later.isoformat()}T09:30")
    refused = client.post(change, moved)
    assert refused.status_code == 200
    assert "Say why the release moved" in refused.content.decode()
    client.post(change, {**moved, "reason": "The supplier's file is late."})
    release.refresh_from_db()
    assert release.status == ReleaseStatus.POSTPONED
    assert release.postponed_from == at_uk_time(day)
    assert release.publish_at == at_uk_time(later)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose either a measure or an official source"),
        ({"source": "ons-pfa", "measure": "MEASURE"}, "Choose either a measure"),
        ({"measure": "MEASURE", "status": "cancelled"}, "Say why the release was postponed"),
        ({"measure": "MEASURE", "status": "published"}, "marked published when its time comes"),
    ],
)
def test_a_bad_release_is_refused_in_words(client, login_as, fields, message):
    login_as("Publisher")
    measure = MeasureFactory()
    fields = {k: (measure.pk if v == "MEASURE" else v) for k, v in fields.items()}
    day = next_weekday(weeks=4)
    page = client.post(
        reverse("admin:releases_releasedate_add"),
        release_form(publish_at=f"{day.isoformat()}T09:30", **fields),
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not ReleaseDate.objects.exists()


def test_data_entry_sees_the_calendar_but_cannot_change_it(client, login_as):
    login_as("Data entry")
    release = ReleaseDate.objects.create(
        measure=MeasureFactory(), publish_at=next_release_time(timezone.now())
    )
    assert client.get(reverse("admin:releases_releasedate_changelist")).status_code == 200
    assert client.get(reverse("admin:releases_releasedate_add")).status_code == 403
    page = client.get(reverse("admin:releases_releasedate_change", args=[release.pk]))
    assert page.status_code == 200 and "Save" not in page.content.decode().split("submit-row")[-1]


# The admin's home page -------------------------------------------------------


def test_the_admin_home_says_which_drafts_wait_with_a_link_to_review_them(client, login_as):
    login_as("Data entry")
    measure = MeasureFactory(name="Local knife crime")
    start, end = datetime.date(2025, 10, 1), datetime.date(2026, 9, 30)
    waiting = [draft(measure=measure, period_start=start, period_end=end) for _ in range(3)]
    FigureFactory(measure=measure, period_start=start, period_end=end)  # published
    draft(measure=measure, period_start=datetime.date(2026, 7, 1), period_end=end)  # a quarter
    page = client.get(reverse("admin:index")).content.decode()
    assert "Drafts waiting to be published" in page
    drafts = page[page.index("Drafts waiting") : page.index("Releases due this week")]
    group = drafts[drafts.index("<h3>12 months to September 2026</h3>") :]
    row = re.search(r'<li><a href="([^"]+)">Local knife crime: 3 drafts</a></li>', group)
    assert row, drafts
    quarter = drafts[drafts.index("<h3>Q2 2026/27</h3>") :]
    assert "Local knife crime: 1 draft</a>" in quarter
    listed = client.get(row.group(1).replace("&amp;", "&")).context["cl"].result_list
    assert sorted(f.pk for f in listed) == sorted(f.pk for f in waiting)


def test_the_admin_home_lists_the_releases_due_this_week(client, login_as, publisher):
    login_as("Data entry")
    now = timezone.now()
    soon = ReleaseDate.objects.create(
        measure=MeasureFactory(name="Soon"), publish_at=now + datetime.timedelta(days=2)
    )
    ReleaseDate.objects.create(
        measure=MeasureFactory(name="Next month"), publish_at=now + datetime.timedelta(days=30)
    )
    ReleaseDate.objects.create(
        measure=MeasureFactory(name="Missed"), publish_at=now - datetime.timedelta(minutes=5)
    )
    figure = draft(measure=soon.measure)
    schedule_figures(expected_versions=seen(figure), publish_at=soon.publish_at, user=publisher)
    page = client.get(reverse("admin:index")).content.decode()
    week = page[page.index("Releases due this week") :]
    assert "Soon, 1 figure scheduled" in week
    assert "Next month" not in week
    assert "Missed" in week and "Overdue" in week


def test_the_admin_home_shows_nothing_waiting_to_staff_without_figures(client, login_as):
    login_as("staff")
    draft()
    page = client.get(reverse("admin:index")).content.decode()
    assert "Drafts waiting" not in page and "Releases due this week" not in page


# An official import saved as drafts -----------------------------------------


def test_an_official_import_saved_as_drafts_is_reviewed_and_scheduled_with_its_source(
    client, login_as
):
    from official.models import ChangeKind, FigureChange, Recipe, Release, Source

    user = login_as("Publisher")
    measure = MeasureFactory()
    Recipe.objects.create(measure=measure, source=Source.ONS_PFA, ons_table="Table P8")
    imported = [draft(measure=measure) for _ in range(2)]
    other = draft(measure=measure)
    release = Release.objects.create(
        source=Source.ONS_PFA,
        file_name="pfa.xlsx",
        checksum="0" * 64,
        release_date=datetime.date(2026, 11, 20),
        imported_by=user,
    )
    for figure in imported:
        FigureChange.objects.create(
            release=release, figure=figure, kind=ChangeKind.ADDED, new_value=figure.value
        )
    day = next_weekday()
    announced = ReleaseDate.objects.create(source=Source.ONS_PFA, publish_at=at_uk_time(day))

    releases = client.get(reverse("admin:official_release_changelist")).content.decode()
    link = f"{CHANGELIST}?official_release={release.pk}&amp;status__exact=draft"
    assert f'<a href="{link}">Review and schedule</a>' in releases
    listed = client.get(link.replace("&amp;", "&")).context["cl"].result_list
    assert sorted(f.pk for f in listed) == sorted(f.pk for f in imported)
    assert not client.get(CHANGELIST, {"official_release": "x"}).context["cl"].result_list

    confirm(client, imported, day=day.isoformat(), time="09:30")
    assert set(announced.figures.values_list("figure", flat=True)) == {f.pk for f in imported}
    assert ReleaseDate.objects.count() == 1  # the source's release, not one per measure
    assert not ScheduledFigure.objects.filter(figure=other).exists()


def test_the_figures_of_a_cancelled_release_are_no_longer_marked_scheduled(
    client, login_as, publisher
):
    login_as("Data entry")
    figure = draft()
    schedule_figures(
        expected_versions=seen(figure), publish_at=next_release_time(timezone.now()), user=publisher
    )
    ReleaseDate.objects.update(status=ReleaseStatus.CANCELLED, reason="Withdrawn.")
    assert "scheduled for" not in client.get(CHANGELIST).content.decode()
    assert not client.get(CHANGELIST, {"scheduled": "yes"}).context["cl"].result_list
    home = client.get(reverse("admin:index")).content.decode()
    assert "1 draft</a>, 1 scheduled" not in home and "1 draft</a></li>" in home
