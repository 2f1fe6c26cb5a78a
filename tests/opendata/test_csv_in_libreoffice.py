"""The readable figures CSV opened in LibreOffice Calc, as a person would open
it, and saved again as a workbook to read back: the headers as on the page,
every letter intact, numbers, dates and yes/no as such, and a formula that
stays an inert text."""

import datetime

import pytest

from opendata.columns import READABLE_FIGURE_COLUMNS, labels

from .helpers import APOSTROPHE, CAFE, FORMULA
from .libreoffice import CSV_IMPORT, boolean, resaved_download

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db]


@pytest.fixture(scope="module")
def cells(django_db_setup, django_db_blocker, tmp_path_factory):
    """The readable CSV of a few awkward figures, as LibreOffice read it."""
    folder = tmp_path_factory.mktemp("csv-in-libreoffice")
    (only,) = resaved_download(
        "opendata:figures-readable-csv",
        "figures-readable.csv",
        folder,
        django_db_blocker,
        infilter=CSV_IMPORT,
    ).values()
    return only


def rows(cells) -> list[dict]:
    header = [cell.value for cell in cells[0]]
    return [dict(zip(header, row, strict=True)) for row in cells[1:]]


def ending(cells, day: datetime.date) -> dict:
    end = datetime.datetime.combine(day, datetime.time())
    return next(row for row in rows(cells) if row["Period end"].value == end)


def test_the_headers_read_as_on_the_page_from_the_first_cell(cells):
    assert cells[0][0].value == "Measure"  # no byte order mark read as "ï»¿"
    assert tuple(cell.value for cell in cells[0]) == labels(READABLE_FIGURE_COLUMNS)


def test_letters_beyond_ascii_arrive_intact(cells):
    baseline = ending(cells, datetime.date(2019, 6, 30))
    assert baseline["Note"].value == CAFE
    assert baseline["Area"].value == "Ynys Môn"
    assert baseline["Measure"].value == "Burglaries — all kinds"


def test_numbers_dates_and_yes_no_keep_their_types(cells):
    latest = ending(cells, datetime.date(2024, 3, 31))
    assert latest["Period start"].is_date
    assert latest["Period start"].value == datetime.datetime(2023, 4, 1)
    assert (latest["Value"].data_type, latest["Value"].value) == ("n", 90.5)
    assert (latest["Change"].data_type, latest["Change"].value) == ("n", -9.5)
    assert latest["Unit"].value == "Count"
    assert boolean(latest["Provisional"]) is True
    assert boolean(latest["Series break"]) is False


def test_a_formula_stays_text_behind_its_guard(cells):
    """A CSV cell cannot say "this is text": the apostrophe keeps the formula
    from running, and shows (the workbook needs none)."""
    note = ending(cells, datetime.date(2024, 3, 31))["Note"]
    assert (note.data_type, note.value) == ("s", APOSTROPHE + FORMULA)


def test_only_published_figures(cells):
    assert len(cells) == 1 + 3  # the header and three figures: the draft is not there
