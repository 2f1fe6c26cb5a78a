"""The admin answers 400 in words, not 500, to parameters Django's admin
would fail on: a filter number past 64 bits, a NUL byte, an empty
``_to_field``.

A number past 64 bits reaches the database only on SQLite, whose driver
cannot send it (the 400). On PostgreSQL, Django itself turns an integer
lookup out of the column's range into an empty result, so the list is empty
and the form says the choice is not valid: a 200 that shows nothing and
saves nothing, which is as good an answer.
"""

import pytest
from django.db import connection
from django.urls import reverse

from ..factories import FigureFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize("query", [f"measure={HUGE}", f"area__exact={HUGE}"])
def test_a_filter_number_no_column_holds_is_a_400(admin_client, query):
    FigureFactory()
    response = admin_client.get(reverse("admin:measures_figure_changelist") + "?" + query)
    if connection.vendor == "sqlite":
        assert response.status_code == 400
        assert "out of range" in response.content.decode()
    else:
        assert response.status_code == 200
        assert response.context_data["cl"].result_count == 0


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "%00=1"])
def test_a_nul_byte_is_a_400(admin_client, query):
    response = admin_client.get(reverse("admin:measures_measure_changelist") + "?" + query)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("view", ["change", "delete"])
def test_an_empty_to_field_is_a_400(admin_client, view):
    figure = FigureFactory()
    url = reverse(f"admin:measures_figure_{view}", args=[figure.pk])
    response = admin_client.get(url + "?_to_field=")
    assert response.status_code == 400


def test_a_good_filter_still_filters(admin_client):
    figure = FigureFactory()
    url = reverse("admin:measures_figure_changelist")
    response = admin_client.get(f"{url}?area__id__exact={figure.area_id}")
    assert response.status_code == 200
    assert str(figure.measure) in response.content.decode()


def test_a_choice_number_no_column_holds_is_a_400_and_saves_nothing(admin_client):
    from django.contrib.auth.models import Group

    response = admin_client.post(
        reverse("admin:auth_group_add"), {"name": "Reviewers", "permissions": [HUGE]}
    )
    if connection.vendor == "sqlite":
        assert response.status_code == 400
        assert "nothing was saved" in response.content.decode()
    else:
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not Group.objects.filter(name="Reviewers").exists()


def test_a_figure_form_with_a_huge_measure_is_a_400_and_saves_nothing(admin_client):
    from measures.models import Figure

    figure = FigureFactory()
    before = Figure.objects.count()
    response = admin_client.post(
        reverse("admin:measures_figure_add"),
        {
            "measure": HUGE,
            "area": figure.area_id,
            "period_start": "2024-04-01",
            "period_end": "2025-03-31",
            "value": "12",
        },
    )
    assert response.status_code in (200, 400)  # a form error in words, or the 400
    assert Figure.objects.count() == before
