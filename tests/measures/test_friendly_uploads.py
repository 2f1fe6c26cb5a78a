"""Uploads that take what people have: UK dates, measure and area names,
Excel workbooks, thousands separators; and the files a spreadsheet makes that
cannot be read (a NUL byte, a quote left open, UTF-16) refused with what to do."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from measures.imports import UploadError, read_csv
from measures.models import Figure
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

HEADER = "measure,area,period_start,period_end,value\n"


def previewed(response) -> list[Figure]:
    """The figures an upload's preview would save, after checking it has no problem."""
    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok, [str(problem) for problem in result.errors]
    assert response.context["token"]
    return [row.figure for row in result.rows]


def refused_whole(response, words):
    """The file refused before any row is read: the form's message, nothing written."""
    assert response.status_code == 200
    assert not response.context.get("token")
    text = response.content.decode()
    assert words in text, text[:3000]
    assert not Figure.objects.exists()


def test_uk_and_iso_dates_names_in_any_case_and_thousands_separators(login_as, upload):
    login_as("Data entry")
    data = (
        HEADER + 'HOMICIDES,England and Wales,01/04/2023,31/03/2024,"1,234"\n'
        "Homicides,k04000001,2024-04-01,2025-03-31,1234.5\n"
        'homicides,england-and-wales,1/4/2025,31/3/2026,"12,345,678.25"\n'
    ).encode()
    figures = previewed(upload(data))
    assert [(f.measure.slug, f.area.slug) for f in figures] == [
        ("homicides", "england-and-wales")
    ] * 3
    assert [(f.period_start, f.period_end) for f in figures] == [
        (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31)),
        (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
        (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)),
    ]
    assert [f.value for f in figures] == [
        Decimal("1234"),
        Decimal("1234.5"),
        Decimal("12345678.25"),
    ]


@pytest.mark.parametrize(
    "cell, column, words",
    [
        ("period_start=04/31/2024", "period_start", "is not a date"),  # month first: not UK
        ("period_start=31/02/2024", "period_start", "is not a date"),
        ("period_start=2024/04/01", "period_start", "YYYY-MM-DD or DD/MM/YYYY"),
        ('value="1,23"', "value", "commas only between thousands"),
        ('value="1.234,5"', "value", "is not a number"),
        ("measure=Homicide", "measure", "use a measure's name or slug"),
        ("area=Englandshire", "area", "use an area's name, slug or ONS code"),
    ],
)
def test_what_is_still_refused_is_explained(login_as, upload, cell, column, words):
    login_as("Data entry")
    row = {
        "measure": "homicides",
        "area": "england-and-wales",
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
        "value": "5",
    }
    name, value = cell.split("=", 1)
    row[name] = value
    page = upload((HEADER + ",".join(row.values()) + "\n").encode())
    (problem,) = page.context["result"].errors
    assert (problem.line, problem.column) == (2, column)
    assert words in problem.message


def test_a_name_two_areas_share_must_be_given_by_slug(login_as, upload):
    login_as("Data entry")
    AreaFactory(name="Hull", slug="hull-csp")
    AreaFactory(name="HULL", slug="hull-la")
    page = upload((HEADER + "homicides,hull,2023-04-01,2024-03-31,5\n").encode())
    (problem,) = page.context["result"].errors
    assert "More than one area is called “hull”" in problem.message
    assert previewed(upload((HEADER + "homicides,Hull-LA,2023-04-01,2024-03-31,5\n").encode()))


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_an_excel_workbook_is_read_with_its_dates_and_numbers(
    client, login_as, upload, confirm_upload
):
    login_as("Data entry")
    data = workbook(
        [],  # an empty row above the header, as sheets often have
        ["measure", "area", "period_start", "period_end", "value", "provisional"],
        [
            "Homicides",
            "K04000001",
            datetime.date(2023, 4, 1),
            datetime.date(2024, 3, 31),
            570,
            True,
        ],
        ["homicides", "England and Wales", "01/04/2024", "31/03/2025", 565.5, False],
    )
    page = upload(data, name="quarter.xlsx")
    figures = previewed(page)
    assert [(f.period_start, f.value, f.provisional) for f in figures] == [
        (datetime.date(2023, 4, 1), Decimal("570"), True),
        (datetime.date(2024, 4, 1), Decimal("565.5"), False),
    ]
    assert [row.line for row in page.context["result"].rows] == [3, 4]  # the sheet's rows
    assert confirm_upload(page).status_code == 302
    assert Figure.objects.count() == 2


def test_a_bad_row_of_a_workbook_is_named_by_its_row_in_the_sheet(login_as, upload):
    login_as("Data entry")
    data = workbook(
        ["measure", "area", "period_start", "period_end", "value"],
        ["homicides", "england-and-wales", "2023-04-01", "2024-03-31", "lots"],
    )
    (problem,) = upload(data, name="quarter.xlsx").context["result"].errors
    assert (problem.line, problem.column) == (2, "value")
    assert not Figure.objects.exists()


@pytest.mark.parametrize(
    "data, words",
    [
        # Excel's "Unicode Text", with its byte order mark and without.
        (
            (HEADER + "homicides,england-and-wales,2023-04-01,2024-03-31,5\n").encode("utf-16"),
            "UTF-16",
        ),
        (
            (HEADER + "homicides,england-and-wales,2023-04-01,2024-03-31,5\n").encode("utf-16-le"),
            "UTF-16",
        ),
        (
            (HEADER + "homicides,england-and-wales,2023-04-01,2024-03-31,5\x00\n").encode(),
            "a NUL byte",
        ),
        (
            (
                HEADER + 'homicides,england-and-wales,2023-04-01,2024-03-31,"5\n'
                "homicides,england-and-wales,2024-04-01,2025-03-31,6\n"
            ).encode(),
            "opens a quote",
        ),
        (b"PK\x03\x04 not a workbook at all", "a spreadsheet file of a kind"),
    ],
    ids=["utf-16", "utf-16-le", "nul", "open-quote", "other-zip"],
)
def test_files_a_spreadsheet_saved_wrongly_are_refused_with_what_to_do(
    login_as, upload, data, words
):
    login_as("Data entry")
    page = upload(data)
    refused_whole(page, words)
    assert "CSV UTF-8" in page.content.decode()


def test_the_command_reads_the_same_formats():
    rows = read_csv(
        workbook(
            ["measure", "area", "period_start", "period_end", "value"], ["a", "b", "c", "d", 1]
        )
    )
    assert rows[0].cells["value"] == "1"
    with pytest.raises(UploadError, match="UTF-16"):
        read_csv("measure,area\n".encode("utf-16"))


def test_the_upload_page_lists_the_measures_and_areas(client, login_as):
    login_as("Data entry")
    html = client.get(reverse("admin:measures_figure_upload")).content.decode()
    assert "<td>Homicides</td><td><code>homicides</code></td>" in html
    assert (
        "<td>England and Wales</td><td><code>england-and-wales</code></td>"
        "<td><code>K04000001</code></td>"
    ) in html
    assert 'accept=".csv,text/csv,.xlsx,' in html
