"""Reading and checking a figures CSV file, and the import service: every
kind of bad row, the encodings, the warnings, all-or-nothing writing, the
round trip, and the re-check at confirmation."""

import datetime
from decimal import Decimal

import pytest

from measures.imports import UploadError, read_csv
from measures.models import Area, Figure, Measure, PublicationStatus
from measures.services import NO_REVISION_REASON, import_figures, save_figure
from tests.factories import AreaFactory, user_in_role

from .csvfiles import figure_row, make_csv, one_day_rows, row, saved_figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return user_in_role("Data entry")


@pytest.fixture
def publisher():
    return user_in_role("Publisher")


def run(rows, user=None, columns=None, **kwargs):
    data = make_csv(rows) if columns is None else make_csv(rows, columns=columns)
    return import_figures(rows=read_csv(data), user=user, **kwargs)


def problems(result):
    return [(p.line, p.column, p.message) for p in result.errors]


# Reading the file


def test_reads_rows_with_their_line_numbers_and_ignores_unknown_columns():
    data = make_csv(
        [row(value="1", extra="x"), row(end="2024-06-30", value="2")],
        columns=["value", "extra", "measure", "area", "period_start", "period_end"],
    )
    rows = read_csv(data)
    assert [r.line for r in rows] == [2, 3]
    assert rows[0].cells["value"] == "1"
    assert "extra" not in rows[0].cells


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"  \r\n", "The file is empty."),
        (b"measure,area,period_start,period_end,value\r\n", "has a header but no figures"),
        (b"measure,area,value\r\nhomicides,x,1\r\n", "missing: period_start, period_end"),
        (b"measure;area;period_start;period_end;value\r\n", "separated by semicolons"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a spreadsheet file of a kind"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old .xls"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (
            b"measure,area,period_start,period_end,value,value\r\n",
            "appear more than once: value",
        ),
    ],
)
def test_refuses_a_file_that_is_not_a_figures_csv(data, message):
    with pytest.raises(UploadError, match=message):
        read_csv(data)


def test_refuses_a_file_over_the_size_limit():
    data = make_csv([row()] * 100)
    with pytest.raises(UploadError, match="too big"):
        read_csv(data, max_bytes=len(data) - 1)
    assert len(read_csv(data, max_bytes=len(data))) == 100


@pytest.mark.parametrize(
    "encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")]
)
def test_reads_utf8_with_or_without_bom_and_windows_1252(encoding, bom):
    data = bom + make_csv([row(note="Café – £5 “quoted”")], encoding=encoding)
    (only,) = read_csv(data)
    assert only.cells["measure"] == "homicides"  # the BOM is not part of the first name
    assert only.cells["note"] == "Café – £5 “quoted”"


def test_header_names_are_matched_whatever_their_case_and_spacing():
    data = (
        b" Measure ,AREA,period_start,period_end,Value\r\n"
        b"homicides,england-and-wales,2023-04-01,2024-03-31,5\r\n"
    )
    (only,) = read_csv(data)
    assert only.cells["value"] == "5"


# Checking rows


@pytest.mark.parametrize(
    "cells, column, message",
    [
        ({"measure": "nope"}, "measure", "Unknown measure “nope”"),
        ({"measure": ""}, "measure", "The measure is missing."),
        ({"area": "atlantis"}, "area", "Unknown area “atlantis”"),
        ({"start": "04/31/2023"}, "period_start", "is not a date"),  # month first: not UK
        ({"end": "2024-02-30"}, "period_end", "is not a date"),
        ({"start": "2024-04-01", "end": "2023-03-31"}, "period_end", "cannot end before it starts"),
        ({"value": "1,23"}, "value", "commas only between thousands"),
        ({"value": ""}, "value", "The value is missing."),
        ({"value": "-3"}, "value", "cannot be negative"),
        ({"value": "1.23456"}, "value", "no more than 4 decimal places"),
        ({"value": "12", "lower": "13", "upper": "15"}, "lower", "cannot be above the value"),
        ({"value": "12", "lower": "10"}, "upper", "both ends"),
        ({"provisional": "maybe"}, "provisional", "not true or false"),
        ({"source_url": "not a url"}, "source_url", "valid URL"),
        ({"value": "NaN"}, "value", "not a number"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_line_column_and_reason(cells, column, message):
    result = run([row(end="2023-06-30", start="2022-07-01"), row(**cells)])
    assert not result.ok
    assert any(
        line == 3 and col == column and message in text for line, col, text in problems(result)
    ), problems(result)
    assert all(line == 3 for line, _, _ in problems(result))
    assert not result.written
    assert not Figure.objects.filter(measure__slug="homicides").exists()


def test_a_percentage_over_100_is_refused():
    result = run([row(measure="victim-satisfaction", value="101")])
    assert (2, "value", "A percentage cannot be more than 100.") in problems(result)


def test_a_duplicate_row_in_the_file_is_refused_with_both_lines():
    result = run([row(value="1"), row(value="2"), row(value="2", end="2024-06-30")])
    assert problems(result) == [
        (3, "period_end", "Duplicate row: line 2 has the same measure, area and period.")
    ]


def test_an_area_can_be_given_by_its_ons_code():
    result = run([row(area="K04000001")])
    assert result.ok
    assert result.new[0].figure.area == Area.objects.get(slug="england-and-wales")


def test_booleans_accept_the_usual_spellings():
    rows = [
        row(end=f"2024-0{month}-28", provisional=word, series_break=word.upper())
        for month, word in enumerate(["true", "yes", "1", "false", "no", "0", ""], start=1)
    ]
    result = run(rows)
    assert result.ok, problems(result)
    assert [r.figure.provisional for r in result.rows] == [True] * 3 + [False] * 4
    assert [r.figure.series_break for r in result.rows] == [True] * 3 + [False] * 4


# Writing


def test_a_good_file_is_written_as_drafts_by_the_user(clerk):
    result = run(
        [row(value="10"), row(measure="victim-satisfaction", value="66.5", lower="65", upper="68")],
        user=clerk,
    )
    assert result.ok and result.written
    figures = Figure.objects.filter(area__slug="england-and-wales").order_by("measure__order")
    assert [f.value for f in figures] == [Decimal("10"), Decimal("66.5")]
    assert {f.status for f in figures} == {PublicationStatus.DRAFT}
    assert {f.created_by for f in figures} == {clerk}
    assert figures[0].history.get().history_user == clerk


def test_a_dry_run_writes_nothing():
    result = run([row()], dry_run=True)
    assert result.ok and not result.written
    assert len(result.new) == 1
    assert not Figure.objects.filter(measure__slug="homicides").exists()


def test_999_good_rows_and_one_bad_row_write_nothing():
    areas = [AreaFactory(slug=f"csp-{i}") for i in range(10)]
    rows = one_day_rows(999, areas=areas, start=datetime.date(2000, 1, 1))
    rows.insert(500, row(value="lots"))
    result = run(rows)
    assert problems(result) == [(502, "value", "“lots” is not a number.")]
    assert not result.written
    assert not Figure.objects.filter(area__in=areas).exists()
    assert Figure.objects.count() == 0


def test_a_file_changes_existing_figures_and_says_old_and_new(clerk):
    figure = saved_figure(status=PublicationStatus.DRAFT)
    result = run([row(value="11", note="corrected")], user=clerk, dry_run=True)
    (changed,) = result.changed
    assert changed.changes == [("value", Decimal("10"), Decimal("11")), ("note", "", "corrected")]
    figure.refresh_from_db()
    assert figure.value == 10  # the dry run kept the old value

    result = run([row(value="11", note="corrected")], user=clerk)
    assert result.written
    figure.refresh_from_db()
    assert (figure.value, figure.note, figure.version) == (11, "corrected", 2)
    assert figure.history.first().history_change_reason == "CSV upload"


def test_data_entry_cannot_change_a_published_figure_by_upload(clerk, publisher):
    figure = saved_figure()
    result = run([row(value="12")], user=clerk)
    assert problems(result) == [
        (2, "value", "This figure is published: only a publisher can change it.")
    ]
    result = run([row(value="12")], user=publisher)
    assert problems(result) == [(0, "", NO_REVISION_REASON)]  # a public revision's reason
    result = run([row(value="12")], user=publisher, revision_reason="Recounted.")
    assert result.written
    assert any("public revision" in w.message for w in result.warnings)
    figure.refresh_from_db()
    assert (figure.value, figure.previous_value) == (12, 10)
    assert figure.revised_at is not None
    assert figure.revision_reason == "Recounted."


def test_publish_needs_the_publish_permission(clerk, publisher):
    result = run([row()], user=clerk, publish=True)
    assert problems(result) == [(0, "", "Only a publisher can publish figures.")]
    assert not Figure.objects.filter(measure__slug="homicides").exists()

    result = run([row()], user=publisher, publish=True)
    assert result.written and result.published == 1
    figure = Figure.objects.get(measure__slug="homicides")
    assert figure.is_published and figure.published_by == publisher


def test_round_trip_an_export_uploads_again_with_no_changes(demo):
    figures = list(Figure.objects.select_related("measure", "area"))
    assert len(figures) > 20
    some = figures[0]
    some.note = "=cmd|' /C calc'!A0 a note that looks like a formula"
    some.lower, some.upper = None, None
    some.save()
    rows = [figure_row(f) for f in Figure.objects.select_related("measure", "area")]
    # The export escapes formula-like cells with a leading apostrophe.
    for r in rows:
        if r["note"].startswith("="):
            r["note"] = "'" + r["note"]
    data = make_csv(rows, columns=[*rows[0].keys(), "measure_name", "period"])
    versions = dict(Figure.objects.values_list("pk", "version"))

    result = import_figures(rows=read_csv(data), user=None)
    assert result.ok, problems(result)[:5]
    assert len(result.unchanged) == len(rows)
    assert not result.new and not result.changed
    assert dict(Figure.objects.values_list("pk", "version")) == versions


# Warnings


def test_a_value_more_than_half_away_from_the_previous_period_is_a_warning():
    Measure.objects.get(slug="homicides")
    result = run(
        [
            row(start="2022-04-01", end="2023-03-31", value="100"),
            row(start="2023-04-01", end="2024-03-31", value="151"),
            row(start="2024-04-01", end="2025-03-31", value="100"),
            row(start="2024-04-01", end="2024-06-30", value="1"),  # a quarter: not comparable
        ]
    )
    assert result.ok
    assert [(w.line, w.column) for w in result.warnings if "previous period" in w.message] == [
        (3, "value")
    ]
    (warning,) = [w for w in result.warnings if "previous period" in w.message]
    assert "+51%" in warning.message


def test_the_outlier_check_never_compares_across_a_series_break():
    result = run(
        [
            row(start="2022-04-01", end="2023-03-31", value="100"),
            row(start="2023-04-01", end="2024-03-31", value="151", series_break="true"),
        ]
    )
    assert result.ok
    assert not [w for w in result.warnings if "previous period" in w.message]


def test_a_percentage_measures_outlier_is_in_percentage_points():
    result = run(
        [
            row(measure="victim-satisfaction", start="2022-04-01", end="2023-03-31", value="30"),
            row(measure="victim-satisfaction", start="2023-04-01", end="2024-03-31", value="46"),
        ]
    )
    (warning,) = [w for w in result.warnings if "previous period" in w.message]
    assert "46.0% is +16.0 percentage points against the previous period" in warning.message


def test_the_outlier_check_compares_with_figures_already_saved():
    saved_figure(start="2022-04-01", end="2023-03-31", value="100")
    result = run([row(value="40")])
    assert result.ok
    assert any("\u221260%" in w.message for w in result.warnings)  # a true minus sign


def test_a_period_in_the_future_is_a_warning_not_an_error():
    next_year = datetime.date.today().year + 1
    result = run([row(start=f"{next_year}-01-01", end=f"{next_year}-12-31")])
    assert result.ok
    assert [(w.line, w.column) for w in result.warnings] == [(2, "period_end")]
    assert "future" in result.warnings[0].message


# No lost updates at confirmation


def test_a_figure_changed_since_the_preview_is_refused_at_confirmation(clerk, publisher):
    figure = saved_figure(status=PublicationStatus.DRAFT)
    rows = read_csv(make_csv([row(value="11"), row(end="2024-06-30", value="3")]))
    preview = import_figures(rows=rows, user=clerk, dry_run=True)
    versions = {r.line: r.version for r in preview.rows}
    assert versions == {2: 1, 3: 0}

    figure.value = Decimal("15")
    save_figure(figure=figure, user=publisher, expected_version=1)

    result = import_figures(rows=rows, user=clerk, expected_versions=versions)
    assert not result.written
    ((line, _column, message),) = problems(result)
    assert line == 2
    assert "changed this figure since your preview" in message and "10.0000 → 15.0000" in message
    figure.refresh_from_db()
    assert figure.value == 15
    assert not Figure.objects.filter(period_end=datetime.date(2024, 6, 30)).exists()


def test_a_figure_added_since_the_preview_is_refused_at_confirmation(clerk):
    rows = read_csv(make_csv([row(value="11")]))
    preview = import_figures(rows=rows, user=clerk, dry_run=True)
    versions = {r.line: r.version for r in preview.rows}
    run([row(value="12")], user=clerk)
    result = import_figures(rows=rows, user=clerk, expected_versions=versions)
    assert "Someone added this figure since your preview" in problems(result)[0][2]
    assert Figure.objects.get(measure__slug="homicides").value == 12


def test_a_column_left_out_of_the_file_keeps_the_existing_value_an_empty_cell_clears_it():
    figure = saved_figure(
        note="Kept",
        source_url="https://example.org/kept",
        provisional=True,
        status=PublicationStatus.DRAFT,
    )
    result = run(
        [row(value="11")], columns=["measure", "area", "period_start", "period_end", "value"]
    )
    assert result.changed[0].change_lines == ["value: 10 → 11"]
    figure.refresh_from_db()
    assert (figure.value, figure.note, figure.provisional) == (11, "Kept", True)

    result = run(
        [row(value="11", note="", provisional="")],
        columns=["measure", "area", "period_start", "period_end", "value", "note", "provisional"],
    )
    assert result.changed[0].change_lines == ["provisional: true → false", "note: Kept → empty"]
    figure.refresh_from_db()
    assert (figure.note, figure.provisional, figure.source_url) == (
        "",
        False,
        "https://example.org/kept",
    )


@pytest.mark.parametrize("size", [10, 200])
def test_checking_a_file_takes_the_same_few_queries_whatever_its_size(
    size, django_assert_num_queries
):
    areas = [AreaFactory(slug=f"q-{i}") for i in range(5)]
    rows = one_day_rows(size, areas=areas, start=datetime.date(2010, 1, 1))
    upload = read_csv(make_csv(rows))
    # The measures, the areas, and the figures already saved for them.
    with django_assert_num_queries(3):
        result = import_figures(rows=upload, user=None, dry_run=True)
    assert result.ok and len(result.new) == size
