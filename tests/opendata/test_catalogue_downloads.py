"""The mapping (/data/mapping.csv) and the measures catalogue (/data/measures.csv)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure
from opendata.columns import MAPPING_COLUMNS as MAPPING
from opendata.columns import MEASURE_COLUMNS as MEASURES
from opendata.columns import names
from plan.models import Contribution

from ..factories import ContributionFactory, LocalOutcomeFactory, MeasureFactory, PlanFactory
from .helpers import BOM, content, csv_header, csv_rows

MAPPING_COLUMNS = names(MAPPING)
MEASURE_COLUMNS = names(MEASURES)

pytestmark = pytest.mark.django_db


def test_the_mapping_has_every_contribution(client, demo):
    response = client.get(reverse("opendata:mapping-csv"))
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="mapping-{today}.csv"'
    assert csv_header(response) == list(MAPPING_COLUMNS)
    rows = csv_rows(response)
    # 20 to the 2021 measures, 3 to the Neighbourhood Policing Guarantee.
    assert len(rows) == Contribution.objects.count() == 23
    drugs = next(
        r
        for r in rows
        if r["local_outcome"] == "reducing-the-impact-of-drugs"
        and r["measure"] == "police-referrals-into-drug-treatment"
    )
    assert drugs["plan"] == "police-and-crime-plan-2021-2025"
    assert drugs["plan_title"] == "Police and Crime Plan for Humberside"
    assert drugs["local_outcome_title"] == "Reducing the impact of drugs on our communities"
    assert drugs["measure_name"] == "Police referrals into drug treatment"
    assert drugs["priority_area"] == "Disrupt drugs supply and county lines"
    assert drugs["strength"] == "direct"
    assert drugs["explanation"].startswith("Officers refer people arrested")


def test_the_mapping_keeps_old_plans_and_escapes_formulas(client, demo):
    old = PlanFactory(title="=Old plan", slug="old-plan", first_year=2016, last_year=2020)
    outcome = LocalOutcomeFactory(plan=old, title="+Safer streets", slug="safer-streets")
    ContributionFactory(
        outcome=outcome,
        measure=Measure.objects.get(slug="homicides"),
        explanation="@everyone: it helps",
    )
    rows = csv_rows(client.get(reverse("opendata:mapping-csv")))
    old_rows = [r for r in rows if r["plan"] == "old-plan"]
    assert len(old_rows) == 1
    assert old_rows[0]["plan_title"] == "'=Old plan"
    assert old_rows[0]["local_outcome_title"] == "'+Safer streets"
    assert old_rows[0]["explanation"] == "'@everyone: it helps"
    assert rows[-1]["plan"] == "old-plan"  # newest plan first


def test_the_catalogue_has_every_measure(client, db):
    MeasureFactory(slug="local-indicator", name="A local indicator", priority_area=None)
    response = client.get(reverse("opendata:measures-csv"))
    assert response.status_code == 200
    assert csv_header(response) == list(MEASURE_COLUMNS)
    rows = csv_rows(response)
    # Ten national measures, the two local indicators official/ ships, and this one.
    assert len(rows) == Measure.objects.count() == 13
    homicides = next(r for r in rows if r["measure"] == "homicides")
    assert homicides["name"] == "Homicides"
    assert homicides["kind"] == "national"
    assert homicides["priority_area"] == "Reduce murder and other homicide"
    assert homicides["unit"] == "count"
    assert homicides["direction"] == "down"
    assert homicides["baseline_start"] == "2018-07-01"
    assert homicides["baseline_end"] == "2019-06-30"
    assert homicides["data_source"] == "Police Recorded"
    assert homicides["update_frequency"] == "quarterly"
    assert homicides["definition"]
    local = next(r for r in rows if r["measure"] == "local-indicator")
    assert local["priority_area"] == ""


def test_the_catalogue_for_excel(client, db):
    plain = content(client.get(reverse("opendata:measures-csv")))
    excel = content(client.get(reverse("opendata:measures-csv"), {"excel": "1"}))
    assert excel == BOM + plain
