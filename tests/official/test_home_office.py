"""Reading the Home Office police force area tables: every quirk of the
layout, and every kind of bad input with the sheet, row and column it is in."""

import pytest

from official import readers, sample_files
from official.readers import (
    BadValueError,
    HomeOfficeRecord,
    MissingColumnError,
    SourceKind,
)
from official.sample_files import HEADER

GOOD = ["2024/25", 1, "Kent", "Murder", "Violence against the person", "Homicide", "1", 2]


def write(tmp_path, rows, *, sheet="2024_25", name="prc.ods", before=()):
    sheets = [("Cover", [["A cover sheet"]]), *before, (sheet, rows)]
    return sample_files.write_workbook(tmp_path / name, sheets)


def only(path):
    records = list(readers.read(path))
    assert len(records) == 1
    return records[0]


def test_every_row_is_read_with_what_the_builder_wrote(home_office):
    records = list(readers.read(home_office.path))
    assert all(isinstance(r, HomeOfficeRecord) for r in records)
    assert {
        (r.force_name, r.financial_year, r.quarter, r.offence_code): r.count for r in records
    } == (home_office.counts)
    assert len(records) == len(home_office.counts)


def test_the_xlsx_copy_reads_the_same(home_office_xlsx):
    records = list(readers.read(home_office_xlsx.path))
    assert {
        (r.force_name, r.financial_year, r.quarter, r.offence_code): r.count for r in records
    } == home_office_xlsx.counts


def test_cover_contents_and_notes_sheets_are_skipped(home_office):
    sheets = {r.sheet for r in readers.read(home_office.path)}
    assert sheets == {"2012-13", "2024_25"}


def test_old_and_new_sheet_names_and_years(home_office):
    years = {(r.sheet, r.financial_year) for r in readers.read(home_office.path)}
    assert years == {("2012-13", "2012/13"), ("2024_25", "2024/25")}


def test_na_cells_are_no_value_with_the_marker_kept(home_office):
    written = {k for k, v in home_office.counts.items() if v is None}
    assert written  # the sample has some
    read = [r for r in readers.read(home_office.path) if r.count is None]
    assert {(r.force_name, r.financial_year, r.quarter, r.offence_code) for r in read} == written
    assert {r.marker for r in read} == {"N/a"}


def test_the_old_sheet_with_repeated_columns_is_read(home_office):
    old = [r for r in readers.read(home_office.path) if r.sheet == "2012-13"]
    assert len(old) == sum(1 for k in home_office.counts if k[1] == "2012/13")


def test_repeated_columns_that_disagree_are_an_error(tmp_path):
    rows = [
        [*HEADER, "Force Name"],
        [*GOOD, "Kent"],
        [*GOOD, "Surrey"],
    ]
    path = write(tmp_path, rows, sheet="2012-13")
    with pytest.raises(BadValueError) as error:
        list(readers.read(path))
    assert error.value.sheet == "2012-13"
    assert error.value.row == 3
    assert error.value.column == "I"
    assert "two 'Force Name' columns" in str(error.value)
    assert "'Kent' in column C, 'Surrey' here" in str(error.value)


def test_repeated_text_columns_are_read_from_the_first(tmp_path):
    rows = [[*HEADER, "Offence Description"], [*GOOD, "Murder (old wording)"]]
    record = only(write(tmp_path, rows, sheet="2012-13"))
    assert record.offence_description == "Murder"


def test_codes_stay_text_and_a_numeric_code_reads_as_written(home_office):
    codes = {(r.sheet, r.offence_code) for r in readers.read(home_office.path)}
    # In the old sheet "1" was stored as a number; "4.10" is text and is not "4.1".
    assert ("2012-13", "1") in codes
    assert ("2024_25", "4.10") in codes and ("2024_25", "4.1") in codes


def test_non_territorial_rows_are_yielded_as_written_and_counted_by_check(home_office):
    names = {r.force_name for r in readers.read(home_office.path)}
    assert {"British Transport Police", "Action Fraud", "CIFAS", "UK Finance"} <= names
    report = readers.check(home_office.path)
    assert report.ok, [e.message for e in report.errors]
    assert sum(report.non_territorial.values()) == home_office.non_territorial_rows
    assert set(report.non_territorial) == {
        "British Transport Police",
        "Action Fraud",
        "CIFAS",
        "UK Finance",
    }


def test_the_home_office_force_names_are_kept_as_written(home_office):
    names = {r.force_name for r in readers.read(home_office.path)}
    assert "London, City of" in names
    assert "Devon and Cornwall" in names


def test_check_counts_records_per_sheet_and_markers(home_office):
    report = readers.check(home_office.path)
    assert report.kind is SourceKind.HOME_OFFICE_PFA
    assert report.records == len(home_office.counts)
    assert report.per_sheet["2024_25"] == sum(1 for k in home_office.counts if k[1] == "2024/25")
    assert report.markers["N/a"] == sum(1 for v in home_office.counts.values() if v is None)


def test_row_numbers_are_the_spreadsheets_with_a_header_below_notes_and_an_indent(tmp_path):
    # Two notes rows, a blank row, then the table from column B: row 5 is the
    # header and the first record is on row 6, its count in column I.
    rows = [["Notes"], ["More notes"], [], ["", *HEADER], ["", *GOOD], ["", *GOOD[:7], "x"]]
    path = write(tmp_path, rows)
    records = readers.read(path)
    assert next(records).row == 5
    with pytest.raises(BadValueError) as error:
        next(records)
    assert (error.value.row, error.value.column) == (6, "I")


def test_trailing_blank_rows_are_skipped(tmp_path):
    path = write(tmp_path, [HEADER, GOOD, [], ["", "", ""]])
    assert only(path).count == 2


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024/25", "2024/25"),
        ("2024-25", "2024/25"),
        ("2024/2025", "2024/25"),
        ("1999/00", "1999/00"),
    ],
)
def test_financial_year_spellings(tmp_path, cell, expected):
    path = write(tmp_path, [HEADER, [cell, *GOOD[1:]]])
    assert only(path).financial_year == expected


@pytest.mark.parametrize(("cell", "expected"), [(1, 1), (4.0, 4), ("3", 3), ("Q2", 2)])
def test_quarter_spellings(tmp_path, cell, expected):
    path = write(tmp_path, [HEADER, [GOOD[0], cell, *GOOD[2:]]])
    assert only(path).quarter == expected


@pytest.mark.parametrize(("cell", "expected"), [(0, 0), (12.0, 12), ("1,234", 1234), ("-3", -3)])
def test_count_spellings(tmp_path, cell, expected):
    path = write(tmp_path, [HEADER, [*GOOD[:7], cell]])
    record = only(path)
    assert (record.count, record.marker) == (expected, None)


@pytest.mark.parametrize("cell", ["N/a", "n/a", "N/A"])
def test_na_spellings(tmp_path, cell):
    record = only(write(tmp_path, [HEADER, [*GOOD[:7], cell]]))
    assert (record.count, record.marker) == (None, cell)


@pytest.mark.parametrize(
    ("column", "index", "cell", "says"),
    [
        ("H", 7, "twelve", "expected a number of offences or N/a, but it holds 'twelve'"),
        ("H", 7, "", "expected a number of offences or N/a, but it is empty"),
        ("H", 7, 3.5, "expected a whole number of offences"),
        ("H", 7, "..", "expected a number of offences or N/a"),
        ("B", 1, 5, "expected a quarter from 1 to 4"),
        ("B", 1, "spring", "expected a quarter from 1 to 4"),
        ("A", 0, "2024/26", "expected a financial year such as 2024/25"),
        ("A", 0, "last year", "expected a financial year"),
        ("C", 2, "", "the force name is empty"),
        ("G", 6, "", "the offence code is empty"),
    ],
)
def test_bad_values_name_the_sheet_row_and_column(tmp_path, column, index, cell, says):
    bad = list(GOOD)
    bad[index] = cell
    path = write(tmp_path, [HEADER, GOOD, bad])
    with pytest.raises(BadValueError) as error:
        list(readers.read(path))
    assert (error.value.sheet, error.value.row, error.value.column) == ("2024_25", 3, column)
    assert error.value.column_name == HEADER[index]
    assert says in str(error.value)
    assert str(error.value).startswith(
        f"sheet '2024_25', row 3, column {column} ({HEADER[index]}): "
    )


def test_a_missing_column_is_named(tmp_path):
    header = [name for name in HEADER if name != "Offence Code"]
    path = write(tmp_path, [header, GOOD[:6] + GOOD[7:]])
    with pytest.raises(MissingColumnError) as error:
        list(readers.read(path))
    assert error.value.sheet == "2024_25"
    assert "has no column 'Offence Code'" in str(error.value)


def test_a_sheet_without_a_header_is_named(tmp_path):
    path = write(tmp_path, [["nothing", "here"], [1, 2]])
    with pytest.raises(MissingColumnError, match="sheet '2024_25': no header row in the first 20"):
        list(readers.read(path))


def test_read_stops_at_the_first_error_and_check_lists_them_all(tmp_path):
    rows = [HEADER, GOOD]
    for row_number in range(3, 8):
        bad = list(GOOD)
        bad[7] = f"bad{row_number}"
        rows.append(bad)
    rows.append([*GOOD[:2], "Gotham", *GOOD[3:]])
    path = write(tmp_path, rows)
    with pytest.raises(BadValueError, match="row 3"):
        list(readers.read(path))
    report = readers.check(path)
    assert not report.ok
    assert [e.row for e in report.errors] == [3, 4, 5, 6, 7, 8]
    assert report.records == 1  # only the good row: a row in error is not a record
    unknown = report.errors[-1]
    assert (unknown.column, unknown.column_name) == ("C", "Force Name")
    assert "unknown force name 'Gotham'" in unknown.message


def test_check_stops_listing_at_its_limit_but_counts_the_rest(tmp_path):
    rows = [HEADER, *([*GOOD[:7], "bad"] for _ in range(10))]
    report = readers.check(write(tmp_path, rows), max_errors=3)
    assert len(report.errors) == 3
    assert report.more_errors == 7
    assert report.error_count == 10


def test_check_accepts_every_force_name_variant(tmp_path):
    names = ["London, City of", "City of London", "devon & cornwall", "DYFED POWYS", "Kent Police"]
    rows = [HEADER, *([GOOD[0], 1, name, *GOOD[3:]] for name in names)]
    report = readers.check(write(tmp_path, rows))
    assert report.ok, [e.message for e in report.errors]
    assert report.records == len(names)
