"""The figures for people: the readable CSV and the workbook beside the
upload-format CSV. Their columns, bytes, filters, escaping and bad input;
what a spreadsheet program makes of them is in the *_in_libreoffice tests."""

import io

import openpyxl
import pytest
from django.urls import reverse

from measures.models import Figure
from opendata import workbook as workbook_module
from opendata.columns import READABLE_FIGURE_COLUMNS
from opendata.workbook import CONTENT_TYPE, width

from .helpers import APOSTROPHE, BOM, CAFE, FORMULA, content, csv_rows, people_figures

pytestmark = pytest.mark.django_db

HEADERS = [
    "Measure", "Area", "Period", "Period start", "Period end", "Value", "Unit", "Lower bound",
    "Upper bound", "Provisional", "Series break", "Change", "Change unit", "Status",
    "Statistical method", "p-value", "Comparison period start", "Comparison period end",
    "Comparison value", "National priority area", "Note", "Source",
]  # fmt: skip


@pytest.fixture
def figures():
    return people_figures()


def readable(client, **filters):
    response = client.get(reverse("opendata:figures-readable-csv"), filters)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = content(response)
    assert data.startswith(BOM)
    response._body_for_tests = data[len(BOM) :]
    return csv_rows(response)


def workbook(client, **filters):
    response = client.get(reverse("opendata:figures-xlsx"), filters)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="figures-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    return openpyxl.load_workbook(io.BytesIO(content(response)))


def test_the_readable_csv_reads_from_the_left_with_the_pages_headings(client, figures):
    rows = readable(client)
    assert list(rows[0]) == HEADERS
    latest = next(row for row in rows if row["Period end"] == "2024-03-31")
    assert latest == {
        **latest,
        "Measure": "Burglaries — all kinds",
        "Area": "Ynys Môn",
        "Period start": "2023-04-01",
        "Value": "90.5",
        "Unit": "Count",
        "Provisional": "true",
        "Change": "-9.5",
        "National priority area": "Reduce burglary",
        "Source": "https://example.org/burglary",
    }
    # No slug anywhere: the upload format's file has those.
    assert not {"burglaries", "ynys-mon"} & {value for row in rows for value in row.values()}


def test_the_readable_csv_escapes_formulas_as_every_csv_does(client, figures):
    notes = {row["Period start"]: row["Note"] for row in readable(client)}
    assert notes["2023-04-01"] == APOSTROPHE + FORMULA
    assert notes["2018-07-01"] == CAFE
    upload = csv_rows(client.get(reverse("opendata:figures-csv")))
    assert notes == {row["period_start"]: row["note"] for row in upload}


@pytest.mark.parametrize(
    "filters",
    [{}, {"measure": "satisfaction"}, {"area": "ynys-mon"}, {"period_from": "2024-01-01"}],
    ids=["none", "measure", "area", "period"],
)
def test_the_people_files_hold_the_figures_the_upload_format_holds(client, figures, filters):
    upload = csv_rows(client.get(reverse("opendata:figures-csv"), filters))
    key = [(row["period_start"], row["period_end"], row["value"]) for row in upload]
    text = readable(client, **filters)
    assert [(r["Period start"], r["Period end"], r["Value"]) for r in text] == key
    sheet = workbook(client, **filters)["Figures"]
    assert sheet.max_row == 1 + len(key)
    assert key  # each filter leaves some figures to compare
    assert len(key) < Figure.objects.count()  # never the draft


@pytest.mark.parametrize("name", ["opendata:figures-readable-csv", "opendata:figures-xlsx"])
def test_a_bad_filter_is_a_400_that_says_why(client, figures, name):
    response = client.get(reverse(name), {"period_from": "2024-02-30"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_the_workbook_keeps_each_value_as_what_it_is(client, figures):
    sheet = workbook(client)["Figures"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    rows = [dict(zip(HEADERS, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    latest = next(row for row in rows if row["Period end"].value.year == 2024)
    assert latest["Period start"].is_date
    assert latest["Period start"].number_format == "yyyy-mm-dd"
    assert (latest["Value"].data_type, latest["Value"].value) == ("n", 90.5)
    assert (latest["Provisional"].data_type, latest["Provisional"].value) == ("b", True)
    assert (latest["Note"].data_type, latest["Note"].value) == ("s", FORMULA)
    assert latest["Lower bound"].value is None  # a missing value is an empty cell
    survey = next(row for row in rows if row["Unit"].value == "Percentage")
    assert (survey["Note"].data_type, survey["Note"].value) == ("s", "-5")


def test_the_workbook_is_laid_out_to_read(client, figures):
    book = workbook(client)
    assert book.sheetnames == ["Figures", "About"]
    sheet = book["Figures"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:V4"
    assert sheet[1][0].font.bold
    # Neighbours of one width share one entry, under the first one's letter.
    widths = {
        index: dimension.width
        for dimension in sheet.column_dimensions.values()
        for index in range(dimension.min, dimension.max + 1)
    }
    assert [widths[index] for index in range(1, len(HEADERS) + 1)] == pytest.approx(
        [width(column) for column in READABLE_FIGURE_COLUMNS], abs=1
    )  # spreadsheets add a little padding of their own
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Licence"].startswith("Open Government Licence v3.0")
    assert about["Figures in this file"] == 3
    assert about["Filters"] == "none: every published figure"


def test_the_workbook_of_a_filtered_slice_says_so(client, figures):
    book = workbook(client, measure="satisfaction")
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Filters"] == "measure=satisfaction"
    assert about["Source"] == "http://testserver/data/?measure=satisfaction"
    assert about["Figures in this file"] == 1


def test_the_workbook_of_nothing_is_a_header_and_its_about_sheet(client, db):
    book = workbook(client)
    assert [cell.value for cell in book["Figures"][1]] == HEADERS
    assert book["Figures"].max_row == 1


def test_figures_past_a_sheets_rows_are_left_out_saying_so(client, figures, monkeypatch):
    monkeypatch.setattr(workbook_module, "MAX_ROWS", 3)  # the header and two figures
    book = workbook(client)
    assert book["Figures"].max_row == 3
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Figures in this file"] == 2
    assert about["Not all here"].startswith("More figures than a sheet holds")
