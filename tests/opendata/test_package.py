"""The whole dataset as a zip with a Frictionless Data Package descriptor."""

import datetime
import io
import json
import zipfile

import frictionless
import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import DataSource, Figure
from opendata.columns import (
    COMPARISON_COLUMNS,
    FIGURE_COLUMNS,
    MAPPING_COLUMNS,
    MEASURE_COLUMNS,
    names,
)
from opendata.datapackage import descriptor

from ..factories import FigureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(client, demo):
    FigureFactory(
        measure__slug="tricky",
        area__slug="tricky-area",
        note='=HYPERLINK("http://evil.example","x"), and "quotes"\nover two lines',
    )
    response = client.get(reverse("opendata:package"))
    assert response.status_code == 200
    return response


def unpack(response, tmp_path):
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
        return sorted(archive.namelist())


def test_the_zip_holds_the_csv_files_and_the_descriptor(package, tmp_path):
    today = timezone.localdate().isoformat()
    assert package["Content-Type"] == "application/zip"
    assert package["Content-Disposition"] == (
        f'attachment; filename="policing-measures-data-{today}.zip"'
    )
    assert unpack(package, tmp_path) == [
        "comparisons.csv",
        "datapackage.json",
        "figures.csv",
        "mapping.csv",
        "measures.csv",
    ]
    figures = (tmp_path / "figures.csv").read_text(encoding="utf-8")
    lines = figures.splitlines()
    assert lines[0] == ",".join(names(FIGURE_COLUMNS))


def test_the_figures_in_the_zip_are_the_public_download(client, package, tmp_path):
    unpack(package, tmp_path)
    download = b"".join(client.get(reverse("opendata:figures-csv")).streaming_content)
    assert (tmp_path / "figures.csv").read_bytes() == download
    assert (
        download.count(b"\nhomicides,")
        == Figure.objects.published().filter(measure__slug="homicides").count()
    )


def test_the_data_package_validates(package, tmp_path):
    unpack(package, tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_descriptor_describes_every_column_and_says_where_and_under_what_licence(
    package, tmp_path
):
    unpack(package, tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["title"] == "Open Government Licence v3.0"
    assert "open-government-licence/version/3" in descriptor["licenses"][0]["path"]
    created = datetime.datetime.fromisoformat(descriptor["created"])
    assert abs(timezone.now() - created) < datetime.timedelta(minutes=5)
    assert {s["title"] for s in descriptor["sources"]} == set(
        DataSource.objects.values_list("name", flat=True)
    )
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == {"figures", "measures", "mapping", "comparisons"}
    for resource in resources.values():
        assert resource["title"]
        for field in resource["schema"]["fields"]:
            assert field["title"], field
            assert field["type"], field


def test_the_schemas_list_the_files_columns_in_order(db):
    resources = {r["name"]: r for r in descriptor(created=timezone.now())["resources"]}
    for name, columns in (
        ("figures", FIGURE_COLUMNS),
        ("mapping", MAPPING_COLUMNS),
        ("measures", MEASURE_COLUMNS),
        ("comparisons", COMPARISON_COLUMNS),
    ):
        assert [f["name"] for f in resources[name]["schema"]["fields"]] == list(names(columns))


def test_a_broken_file_would_not_validate(package, tmp_path):
    """The validation can fail: a value that is not a number is caught."""
    unpack(package, tmp_path)
    path = tmp_path / "figures.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    cells[names(FIGURE_COLUMNS).index("value")] = "twelve"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert ["type-error"] in report.flatten(["type"])
