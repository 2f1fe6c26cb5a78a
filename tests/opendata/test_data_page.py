"""The public data page, /data/: how many figures it shows and says it shows,
its pager, its caption, the index that serves its order, and bad query
strings (a 400 or a page, never a 500)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Area, Figure, Measure, PublicationStatus
from opendata import tables
from opendata.tables import about, count_rows

pytestmark = pytest.mark.django_db

URL = "/data/"


def years(count, *, measure, area, first=1950, status=PublicationStatus.PUBLISHED):
    """``count`` yearly figures from ``first`` on, in one insert."""
    return Figure.objects.bulk_create(
        Figure(
            measure=measure,
            area=area,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            value=Decimal(year),
            unit=measure.unit,
            status=status,
        )
        for year in range(first, first + count)
    )


@pytest.fixture
def figures():
    """120 published yearly figures of homicides in England and Wales
    (1950–2069), and a draft that the page must not count."""
    measure = Measure.objects.get(slug="homicides")
    area = Area.objects.get(slug="england-and-wales")
    years(120, measure=measure, area=area)
    years(1, measure=measure, area=area, first=2070, status=PublicationStatus.DRAFT)
    return measure


def page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def count_text(html: str) -> str:
    return re.search(r'<p id="figures-count"[^>]*>([^<]*)</p>', html).group(1)


def caption(html: str) -> str:
    text = re.search(r"<caption[^>]*>(.*?)</caption>", html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", text)


def pager_links(html: str) -> list[tuple[str, str]]:
    """(address, words) of each link in the pager."""
    nav = re.search(r'<nav class="pager".*?</nav>', html, re.S)
    if nav is None:
        return []
    return [
        (href.replace("&amp;", "&"), re.sub(r"<[^>]+>", "", words).strip())
        for href, words in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', nav.group(0), re.S)
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, "Showing 1–50 of 120 figures"),
        ({"page": "2"}, "Showing 51–100 of 120 figures"),
        ({"page": "3"}, "Showing 101–120 of 120 figures"),
        ({"page": "99"}, "Showing 101–120 of 120 figures"),  # clamped to the last
        ({"per_page": "7", "page": "2"}, "Showing 8–14 of 120 figures"),
        ({"period_from": "2069-01-01"}, "Showing 1–1 of 1 figure"),
        ({"period_from": "2100-01-01"}, "No published figures match these filters."),
    ],
)
def test_the_page_says_which_figures_it_shows_of_how_many(client, figures, query, expected):
    assert count_text(page(client, **query)) == expected


def test_the_newest_figures_come_first(client, figures):
    html = page(client)
    labels = re.findall(r"<td >12 months to December (\d{4})", html)
    assert labels[:3] == ["2069", "2068", "2067"]
    assert len(labels) == 50
    assert "2070" not in html.split("<table")[1]  # the draft


def test_the_pager_links_every_nearby_page_and_the_last(client, figures):
    html = page(client, page="2", measure="homicides")
    assert pager_links(html) == [
        ("?page=1&measure=homicides#figures", "Previous page"),
        ("?page=1&measure=homicides#figures", "Page 1"),
        ("?page=2&measure=homicides#figures", "Page 2"),
        ("?page=3&measure=homicides#figures", "Page 3"),
        ("?page=3&measure=homicides#figures", "Next page"),
    ]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in html


def test_the_first_and_last_pages_have_no_link_beyond_them(client, figures):
    first = [words for _, words in pager_links(page(client))]
    last = [words for _, words in pager_links(page(client, page="3"))]
    assert first == ["Page 1", "Page 2", "Page 3", "Next page"]
    assert last == ["Previous page", "Page 1", "Page 2", "Page 3"]


def test_a_long_pager_leaves_out_the_pages_far_away(client, figures):
    html = page(client, per_page="5", page="12")  # 24 pages
    assert [words for _, words in pager_links(html)] == [
        "Previous page",
        "Page 1",
        "Page 10",
        "Page 11",
        "Page 12",
        "Page 13",
        "Page 14",
        "Page 24",
        "Next page",
    ]
    assert html.count('<span class="pager__gap">…</span>') == 2


def test_one_page_has_no_pager(client, figures):
    assert pager_links(page(client, period_from="2060-01-01")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, "Published figures, newest first; page 1 of 3. Select a column heading to sort."),
        (
            {"sort": "period_label", "page": "2"},
            "Published figures, oldest first; page 2 of 3. Select a column heading to sort.",
        ),
        (
            {"sort": "-value"},
            "Published figures, by Value, descending; page 1 of 3. Select a column heading "
            "to sort.",
        ),
        (
            {"measure": "homicides", "period_from": "2060-01-01"},
            "Published figures that match the filters, newest first. Select a column heading "
            "to sort.",
        ),
    ],
)
def test_the_caption_says_what_the_table_holds_and_how_it_is_sorted(
    client, figures, query, expected
):
    assert caption(page(client, **query)) == expected


def test_the_table_is_a_labelled_focusable_region_described_by_its_count(client, figures):
    html = page(client)
    assert (
        '<div class="table-scroll table-scroll--wide data-table-region" role="region" '
        'aria-labelledby="figures-caption" tabindex="0">' in html
    )
    assert 'aria-describedby="figures-count"' in html
    assert '<caption id="figures-caption">' in html


def test_a_figure_s_flags_interval_and_change_share_cells(client):
    measure = Measure.objects.get(slug="homicides")
    area = Area.objects.get(slug="england-and-wales")
    [figure] = years(1, measure=measure, area=area, first=2020)
    Figure.objects.filter(pk=figure.pk).update(
        provisional=True,
        series_break=True,
        lower=Decimal("1900.5"),
        upper=Decimal("2100"),
        change=Decimal("-5.4"),
        change_unit="%",
    )
    html = page(client)
    row = re.search(r"<tr>\s*<th scope=\"row\">Homicides</th>.*?</tr>", html, re.S).group(0)
    assert '<span class="tag">Provisional</span> <span class="tag">Series break</span>' in row
    assert "1900.5 to 2100" in row
    assert "\u22125.4%" in row


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "9" * 400},
        {"page": "\x00"},
        {"per_page": "0"},
        {"per_page": "x"},
        {"per_page": "9" * 400},
        {"sort": "nonsense"},
        {"sort": "-"},
        {"sort": ""},
        {"sort": "value,-nonsense,area_name"},
        {"sort": "interval"},  # a column that cannot be sorted
        {"excel": "1"},
        {"unknown": "x"},
    ],
)
def test_odd_paging_and_sorting_give_a_page(client, figures, query):
    html = page(client, **query)
    assert count_text(html).startswith("Showing ")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"measure": "no-such-measure"}, "Measure: Select a valid choice."),
        ({"area": "x" * 300}, "Area: Select a valid choice."),
        ({"status": "fine"}, "Status: Select a valid choice."),
        ({"period_from": "2024-13-01"}, "Periods ending on or after: Enter a valid date."),
        ({"period_to": "9" * 400}, "Periods ending on or before: Enter a valid date."),
        ({"outcome": "x" * 1000}, "Local outcome: Select a valid choice."),
    ],
)
def test_a_bad_filter_is_a_400_that_says_why(client, figures, query, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_every_filter_field_has_a_label_and_the_downloads_keep_working(client, figures):
    html = page(client, measure="homicides", page="2", sort="-value")
    for name in ("measure", "priority_area", "outcome", "area", "period_from", "period_to"):
        assert f'<label for="id_{name}">' in html
    assert '<option value="homicides" selected>Homicides</option>' in html
    assert 'href="/data/figures.csv?measure=homicides"' in html
    assert 'href="/data/figures-readable.csv?measure=homicides"' in html
    assert 'href="/data/figures.xlsx?measure=homicides"' in html
    assert 'href="/data/figures.json?measure=homicides"' in html
    assert client.get(reverse("opendata:figures-csv"), {"measure": "homicides"}).status_code == 200


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, 0), (7, 7), (99, 99), (10_001, 10_000), (487_312, 490_000), (1_049_999, 1_000_000)],
)
def test_an_estimate_is_rounded_to_two_significant_figures(number, expected):
    assert about(number) == expected


def test_a_count_up_to_the_limit_is_exact(figures, monkeypatch):
    monkeypatch.setattr(tables, "EXACT_UP_TO", 120)
    assert count_rows(Figure.objects.published()) == tables.RowCount(120, exact=True)


@pytest.mark.postgres_only
def test_beyond_the_limit_postgresql_estimates_and_the_page_says_about(
    client, figures, monkeypatch
):
    monkeypatch.setattr(tables, "EXACT_UP_TO", 100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE measures_figure")
    counted = count_rows(Figure.objects.published())
    assert not counted.exact
    assert counted.number >= 101  # never less than what was counted
    html = page(client)
    assert re.fullmatch(r"Showing 1–50 of about [\d,]+ figures", count_text(html))
    assert "the total is the database's estimate" in html
    # With an estimate, the pager names no last page, and the caption no total.
    assert "page 1." in caption(html)
    assert [words for _, words in pager_links(html)][-1] == "Next page"


def test_sqlite_counts_exactly_whatever_the_size(figures, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite has no estimate")
    monkeypatch.setattr(tables, "EXACT_UP_TO", 10)
    assert count_rows(Figure.objects.published()) == tables.RowCount(120, exact=True)


def test_the_page_runs_the_same_queries_past_the_exact_limit(
    client, figures, monkeypatch, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as exact:
        page(client)
    monkeypatch.setattr(tables, "EXACT_UP_TO", 10)
    with CaptureQueriesContext(connection) as beyond:
        page(client)
    assert len(beyond) == len(exact)


# The index, on both databases (the migration made it) ---------------------


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("figure_published_all_newest", ["period_end", "period_start", "id"]),
        ("figure_verdict_newest", ["verdict", "period_end", "period_start", "id"]),
        ("figure_area_newest", ["area_id", "period_end", "period_start", "id"]),
    ],
)
def test_the_migration_made_the_data_page_s_indexes(name, columns):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "measures_figure")
    assert constraints[name]["index"]
    if connection.vendor == "postgresql":
        assert constraints[name]["columns"] == columns
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
            definition = cursor.fetchone()[0]
        assert "period_end DESC, period_start DESC, id)" in definition
        assert "WHERE ((status)::text = 'published'::text)" in definition


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # As PostgreSQL would plan it for a large table: no reading every row
        # and sorting them, if an index can give the order.
        # Statistics of the rows the test made, not whatever the table held
        # when autovacuum last looked: the plan depends on them.
        cursor.execute("ANALYZE measures_figure")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ({}, "figure_published_all_newest"),
        ({"status": "not-enough-data"}, "figure_verdict_newest"),
        ({"area": "england-and-wales"}, "figure_area_newest"),
    ],
)
def test_postgresql_reads_the_first_page_in_order_from_the_index(client, figures, query, index):
    # Other areas' figures with another verdict, so that each filter picks a
    # few rows out of many: then only the filter's own index serves it well.
    measure = Measure.objects.get(slug="homicides")
    for area in Area.objects.exclude(slug="england-and-wales").order_by("pk")[:10]:
        years(200, measure=measure, area=area, first=1890)
    Figure.objects.exclude(area__slug="england-and-wales").update(verdict="improving")
    response = client.get(URL, query)
    table = response.context["table"]
    queryset = table.data.data[:50]
    plan = plan_of(queryset)
    assert index in plan, plan
    assert "Sort" not in plan  # not even an incremental one
