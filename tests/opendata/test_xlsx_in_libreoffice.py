"""The figures workbook opened in LibreOffice Calc and saved again, read
back: the headers as on the page, every letter intact, numbers as numbers,
dates as dates, yes/no as booleans, a formula-like note kept as the text it
is, and a sheet that states the source, the licence and when."""

import datetime

import pytest

from opendata.columns import READABLE_FIGURE_COLUMNS, labels

from .helpers import CAFE, FORMULA
from .libreoffice import boolean, resaved_download

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db]


@pytest.fixture(scope="module")
def workbook(django_db_setup, django_db_blocker, tmp_path_factory):
    """The workbook of a few awkward figures, as LibreOffice read it."""
    folder = tmp_path_factory.mktemp("xlsx-in-libreoffice")
    return resaved_download("opendata:figures-xlsx", "figures.xlsx", folder, django_db_blocker)


@pytest.fixture
def rows(workbook) -> list[dict]:
    header, *body = workbook["Figures"]
    return [dict(zip([cell.value for cell in header], row, strict=True)) for row in body]


def ending(rows, day: datetime.date) -> dict:
    end = datetime.datetime.combine(day, datetime.time())
    return next(row for row in rows if row["Period end"].value == end)


def test_a_sheet_of_figures_then_one_about_them(workbook):
    assert list(workbook) == ["Figures", "About"]
    assert tuple(cell.value for cell in workbook["Figures"][0]) == labels(READABLE_FIGURE_COLUMNS)


def test_letters_beyond_ascii_arrive_intact(rows):
    baseline = ending(rows, datetime.date(2019, 6, 30))
    assert baseline["Note"].value == CAFE
    assert baseline["Area"].value == "Ynys Môn"
    assert baseline["Measure"].value == "Burglaries — all kinds"


def test_numbers_dates_and_yes_no_keep_their_types(rows):
    latest = ending(rows, datetime.date(2024, 3, 31))
    assert latest["Period start"].is_date
    assert latest["Period start"].value == datetime.datetime(2023, 4, 1)
    assert (latest["Value"].data_type, latest["Value"].value) == ("n", 90.5)
    assert (latest["Change"].data_type, latest["Change"].value) == ("n", -9.5)
    assert boolean(latest["Provisional"]) is True
    survey = next(row for row in rows if row["Unit"].value == "Percentage")
    assert (survey["Lower bound"].value, survey["Upper bound"].value) == (60.1, 68.4)
    assert boolean(survey["Series break"]) is True
    # A text that looks like a number stays the text it is.
    assert (survey["Note"].data_type, survey["Note"].value) == ("s", "-5")


def test_a_formula_like_note_is_its_text_with_no_guard_and_never_runs(rows):
    note = ending(rows, datetime.date(2024, 3, 31))["Note"]
    assert (note.data_type, note.value) == ("s", FORMULA)


def test_the_about_sheet_states_source_licence_and_when(workbook):
    about = {row[0].value: row[1].value for row in workbook["About"] if row[0].value}
    assert about["Licence"].startswith("Open Government Licence v3.0")
    assert isinstance(about["Figures as at"], datetime.datetime)
    assert about["Source"].endswith("/data/")
    assert about["Figures in this file"] == 3  # the draft is not among them
