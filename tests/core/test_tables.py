"""One pager for every table: whatever ``page`` and ``per_page`` say, a page
of at most ``MOST_PER_PAGE`` rows, never an error and never every row."""

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.tables import MOST_PER_PAGE, PER_PAGE, paginate
from measures.models import Area, Figure, Measure, PublicationStatus
from pages.tables import MeasureFigureTable

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000  # more digits than Python turns into a number

# (per_page, page) asked → (rows on the page, page number shown), of ROWS rows
ROWS = 620
CASES = [
    ({}, (PER_PAGE, 1)),
    ({"per_page": "-1"}, (1, 1)),
    ({"per_page": "0"}, (1, 1)),
    ({"per_page": "7"}, (7, 1)),
    ({"per_page": "100000"}, (MOST_PER_PAGE, 1)),
    ({"per_page": "1" + "0" * 30}, (MOST_PER_PAGE, 1)),
    ({"per_page": HUGE}, (PER_PAGE, 1)),
    ({"per_page": "abc"}, (PER_PAGE, 1)),
    ({"per_page": "1e3"}, (PER_PAGE, 1)),
    ({"per_page": ""}, (PER_PAGE, 1)),
    ({"per_page": "\x00"}, (PER_PAGE, 1)),
    ({"page": "2"}, (PER_PAGE, 2)),
    ({"page": "-1"}, (ROWS % PER_PAGE, 13)),
    ({"page": "0"}, (ROWS % PER_PAGE, 13)),
    ({"page": "99999999999999999999"}, (ROWS % PER_PAGE, 13)),
    ({"page": HUGE}, (PER_PAGE, 1)),
    ({"page": "x"}, (PER_PAGE, 1)),
    ({"page": "2", "per_page": "500"}, (ROWS - MOST_PER_PAGE, 2)),
]


@pytest.fixture
def many_figures():
    measure = Measure.objects.get(slug="homicides")
    area = Area.objects.get(slug="england-and-wales")
    first = datetime.date(1900, 1, 1)
    Figure.objects.bulk_create(
        Figure(
            measure=measure,
            area=area,
            period_start=first + datetime.timedelta(days=day),
            period_end=first + datetime.timedelta(days=day),
            value=Decimal(day),
            unit=measure.unit,
            status=PublicationStatus.PUBLISHED,
        )
        for day in range(ROWS)
    )
    return measure


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[str(q)[:40] for q, _ in CASES])
def test_the_pager_clamps_every_value(many_figures, query, expected):
    table = MeasureFigureTable(Figure.objects.all(), measure=many_figures)
    paginate(table, RequestFactory().get("/", query))
    assert (len(table.page.object_list), table.page.number) == expected


PAGE_CASES = [CASES[i] for i in (0, 1, 4, 6, 12, 15)]


@pytest.mark.parametrize("name", ["opendata:index", "measure"])
@pytest.mark.parametrize(
    ("query", "expected"), PAGE_CASES, ids=[str(q)[:40] for q, _ in PAGE_CASES]
)
def test_every_table_s_page_uses_the_pager(client, many_figures, name, query, expected):
    url = many_figures.get_absolute_url() if name == "measure" else reverse(name)
    if name == "measure":
        # The measure page's full table; by default it shows the latest periods.
        query = {**query, "periods": "all"}
    page = client.get(url, query)
    assert page.status_code == 200
    table = page.context["table"]
    assert (len(table.page.object_list), table.page.number) == expected


@pytest.mark.parametrize("sort", ["a.b", "-x.y,value", "'.1=", "value.__class__"])
def test_a_sort_that_names_no_column_is_dropped_without_a_warning(many_figures, sort, recwarn):
    table = MeasureFigureTable(Figure.objects.all(), measure=many_figures, order_by=sort)
    kept = [alias for alias in sort.split(",") if alias.removeprefix("-") in table.columns]
    assert list(table.order_by) == kept
    assert [str(w.message) for w in recwarn] == []
