"""An admin change form cannot be made to build a thousand rows: its inlines
take the rows the page drew plus as many as a person adds by hand."""

import re

import pytest
from django.urls import reverse

from core.admin_inlines import ROWS_ADDED_MAX
from measures.models import Figure, Measure
from tests.factories import FigureFactory
from tests.test_catalogue import FormFields

pytestmark = pytest.mark.django_db


def test_a_form_claiming_billions_of_rows_is_refused_having_built_only_a_few(admin_client):
    measure = Measure.objects.get(slug="homicides")
    drafts = FigureFactory.create_batch(2, measure=measure, status="draft")
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    sent, _ = FormFields.largest(admin_client.get(url).content.decode())
    totals = [name for name in sent if name.endswith("-TOTAL_FORMS")]
    assert "figures-TOTAL_FORMS" in totals, totals
    before = Figure.objects.count()
    response = admin_client.post(url, {**sent, "figures-TOTAL_FORMS": "2147483648"})
    text = response.content.decode()
    assert response.status_code == 200
    allowed = len(drafts) + ROWS_ADDED_MAX
    assert f"Please submit at most {allowed} forms." in text
    drawn = {int(n) for n in re.findall(r'name="figures-(\d+)-value"', text)}
    assert max(drawn) == allowed - 1
    assert Figure.objects.count() == before


def test_as_many_rows_as_a_person_adds_are_taken(admin_client):
    measure = Measure.objects.get(slug="homicides")
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    page = admin_client.get(url).content.decode()
    assert f'name="figures-MAX_NUM_FORMS" value="{ROWS_ADDED_MAX}"' in page
    sent, _ = FormFields.largest(page)
    response = admin_client.post(url, {**sent, "figures-TOTAL_FORMS": str(ROWS_ADDED_MAX)})
    assert "Please submit at most" not in response.content.decode()
