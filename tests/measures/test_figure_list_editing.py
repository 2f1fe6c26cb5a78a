"""Quick corrections in the figure list: through the same service and the same
lost-update check as the figure form."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Figure, PublicationStatus
from tests.factories import FigureFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:measures_figure_changelist")


def list_post_data(client, changes, url=CHANGELIST):
    """The figure list's form as the browser would submit it, with ``changes``."""
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "_save": "Save",
    }
    html = page.content.decode()
    for index, form in enumerate(formset.forms):
        prefix = f"form-{index}-"
        data[prefix + "id"] = str(form.instance.pk)
        version = re.search(rf'name="{prefix}expected_version" value="(\d+)"', html)
        if version:
            data[prefix + "expected_version"] = version.group(1)
        for name in ("value", "lower", "upper"):
            value = getattr(form.instance, name)
            data[prefix + name] = "" if value is None else str(value)
        for name in ("provisional", "series_break"):
            if getattr(form.instance, name):
                data[prefix + name] = "on"
        for name, value in changes.get(form.instance.pk, {}).items():
            data[prefix + name] = value
    return data


def test_a_draft_can_be_corrected_in_the_list(client, login_as):
    user = login_as("Data entry")
    figure = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("10"))
    response = client.post(CHANGELIST, list_post_data(client, {figure.pk: {"value": "12"}}))
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.value == Decimal("12")
    assert figure.version == 2
    assert figure.updated_by == user


def test_the_second_of_two_concurrent_list_edits_is_refused_with_the_first_shown(client, login_as):
    login_as("Publisher")
    figure = FigureFactory(status=PublicationStatus.DRAFT, value=Decimal("10"))
    stale = list_post_data(client, {figure.pk: {"value": "11"}})

    # Someone else saves the figure in between.
    other = Figure.objects.get(pk=figure.pk)
    other.value = Decimal("14")
    other.version += 1
    other.save()

    response = client.post(CHANGELIST, stale)
    assert response.status_code == 200
    assert "Someone else changed this figure" in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == Decimal("14")


def test_data_entry_cannot_change_a_published_figure_in_the_list(client, login_as):
    login_as("Data entry")
    figure = FigureFactory(status=PublicationStatus.PUBLISHED, value=Decimal("10"))
    client.post(CHANGELIST, list_post_data(client, {figure.pk: {"value": "99"}}))
    figure.refresh_from_db()
    assert figure.value == Decimal("10")


def test_a_publisher_correcting_a_published_value_is_sent_to_the_figure_for_a_reason(
    client, login_as
):
    """A public revision needs a reason, which the list has no room for."""
    login_as("Publisher")
    figure = FigureFactory(status=PublicationStatus.PUBLISHED, value=Decimal("10"))
    response = client.post(CHANGELIST, list_post_data(client, {figure.pk: {"value": "11"}}))
    assert response.status_code == 200
    assert "open the figure and change it there" in response.content.decode()
    figure.refresh_from_db()
    assert (figure.value, figure.revised_at) == (Decimal("10"), None)
