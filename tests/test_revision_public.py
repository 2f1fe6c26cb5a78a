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
    # The reason is required: the public reads it beside the revised figure.
    refused = client.post(
        change_url(figure), form_data(figure, value=str(old + 3), reason_for_revision=" ")
    )
    assert refused.status_code == 200
    assert "Say why the published value changes" in refused.content.decode()
    figure.refresh_from_db()
    assert figure.value == old
    response = client.post(
        change_url(figure),
        form_data(
            figure, value=str(old + 3), reason_for_revision="  the force corrected a recount "
        ),
    )
    assert response.status_code == 302
    client.logout()

    page = client.get(reverse("pages:measure-detail", args=["homicides"])).content.decode()
    today = timezone.localdate()
    assert (
        f"Revised {today.day} {today:%B %Y}; previously {old:.0f}: the force corrected a recount"
        in page
    )
    figure.refresh_from_db()
    assert figure.value == old + Decimal(3)
    assert figure.history.filter(value=old).exists()


def test_the_admin_says_the_revision_in_the_public_words(client, login_as, demo):
    """The figure list's revision column reads as the public pages do, the
    previous value in the measure's unit and decimal places (not 40.1000)."""
    figure = Figure.objects.published().filter(measure__unit="percentage").first()
    old = figure.value
    login_as("Publisher")
    client.post(
        change_url(figure), form_data(figure, value=str(old + 1), reason_for_revision="recounted")
    )
    query = f"?measure__id__exact={figure.measure_id}&area__id__exact={figure.area_id}"
    page = client.get(reverse("admin:measures_figure_changelist") + query).content.decode()
    today = timezone.localdate()
    places = figure.measure.decimal_places
    assert f"Revised {today.day} {today:%B %Y}; previously {old:.{places}f}%: recounted" in page


def test_a_revision_in_the_figure_list_is_sent_to_the_figure_page_for_its_reason(
    client, login_as, demo
):
    from .measures.test_figure_list_editing import list_post_data

    login_as("Publisher")
    figure = Figure.objects.published().filter(measure__slug="homicides").first()
    query = f"?measure__id__exact={figure.measure_id}&area__id__exact={figure.area_id}"
    url = reverse("admin:measures_figure_changelist") + query
    page = client.get(url)
    assert page.status_code == 200
    data = list_post_data(client, {figure.pk: {"value": str(figure.value + 1)}}, url=url)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "needs a reason, shown to the public: open the figure" in response.content.decode()
    assert Figure.objects.get(pk=figure.pk).value == figure.value


def test_a_job_and_an_official_release_need_no_reason(demo):
    from measures.services import save_figure

    figure = Figure.objects.published().filter(measure__slug="homicides").first()
    figure.value += 1
    save_figure(figure=figure, user=None, expected_version=figure.version)
    figure.refresh_from_db()
    assert figure.revised_at is not None and figure.revision_reason == ""
