"""A publisher's correction of a published figure shows publicly as a revision."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Figure

from .measures.test_figure_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def test_a_corrected_published_figure_is_shown_as_revised_with_its_previous_value(
    client, login_as, demo
):
    figure = (
        Figure.objects.published()
        .filter(measure__slug="homicides", area__slug="humberside")
        .order_by("-period_end")
        .first()
    )
    old = figure.value
    login_as("Publisher")
    response = client.post(change_url(figure), form_data(figure, value=str(old + 3)))
    assert response.status_code == 302
    client.logout()

    page = client.get(reverse("pages:measure-detail", args=["homicides"])).content.decode()
    today = timezone.localdate()
    assert f"Revised {today.day} {today:%B %Y}; previously {old:.0f}" in page
    figure.refresh_from_db()
    assert figure.value == old + Decimal(3)
    assert figure.history.filter(value=old).exists()


def test_the_admin_says_the_revision_in_the_public_words(client, login_as, demo):
    """The figure list's revision column reads as the public pages do, the
    previous value in the measure's unit and decimal places (not 40.1000)."""
    figure = Figure.objects.published().filter(measure__unit="percentage").first()
    old = figure.value
    login_as("Publisher")
    client.post(change_url(figure), form_data(figure, value=str(old + 1)))
    query = f"?measure__id__exact={figure.measure_id}&area__id__exact={figure.area_id}"
    page = client.get(reverse("admin:measures_figure_changelist") + query).content.decode()
    today = timezone.localdate()
    places = figure.measure.decimal_places
    assert f"Revised {today.day} {today:%B %Y}; previously {old:.{places}f}%" in page
