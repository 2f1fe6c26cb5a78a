"""The figure admin through its pages: who may do what, publishing with a
confirmation page, unpublishing with a reason, history, and the refusal of a
save based on a figure someone else has changed since."""

import re
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from measures.models import Figure, PublicationStatus
from tests.factories import FigureFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:measures_figure_changelist"
ROLES = ["anonymous", "Data entry", "Publisher", "superuser"]


def change_url(figure):
    return reverse("admin:measures_figure_change", args=[figure.pk])


def form_data(figure, **overrides):
    data = {
        "measure": figure.measure_id,
        "area": figure.area_id,
        "period_start": figure.period_start.isoformat(),
        "period_end": figure.period_end.isoformat(),
        "value": str(figure.value),
        "lower": "" if figure.lower is None else str(figure.lower),
        "upper": "" if figure.upper is None else str(figure.upper),
        "note": figure.note,
        "source_url": figure.source_url,
        "expected_version": str(figure.version),
        # Read only when a published value changes: a public revision needs a reason.
        "reason_for_revision": "a correction",
    }
    data.update(overrides)
    return data


def action(client, name, figures, **extra):
    data = {
        "action": name,
        helpers.ACTION_CHECKBOX_NAME: [f.pk for f in figures],
        **extra,
    }
    return client.post(reverse(CHANGELIST), data)


def shown_versions(page) -> dict[str, str]:
    """The versions a confirmation page carries, as its form sends them back."""
    return dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page.content.decode()))


def confirm(client, name, figures, **extra):
    """Open an action's confirmation page, then confirm it, as a person would."""
    page = action(client, name, figures)
    return action(client, name, figures, confirm="yes", **shown_versions(page), **extra)


@pytest.mark.parametrize(
    "role, allowed",
    [("anonymous", False), ("Data entry", False), ("Publisher", True), ("superuser", True)],
)
def test_publish_action_asks_for_confirmation_then_publishes(client, login_as, role, allowed):
    user = login_as(role)
    figure = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("42"))

    page = action(client, "publish_selected", [figure])
    if not allowed:
        figure.refresh_from_db()
        assert figure.status == PublicationStatus.DRAFT
        if role == "anonymous":
            assert page.status_code == 302 and "/login/" in page["Location"]
        else:
            # Django answers an action the user may not run like an unknown action.
            assert page.status_code in (200, 302)
            assert "publish_selected" not in client.get(reverse(CHANGELIST)).content.decode()
        return
    assert page.status_code == 200
    text = page.content.decode()
    assert "will go public" in text
    assert str(figure.measure) in text and "42" in text
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT  # nothing before the confirmation

    done = confirm(client, "publish_selected", [figure])
    assert done.status_code == 302
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.PUBLISHED
    assert figure.published_by == user
    # In the admin's own log too, under "Recent actions".
    entry = LogEntry.objects.get(object_id=str(figure.pk))
    assert (entry.user, entry.get_change_message()) == (user, "Published.")


@pytest.mark.parametrize(
    "role, allowed", [("Data entry", False), ("Publisher", True), ("superuser", True)]
)
def test_unpublish_action_needs_a_reason(client, login_as, role, allowed):
    login_as(role)
    figure = FigureFactory()
    if not allowed:
        confirm(client, "unpublish_selected", [figure], reason="x")
        figure.refresh_from_db()
        assert figure.is_published
        return
    page = confirm(client, "unpublish_selected", [figure], reason="   ")
    assert page.status_code == 200
    assert "This field is required." in page.content.decode()
    figure.refresh_from_db()
    assert figure.is_published

    confirm(client, "unpublish_selected", [figure], reason="Source withdrew it")
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT
    history = client.get(reverse("admin:measures_figure_history", args=[figure.pk]))
    assert "Unpublished: Source withdrew it" in history.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_delete_is_for_superusers_only(client, login_as, role):
    login_as(role)
    figure = FigureFactory(status=PublicationStatus.DRAFT)
    response = client.post(
        reverse("admin:measures_figure_delete", args=[figure.pk]), {"post": "yes"}
    )
    assert Figure.objects.filter(pk=figure.pk).exists() is (role != "superuser")
    if role in ("Data entry", "Publisher"):
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_who_may_correct_a_draft_and_a_published_figure(client, login_as, role):
    login_as(role)
    draft = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("10"))
    published = FigureFactory(value=Decimal("10"))
    for figure, allowed in (
        (draft, role != "anonymous"),
        (published, role in ("Publisher", "superuser")),
    ):
        client.post(change_url(figure), form_data(figure, value="11"))
        figure.refresh_from_db()
        assert (figure.value == 11) is allowed, (role, figure.status)


def test_data_entry_sees_a_published_figure_read_only(client, login_as):
    login_as("Data entry")
    figure = FigureFactory()
    page = client.get(change_url(figure))
    assert page.status_code == 200
    assert 'name="value"' not in page.content.decode()


def test_a_publishers_correction_is_a_revision_kept_in_the_history(client, login_as):
    login_as("Publisher")
    figure = FigureFactory(value=Decimal("10"))
    response = client.post(change_url(figure), form_data(figure, value="12.5"))
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.is_published
    assert figure.previous_value == 10
    assert figure.revised_at is not None
    history = client.get(reverse("admin:measures_figure_history", args=[figure.pk]))
    text = history.content.decode()
    assert "10.0000" in text and "12.5000" in text
    assert "publisher" in text  # who


def test_the_second_of_two_concurrent_edits_is_refused_with_the_first_change_shown(
    client, login_as
):
    figure = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("10"))
    first, second = client, client.__class__()
    login_as("Data entry")  # on the first
    second.force_login(
        UserFactory(username="other", first_name="Olive", is_staff=True, is_superuser=True)
    )
    # Both open the form at version 1.
    opened = form_data(figure)

    assert second.post(change_url(figure), {**opened, "value": "14"}).status_code == 302
    refused = first.post(change_url(figure), {**opened, "value": "20"})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Someone else changed this figure" in text
    assert "Olive" in text and "10.0000 → 14.0000" in text
    figure.refresh_from_db()
    assert figure.value == 14

    # The form now holds the new version: saving again is a deliberate overwrite.
    form = refused.context["adminform"].form
    assert form.data["expected_version"] == 2
    again = first.post(change_url(figure), {**opened, "value": "20", "expected_version": "2"})
    assert again.status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.version) == (20, 3)


def test_reverting_a_figure_from_its_history_is_refused(admin_client):
    figure = FigureFactory(value=Decimal("10"))
    figure.value = Decimal("11")
    figure.save()
    record = figure.history.last()
    url = reverse("admin:measures_figure_simple_history", args=[figure.pk, record.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, form_data(figure)).status_code == 403
    figure.refresh_from_db()
    assert figure.value == 11


@pytest.mark.parametrize(
    "model, view",
    [
        ("measures_measure", "history"),
        ("plan_localoutcome", "history"),
        ("plan_contribution", "history"),
    ],
)
def test_history_is_visible_from_the_objects_page(admin_client, demo, model, view):
    from django.apps import apps

    app_label, model_name = model.split("_", 1)
    obj = apps.get_model(app_label, model_name).objects.first()
    page = admin_client.get(reverse(f"admin:{model}_change", args=[obj.pk]))
    history_url = reverse(f"admin:{model}_{view}", args=[obj.pk])
    assert history_url in page.content.decode()
    assert admin_client.get(history_url).status_code == 200


def test_data_entry_can_change_an_outcomes_text_and_contributions_but_not_the_plan(
    client, login_as, demo
):
    from plan.models import LocalOutcome, Plan

    login_as("Data entry")
    outcome = LocalOutcome.objects.first()
    assert (
        client.get(reverse("admin:plan_localoutcome_change", args=[outcome.pk])).status_code == 200
    )
    plan = Plan.objects.first()
    page = client.get(reverse("admin:plan_plan_change", args=[plan.pk]))
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()  # view only
    assert client.get(reverse("admin:plan_localoutcome_add")).status_code == 403


def test_the_publish_confirmation_says_which_figures_are_revisions(client, login_as):
    login_as("Publisher")
    new = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("5"))
    corrected = FigureFactory(value=Decimal("10"))
    confirm(client, "unpublish_selected", [corrected], reason="Wrong")
    corrected.refresh_from_db()
    client.post(change_url(corrected), form_data(corrected, value="9"))
    page = action(client, "publish_selected", [new, corrected]).content.decode()
    assert "First publication." in page
    assert "A revision: the public saw 10." in page


def test_the_publish_confirmation_shows_previous_period_change_and_status_warnings_first(
    client, login_as
):
    """Each draft with the previous period's published value, the figure it is
    compared with, the change and the status it will show once published (the
    stored-verdict rules: a baseline published with it counts), warnings first."""
    import datetime

    from tests.factories import AreaFactory, MeasureFactory

    login_as("Publisher")
    measure = MeasureFactory(largest_change=Decimal("50"), tolerance=Decimal("5"))
    area = AreaFactory()

    def figure(start, value, status=PublicationStatus.DRAFT):
        end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
        return FigureFactory(
            measure=measure,
            area=area,
            period_start=start,
            period_end=end,
            value=Decimal(value),
            status=status,
        )

    baseline = figure(measure.baseline_start, "200")  # a draft: published with the others
    figure(datetime.date(2023, 7, 1), "221", status=PublicationStatus.PUBLISHED)
    fine = figure(datetime.date(2024, 7, 1), "180")
    other = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("7"))
    slip = figure(datetime.date(2025, 7, 1), "1800")
    page = action(client, "publish_selected", [baseline, fine, other, slip])
    review = page.context["review"]
    assert review[0].figure == slip  # the warning first
    assert {row.figure for row in review[1:]} == {baseline, fine, other}
    assert not any(row.warnings for row in review[1:])
    by_figure = {row.figure: row for row in review}
    assert by_figure[fine].previous == "12 months to June 2024: 221"
    assert by_figure[fine].comparison == "12 months to June 2019: 200"
    assert by_figure[fine].change == "\u221210.0%"
    assert by_figure[fine].status.label == "Improving"  # down is better, beyond 5%
    assert by_figure[baseline].status.label == "Baseline"
    # The previous period as the public knows it: the draft of 2024/25 is not.
    assert by_figure[slip].previous == "12 months to June 2024: 221"
    html = page.content.decode()
    assert "1 of 4 figures is outside what its measure expects" in html
    # Nothing changed by working out the statuses.
    fine.refresh_from_db()
    assert fine.status == PublicationStatus.DRAFT
    assert fine.verdict != "improving"
