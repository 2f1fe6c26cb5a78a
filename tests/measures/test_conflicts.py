"""Two people at once, one step at a time: every screen that writes figures
answers a clash with a clear message, never a server error, and never saves
over a change its user did not see.

Each race is played in order here (someone else's save lands between this
request's check and its write); ``test_concurrency`` runs the same paths
really at once, on PostgreSQL.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse

from measures import admin_views, services
from measures.forms import FigureListForm
from measures.models import Area, Figure, Measure, PublicationStatus
from measures.services import save_figure
from tests.factories import FigureFactory, UserFactory

from .csvfiles import make_csv, row

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:measures_figure_changelist")
ADD = reverse("admin:measures_figure_add")
BULK = reverse("admin:measures_figure_bulk_entry")
START, END = datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)


@pytest.fixture
def colleague():
    return UserFactory(
        username="colleague",
        first_name="Cora",
        last_name="Colleague",
        is_staff=True,
        is_superuser=True,
    )


def homicides(area, **fields):
    return {
        "measure": Measure.objects.get(slug="homicides"),
        "area": area,
        "period_start": START,
        "period_end": END,
        **fields,
    }


@pytest.fixture
def area():
    return Area.objects.get(slug="england-and-wales")


def messages_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def shown_versions(page) -> dict[str, str]:
    return dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page.content.decode()))


def run_action(client, name, figures, **extra):
    data = {"action": name, helpers.ACTION_CHECKBOX_NAME: [f.pk for f in figures], **extra}
    return client.post(CHANGELIST, data)


# Publishing and unpublishing approve exactly what the confirmation showed.


def test_a_publisher_cannot_publish_a_value_they_never_saw(client, login_as, colleague):
    login_as("Publisher")
    figure = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("42.42"))
    page = run_action(client, "publish_selected", [figure])
    assert "42.42" in page.content.decode()

    # Meanwhile data entry changes the draft.
    figure.value = Decimal("99.9")
    save_figure(figure=figure, user=colleague, expected_version=1)

    refused = run_action(
        client, "publish_selected", [figure], confirm="yes", **shown_versions(page)
    )
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Nothing was done" in text
    assert str(figure.measure) in text and "Cora Colleague" in text
    assert "42.4200 → 99.9000" in text
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT

    # The page now shows 99.9 at its new version: confirming it publishes 99.9.
    assert "99.9" in text
    done = run_action(
        client, "publish_selected", [figure], confirm="yes", **shown_versions(refused)
    )
    assert done.status_code == 302
    figure.refresh_from_db()
    assert (figure.status, figure.value) == (PublicationStatus.PUBLISHED, Decimal("99.9"))


def test_a_confirmation_without_versions_publishes_nothing(client, login_as):
    login_as("Publisher")
    figure = FigureFactory(status=PublicationStatus.DRAFT)
    response = run_action(client, "publish_selected", [figure], confirm="yes")
    assert response.status_code == 409
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT


def test_a_figure_unpublished_since_the_confirmation_is_not_published_unseen(
    client, login_as, colleague
):
    """Shown as "already published", then unpublished and changed by someone
    else: confirming must not publish a value the page never showed."""
    login_as("Publisher")
    draft = FigureFactory(status=PublicationStatus.DRAFT)
    public = FigureFactory(value=Decimal("10"))
    page = run_action(client, "publish_selected", [draft, public])
    assert "1 of the selected figures is already published" in page.content.decode()

    public.status = PublicationStatus.DRAFT
    public.value = Decimal("500")
    public.version += 1
    public.save()

    refused = run_action(
        client, "publish_selected", [draft, public], confirm="yes", **shown_versions(page)
    )
    assert refused.status_code == 409
    assert Figure.objects.published().count() == 0


def test_unpublishing_refuses_a_figure_changed_since_the_confirmation(client, login_as, colleague):
    login_as("Publisher")
    figure = FigureFactory(value=Decimal("10"))
    page = run_action(client, "unpublish_selected", [figure])
    figure.value = Decimal("11")
    save_figure(figure=figure, user=colleague, expected_version=1, revision_reason="Recount.")
    refused = run_action(
        client,
        "unpublish_selected",
        [figure],
        confirm="yes",
        reason="Source withdrew it",
        **shown_versions(page),
    )
    assert refused.status_code == 409
    assert "Cora Colleague" in refused.content.decode()
    figure.refresh_from_db()
    assert figure.is_published


# The figure list: a clash after the rows' own check is a message, not a 500.


def test_a_list_edit_that_loses_a_race_gets_a_message_and_saves_nothing(
    client, login_as, colleague, monkeypatch
):
    from tests.measures.test_figure_list_editing import list_post_data

    login_as("Publisher")
    first = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("1"))
    second = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("2"))
    data = list_post_data(client, {first.pk: {"value": "10"}, second.pk: {"value": "20"}})
    real_clean = FigureListForm.clean

    def someone_saves_after_the_check(self):
        cleaned = real_clean(self)
        if self.instance.pk == second.pk:
            theirs = Figure.objects.get(pk=second.pk)
            theirs.value = Decimal("3")
            save_figure(figure=theirs, user=colleague, expected_version=theirs.version)
        return cleaned

    monkeypatch.setattr(FigureListForm, "clean", someone_saves_after_the_check)
    response = client.post(CHANGELIST, data)
    assert response.status_code == 302
    text = messages_of(response)
    assert "Someone else changed this figure" in text and "Nothing in the list was saved" in text
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.value, second.value) == (1, 3)


def test_a_list_row_changed_by_someone_else_but_left_alone_here_is_not_a_clash(
    client, login_as, colleague
):
    from tests.measures.test_figure_list_editing import list_post_data

    login_as("Publisher")
    mine = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("1"))
    theirs = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("2"))
    data = list_post_data(client, {mine.pk: {"value": "10"}})
    # A change the list does not show: their row here is as it was, at an old version.
    theirs.note = "Source footnote added."
    save_figure(figure=theirs, user=colleague, expected_version=1)
    response = client.post(CHANGELIST, data)
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.value, theirs.value, theirs.note) == (10, 2, "Source footnote added.")


def test_a_list_row_without_its_version_is_refused(client, login_as):
    from tests.measures.test_figure_list_editing import list_post_data

    login_as("Publisher")
    figure = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("1"))
    data = list_post_data(client, {figure.pk: {"value": "10"}})
    data = {k: v for k, v in data.items() if not k.endswith("expected_version")}
    response = client.post(CHANGELIST, data)
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == 1


# Adding the same figure twice at once: the later one is told, not a 500.


def test_adding_a_figure_someone_added_meanwhile_gives_a_message(
    client, login_as, area, colleague, monkeypatch
):
    login_as("Data entry")
    # Both forms passed their check while the figure did not exist yet.
    monkeypatch.setattr(Figure, "validate_constraints", lambda self, exclude=None: None)
    save_figure(figure=Figure(**homicides(area, value=Decimal("5"))), user=colleague)
    response = client.post(
        ADD,
        {
            "measure": Measure.objects.get(slug="homicides").pk,
            "area": area.pk,
            "period_start": START.isoformat(),
            "period_end": END.isoformat(),
            "value": "6",
        },
    )
    assert response.status_code == 302
    assert "Someone added this figure" in messages_of(response)
    assert "Cora Colleague" in messages_of(response)
    assert Figure.objects.get(area=area, period_end=END).value == 5


def test_bulk_entry_adding_a_figure_someone_added_meanwhile_gives_a_message(
    client, login_as, area, colleague, monkeypatch
):
    login_as("Data entry")
    url = f"{BULK}?area={area.pk}&period_start={START}&period_end={END}"
    prefix = f"m{Measure.objects.get(slug='homicides').pk}"
    real = admin_views.save_bulk_entry

    def someone_adds_it_first(*, entries, user, **options):
        save_figure(figure=Figure(**homicides(area, value=Decimal("5"))), user=colleague)
        return real(entries=entries, user=user, **options)

    monkeypatch.setattr(admin_views, "save_bulk_entry", someone_adds_it_first)
    page = client.post(url, {f"{prefix}-value": "6", f"{prefix}-version": "0"})
    assert page.status_code == 200
    assert "Someone added this figure" in page.content.decode()
    assert Figure.objects.get(area=area, period_end=END).value == 5


def test_bulk_entry_does_not_overwrite_a_figure_added_since_the_screen_was_drawn(
    client, login_as, area, colleague
):
    """Two people enter the same new figure: the second is told, not "Saved"."""
    login_as("Data entry")
    url = f"{BULK}?area={area.pk}&period_start={START}&period_end={END}"
    page = client.get(url)
    prefix = f"m{Measure.objects.get(slug='homicides').pk}"
    assert f'name="{prefix}-version" value="0"' in page.content.decode()

    save_figure(figure=Figure(**homicides(area, value=Decimal("5"))), user=colleague)

    refused = client.post(url, {f"{prefix}-value": "6", f"{prefix}-version": "0"})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Someone added this figure" in text and "Cora Colleague" in text
    assert Figure.objects.get(area=area, period_end=END).value == 5


@pytest.mark.parametrize("version", [None, "", "0"])
def test_bulk_entry_without_a_version_cannot_overwrite(client, login_as, area, version):
    login_as("Data entry")
    figure = FigureFactory(**homicides(area, value=Decimal("9")), status=PublicationStatus.DRAFT)
    url = f"{BULK}?area={area.pk}&period_start={START}&period_end={END}"
    prefix = f"m{figure.measure_id}"
    data = {f"{prefix}-value": "10"}
    if version is not None:
        data[f"{prefix}-version"] = version
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Nothing on this screen was saved" in page.content.decode()
    figure.refresh_from_db()
    assert figure.value == 9


def test_an_upload_adding_a_figure_someone_added_meanwhile_is_refused(
    client, login_as, upload, confirm_upload, colleague, monkeypatch
):
    login_as("Data entry")
    preview = upload(make_csv([row(value="6")]))
    real = services.check_rows

    def someone_adds_it_after_the_check(rows, **kwargs):
        result = real(rows, **kwargs)
        save_figure(
            figure=Figure(
                measure=Measure.objects.get(slug="homicides"),
                area=Area.objects.get(slug="england-and-wales"),
                period_start=datetime.date(2023, 4, 1),
                period_end=datetime.date(2024, 3, 31),
                value=Decimal("5"),
            ),
            user=colleague,
        )
        return result

    monkeypatch.setattr(services, "check_rows", someone_adds_it_after_the_check)
    refused = confirm_upload(preview)
    assert refused.status_code == 409
    assert "Someone added this figure" in refused.content.decode()
    assert Figure.objects.get(measure__slug="homicides").value == 5


def test_saving_one_row_of_the_list_leaves_the_others_alone(client, login_as):
    """The rows come back as the page showed them ("2", not "2.0000"): only
    the row changed is saved, so two people editing different rows never clash."""
    from tests.measures.test_figure_list_editing import list_post_data

    login_as("Publisher")
    mine = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("1"))
    other = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("2.5"))
    data = list_post_data(client, {mine.pk: {"value": "10"}})
    html = client.get(CHANGELIST).content.decode()
    for name, shown in re.findall(r'name="(form-\d+-(?:value|lower|upper))" value="([^"]*)"', html):
        if data[name] != "10":
            data[name] = shown
    assert "2.5" in data.values() and "2.5000" not in data.values()
    assert client.post(CHANGELIST, data).status_code == 302
    other.refresh_from_db()
    assert other.version == 1
    assert other.history.count() == 1


def test_a_draft_corrected_under_its_measure_is_checked_against_its_version(
    admin_client, area, colleague
):
    measure = Measure.objects.get(slug="homicides")
    figure = FigureFactory(**homicides(area, value=Decimal("9")), status=PublicationStatus.DRAFT)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    page = admin_client.get(url)
    assert 'name="figures-0-expected_version"' in page.content.decode()
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data.update(
        {
            "priority_area": measure.priority_area_id,
            "data_source": measure.data_source_id,
            "contributions-TOTAL_FORMS": "0",
            "contributions-INITIAL_FORMS": "0",
            "baseline_overrides-TOTAL_FORMS": "0",
            "baseline_overrides-INITIAL_FORMS": "0",
            "figures-TOTAL_FORMS": "1",
            "figures-INITIAL_FORMS": "1",
            "figures-0-id": figure.pk,
            "figures-0-measure": measure.pk,
            "figures-0-area": area.pk,
            "figures-0-period_start": START.isoformat(),
            "figures-0-period_end": END.isoformat(),
            "figures-0-value": "10",
            "figures-0-expected_version": "1",
        }
    )
    theirs = Figure.objects.get(pk=figure.pk)
    theirs.value = Decimal("11")
    save_figure(figure=theirs, user=colleague, expected_version=1)

    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "Someone else changed this figure" in refused.content.decode()
    figure.refresh_from_db()
    assert figure.value == 11

    data["figures-0-expected_version"] = "2"
    assert admin_client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.version) == (10, 3)
