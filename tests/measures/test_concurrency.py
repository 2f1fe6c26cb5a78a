"""Many people saving the same figures at once, for real, on PostgreSQL.

Through every way in (the figure form, the figure list, bulk entry, the
upload's confirmation, the publish confirmation) 90 people each look at the
figure and save it, several at a time on their own database connections, so
that many look at a version someone else is saving that very moment. Every
answer must be a save or a clear conflict message (no 5xx, no deadlock
answered with a 503), and the figure's history must hold every save that was
reported, each built on the one before: two saves reported from the same
version would mean one silently overwrote the other (a lost update).
"""

import datetime
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse

from measures.models import Figure, PublicationStatus
from tests.factories import AreaFactory, FigureFactory, MeasureFactory, UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PEOPLE = 90
# At once: enough to make every clash happen, few enough connections for a
# database server that other runs share.
AT_ONCE = 12
START, END = datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)
CHANGELIST = reverse("admin:measures_figure_changelist")
CONFLICT = re.compile(
    r"Someone (else changed|added) this figure|Nothing was done: .* changed since"
)


@dataclass
class Person:
    """One member of staff: their own browser, and what they were told."""

    number: int
    client: Client
    shown: dict = field(default_factory=dict)  # what their page showed
    saved: list = field(default_factory=list)  # (figure id, version built on, value)
    conflicts: int = 0


def messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def in_threads(work, people):
    """``work(person)`` for every person, AT_ONCE at a time, each thread on its
    own database connection."""

    def run(person):
        try:
            return work(person)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(AT_ONCE) as pool:
        list(pool.map(run, people))  # re-raises the first failure


def told(response, person, *, saved_when, figure_id=None, based_on=None, value=None):
    """Classify an answer: saved (as reported to the person) or a clear conflict."""
    assert response.status_code < 500, response.content[:2000]
    text = response.content.decode(errors="replace") + " " + messages(response)
    if saved_when(response, text):
        person.saved.append((figure_id, based_on, value))
        return True
    assert CONFLICT.search(text), (response.status_code, text[:3000])
    person.conflicts += 1
    return False


def check_no_update_was_lost(figure_id, people, *, first_version=1):
    """Every reported save is in the history, each built on the one before."""
    saves = sorted(
        (based_on, value)
        for person in people
        for saved_id, based_on, value in person.saved
        if saved_id == figure_id
    )
    assert saves, "nobody managed to save"
    based = [based_on for based_on, _ in saves]
    assert based == list(range(first_version, first_version + len(saves))), based
    history = {record.version: record for record in Figure.history.filter(id=figure_id)}
    for based_on, value in saves:
        record = history[based_on + 1]
        if value == "published":
            assert record.status == PublicationStatus.PUBLISHED
            assert record.value == history[based_on].value  # the value shown
        else:
            assert record.value == Decimal(value), (based_on, value, record.value)
    figure = Figure.objects.get(pk=figure_id)
    assert figure.version == first_version + len(saves)
    return saves


def signed_in(user) -> Client:
    """A browser with a session of its own for ``user`` (a row, not a sign-in:
    signing in ninety times would cost more than the saves under test)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@pytest.fixture
def people():
    users = [UserFactory(username=f"staff{n}", is_staff=True, is_superuser=True) for n in range(3)]
    return [Person(n, client=signed_in(users[n % 3])) for n in range(PEOPLE)]


def all_at_once(people, look, save):
    """Each person looks at the figure, then saves; AT_ONCE people at a time."""

    def look_then_save(person):
        look(person)
        save(person)

    in_threads(look_then_save, people)
    assert sum(person.conflicts for person in people) > 0  # it really was a race


def version_of(figure_id) -> int:
    """The version a page opened now would carry."""
    return Figure.objects.values_list("version", flat=True).get(pk=figure_id)


def form_data(figure, value, version):
    return {
        "measure": figure.measure_id,
        "area": figure.area_id,
        "period_start": figure.period_start.isoformat(),
        "period_end": figure.period_end.isoformat(),
        "value": value,
        "expected_version": version,
    }


def test_the_figure_form(people):
    figure = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("0"))
    url = reverse("admin:measures_figure_change", args=[figure.pk])

    def look(person):
        person.shown = {"version": version_of(figure.pk)}

    def save(person):
        value, version = str(100 + person.number), person.shown["version"]
        response = person.client.post(url, form_data(figure, value, version))
        told(
            response,
            person,
            saved_when=lambda r, text: r.status_code == 302 and "was changed successfully" in text,
            figure_id=figure.pk,
            based_on=version,
            value=value,
        )

    all_at_once(people, look, save)
    check_no_update_was_lost(figure.pk, people)


def test_the_figure_list(people):
    figures = [FigureFactory(status=PublicationStatus.DRAFT, value=Decimal(n)) for n in range(3)]
    target = figures[1]

    def look(person):
        person.shown = {"version": version_of(target.pk)}

    def save(person):
        value, version = str(100 + person.number), person.shown["version"]
        # The list's form with the row this person changed.
        data = {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(target.pk),
            "form-0-value": value,
            "form-0-expected_version": str(version),
            "_save": "Save",
        }
        response = person.client.post(CHANGELIST, data)
        told(
            response,
            person,
            saved_when=lambda r, text: r.status_code == 302 and "was changed successfully" in text,
            figure_id=target.pk,
            based_on=version,
            value=value,
        )

    all_at_once(people, look, save)
    check_no_update_was_lost(target.pk, people)
    for untouched in (figures[0], figures[2]):
        assert version_of(untouched.pk) == 1


def test_bulk_entry_of_a_figure_nobody_has_entered_yet(people):
    measure = MeasureFactory()
    area = AreaFactory()
    url = (
        reverse("admin:measures_figure_bulk_entry")
        + f"?area={area.pk}&period_start={START}&period_end={END}"
    )
    prefix = f"m{measure.pk}"

    def figure_now():
        return Figure.objects.filter(measure=measure, area=area).first()

    def look(person):
        figure = figure_now()
        person.shown = {"version": figure.version if figure else 0}

    def save(person):
        value, version = str(100 + person.number), person.shown["version"]
        response = person.client.post(url, {f"{prefix}-value": value, f"{prefix}-version": version})
        figure = figure_now()
        told(
            response,
            person,
            saved_when=lambda r, text: r.status_code == 302 and "Saved 1 figure" in text,
            figure_id=figure.pk if figure else None,
            based_on=version,
            value=value,
        )

    all_at_once(people, look, save)
    saves = check_no_update_was_lost(figure_now().pk, people, first_version=0)
    assert saves[0][0] == 0  # exactly one person added it


def test_the_upload_confirmation(people):
    measure = MeasureFactory(slug="upload-race")
    area = AreaFactory(slug="upload-area")
    upload_url = reverse("admin:measures_figure_upload")
    confirm_url = reverse("admin:measures_figure_upload_confirm")

    def look(person):
        value = str(100 + person.number)
        data = (
            "measure,area,period_start,period_end,value\n"
            f"upload-race,upload-area,{START},{END},{value}\n"
        ).encode()
        preview = person.client.post(
            upload_url, {"file": SimpleUploadedFile("figures.csv", data, "text/csv")}
        )
        assert preview.status_code == 200
        stored = person.client.session["figure_upload"]
        person.shown = {
            "token": stored["token"],
            "version": int(stored["versions"]["2"]),  # line 2's figure, as previewed
            "value": value,
        }

    def save(person):
        response = person.client.post(confirm_url, {"token": person.shown["token"]})
        figure = Figure.objects.filter(measure=measure, area=area).first()
        told(
            response,
            person,
            saved_when=lambda r, text: r.status_code == 302 and "Saved." in text,
            figure_id=figure.pk if figure else None,
            based_on=person.shown["version"],
            value=person.shown["value"],
        )

    all_at_once(people, look, save)
    figure = Figure.objects.get(measure=measure, area=area)
    check_no_update_was_lost(figure.pk, people, first_version=0)


def test_publishing_while_others_save_and_add_figures(people):
    """Publishers confirm three drafts while others correct them in the form
    and add figures for the same measures with bulk entry: each publish
    publishes exactly what its page showed, and nobody deadlocks."""
    area = AreaFactory()
    measures = [MeasureFactory() for _ in range(3)]
    # Keys in the opposite order to the list's, so that locking in list
    # order and locking in key order differ.
    drafts = [
        FigureFactory(
            measure=measure, area=area, status=PublicationStatus.DRAFT, value=Decimal("1")
        )
        for measure in reversed(measures)
    ]
    ids = [figure.pk for figure in drafts]
    bulk_url = (
        reverse("admin:measures_figure_bulk_entry")
        + f"?area={area.pk}&period_start={START}&period_end={END}"
    )

    def role(person):
        return ("publish", "correct", "add")[person.number % 3]

    def look(person):
        if role(person) == "publish":
            # The confirmation page: it carries the version of every figure it shows.
            page = person.client.post(
                CHANGELIST, {"action": "publish_selected", helpers.ACTION_CHECKBOX_NAME: ids}
            )
            html = page.content.decode()
            versions = dict(re.findall(r'name="(version-\d+)" value="(\d+)"', html))
            person.shown = {"versions": versions, "can_confirm": 'name="confirm"' in html}
        elif role(person) == "correct":
            figure = Figure.objects.get(pk=ids[(person.number // 3) % 3])
            person.shown = {"figure": figure, "version": figure.version}
        else:
            existing = dict(
                Figure.objects.filter(area=area, period_end=END).values_list(
                    "measure_id", "version"
                )
            )
            person.shown = {m.pk: existing.get(m.pk, 0) for m in measures}

    def publish(person):
        if not person.shown["can_confirm"]:
            return  # all published already when they looked: nothing to confirm
        data = {
            "action": "publish_selected",
            helpers.ACTION_CHECKBOX_NAME: ids,
            "confirm": "yes",
            **person.shown["versions"],
        }
        response = person.client.post(CHANGELIST, data)
        if told(
            response,
            person,
            saved_when=lambda r, text: r.status_code == 302 and "Published" in text,
        ):
            person.saved.pop()
            for key, version in person.shown["versions"].items():
                figure_id, version = int(key.removeprefix("version-")), int(version)
                shown = Figure.history.get(id=figure_id, version=version)
                if shown.status == PublicationStatus.DRAFT:  # so this publish bumped it
                    person.saved.append((figure_id, version, "published"))

    def correct(person):
        figure, version = person.shown["figure"], person.shown["version"]
        value = str(100 + person.number)
        # Once a publisher has won the race the figure is public, and changing
        # a public value needs a reason (issue 18): as a person would, give one.
        response = person.client.post(
            reverse("admin:measures_figure_change", args=[figure.pk]),
            {**form_data(figure, value, version), "reason_for_revision": "Recounted."},
        )
        told(
            response,
            person,
            saved_when=lambda r, text: r.status_code == 302 and "successfully" in text,
            figure_id=figure.pk,
            based_on=version,
            value=value,
        )

    def add(person):
        data = {}
        for measure in measures:
            data[f"m{measure.pk}-value"] = str(person.number)
            data[f"m{measure.pk}-version"] = person.shown[measure.pk]
        response = person.client.post(bulk_url, data)
        if told(response, person, saved_when=lambda r, text: r.status_code == 302):
            person.saved.pop()

    def save(person):
        {"publish": publish, "correct": correct, "add": add}[role(person)](person)

    all_at_once(people, look, save)
    for figure_id in ids:
        check_no_update_was_lost(figure_id, people)
    # A publish that came after a correction of what it showed is refused
    # (409), as it must be, so how many win depends on the race. Publishing
    # is not left stuck, though: a publisher who looks now publishes all three.
    drafts_left = list(
        Figure.objects.filter(pk__in=ids, status=PublicationStatus.DRAFT).values_list(
            "pk", flat=True
        )
    )
    publisher = next(person for person in people if role(person) == "publish")
    if drafts_left:
        page = publisher.client.post(
            CHANGELIST, {"action": "publish_selected", helpers.ACTION_CHECKBOX_NAME: drafts_left}
        )
        versions = dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page.content.decode()))
        response = publisher.client.post(
            CHANGELIST,
            {
                "action": "publish_selected",
                helpers.ACTION_CHECKBOX_NAME: drafts_left,
                "confirm": "yes",
                **versions,
            },
        )
        assert response.status_code == 302
    statuses = set(Figure.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == {PublicationStatus.PUBLISHED}
    # The bulk entries: three figures, each saved whole by one entry at a time.
    added = Figure.objects.filter(area=area, period_end=END)
    assert added.count() == 3
    assert len({figure.value for figure in added}) == 1
