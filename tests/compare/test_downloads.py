"""The comparison download: the page's numbers, every force (the missing
listed with why), safe to open in a spreadsheet, and in the data package."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from tests.compare.test_pages import END, PERIOD, START, build
from tests.factories import AreaFactory, FigureFactory

pytestmark = pytest.mark.django_db


def test_csv_has_every_force_with_the_pages_numbers(client):
    measure, _, data = build(8)
    url = reverse("opendata:comparison-csv", args=[measure.slug])
    response = client.get(url, {"period": PERIOD})
    assert response.status_code == 200
    assert "comparison-offences-2023-04-01-to-2024-03-31" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_name = {row["area_name"]: row for row in rows}
    for name, (count, people) in data.items():
        row = by_name[name]
        assert row["value"] == str(count) and row["population"] == str(people)
        assert float(row["rate"]) == pytest.approx(count / people * 1000, abs=5e-5)
        assert row["funnel_998"] in {"above", "within", "below"}
    assert by_name["Force 07"]["not_compared"] == "No figure for this period"
    assert by_name["Force 07"]["rate"] == ""
    # The 43 force areas every install has are listed too, none dropped.
    assert len(rows) == 8 + 43


def test_a_name_that_looks_like_a_formula_is_made_inert(client):
    measure, _, _ = build(4)
    evil = AreaFactory(name="=HYPERLINK(1)", slug="evil")
    FigureFactory(
        measure=measure,
        area=evil,
        period_start=START,
        period_end=END,
        value=5,
    )
    response = client.get(reverse("opendata:comparison-csv", args=[measure.slug]))
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in text


def test_json_is_the_same_rows(client):
    measure, _, data = build(6)
    response = client.get(reverse("opendata:comparison-json", args=[measure.slug]))
    document = json.loads(b"".join(response.streaming_content))
    named = {row["area_name"]: row for row in document["forces"]}
    count, people = data["Force 01"]
    assert named["Force 01"]["population"] == people
    assert named["Force 01"]["rate"] == pytest.approx(count / people * 1000, abs=5e-5)


@pytest.mark.parametrize(
    ("query", "status"),
    [({"period": "yesterday"}, 400), ({"period": "2001-01-01/2001-12-31"}, 404)],
)
def test_bad_periods(client, query, status):
    measure, _, _ = build(4)
    assert (
        client.get(reverse("opendata:comparison-csv", args=[measure.slug]), query).status_code
        == status
    )
    assert client.get(reverse("opendata:comparison-csv", args=["nope"])).status_code == 404


def test_the_data_package_holds_the_comparisons(client):
    measure, _, data = build(5)
    response = client.get(reverse("opendata:package"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(csv.DictReader(io.StringIO(archive.read("comparisons.csv").decode())))
    assert {r["area_name"] for r in rows if r["measure"] == measure.slug} >= set(data)
    descriptor = json.loads(archive.read("datapackage.json"))
    assert "comparisons" in [r["name"] for r in descriptor["resources"]]
