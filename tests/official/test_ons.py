"""Reading the ONS police force area data tables: notes rows, the header row,
note markers, trailing spaces in sheet names, markers in cells, and bad input
with the sheet, row and column it is in."""

from decimal import Decimal

import pytest

from official import readers, sample_files
from official.readers import BadValueError, MissingColumnError, MissingSheetError, OnsRecord

HEADER = ["Area Code", "Area Name", "Homicide [note 3]", "Robbery"]


def write(
    tmp_path, table_rows, *, tables=("Table P1", "Table P2", "Table P3", "Table P6 ", "Table P8 ")
):
    good = [["Title"], [], HEADER, ["K04000001", "England and Wales", 10, 20]]
    sheets = [("Notes", [["[x]", "Not available"]])]
    for table in tables:
        sheets.append((table, table_rows if table == "Table P1" else good))
    return sample_files.write_workbook(tmp_path / "pfa.xlsx", sheets)


def test_every_cell_is_read_with_what_the_builder_wrote(ons):
    records = list(readers.read(ons.path))
    assert all(isinstance(r, OnsRecord) for r in records)
    read = {(r.table, r.area_code, r.header): r.value for r in records}
    assert read == {
        key: None if value is None else Decimal(str(value)) for key, value in ons.values.items()
    }


def test_trailing_spaces_are_kept_in_the_sheet_and_dropped_from_the_table(ons):
    pairs = {(r.table, r.sheet) for r in readers.read(ons.path)}
    assert ("Table P6", "Table P6 ") in pairs
    assert ("Table P8", "Table P8 ") in pairs
    assert ("Table P1", "Table P1") in pairs


def test_note_markers_and_line_breaks_leave_headers_and_names(ons):
    records = list(readers.read(ons.path))
    headers = {r.header for r in records}
    assert "Total recorded crime (excluding fraud)" in headers
    assert "Homicide" in headers
    assert "Apr 2024 to Mar 2025" in headers
    assert not any("[note" in h or "\n" in h for h in headers)
    city = {r.area_name for r in records if r.area_code == "E23000034"}
    assert city == {"London, City of"}


def test_rows_cover_the_countries_regions_and_forces(ons):
    codes = {r.area_code for r in readers.read(ons.path) if r.table == "Table P8"}
    assert {"K04000001", "E92000001", "W92000004"} <= codes
    assert sum(code.startswith("E12") for code in codes) == 9
    assert sum(code.startswith(("E23", "W15")) for code in codes) == 43


def test_markers_are_no_value_and_kept(ons):
    suppressed = [r for r in readers.read(ons.path) if r.marker]
    assert {(r.table, r.area_code, r.marker, r.value) for r in suppressed} == {
        ("Table P3", "E23000034", "[x]", None)
    }
    assert len(suppressed) == sum(1 for m in ons.markers.values() if m == "[x]")


def test_row_numbers_and_columns_are_the_spreadsheets(ons):
    first = next(readers.read(ons.path))
    # Title, three notes rows, a blank row, the header on row 6: data from row 7.
    assert (first.sheet, first.row, first.column, first.area_code) == (
        "Table P1",
        7,
        "C",
        "K04000001",
    )


def test_check_reports_counts_per_table(ons):
    report = readers.check(ons.path)
    assert report.ok, [e.message for e in report.errors]
    assert report.records == len(ons.values)
    assert report.per_sheet["Table P8 "] == 55 * 3
    assert report.markers == {"[x]": 2}


def test_only_the_tables_asked_for_are_read(ons):
    tables = {r.table for r in readers.read(ons.path, ons_tables=("Table P8",))}
    assert tables == {"Table P8"}


@pytest.mark.parametrize("cell", ["[x]", "[c]", "[z]", "[u]", "[w]", "[low]", "..", "[x] [note 9]"])
def test_documented_markers(tmp_path, cell):
    path = write(tmp_path, [HEADER, ["E23000001", "Metropolitan Police", cell, 4]])
    record = next(readers.read(path))
    assert (record.value, record.marker) == (None, cell)


def test_the_markers_are_the_guidance_shorthand_for_a_missing_value():
    """The Analysis Function's "Using symbols and shorthand in tables"
    (docs/sources.md, section 10): the shorthand that stands in for a value,
    plus the older ``..``."""
    assert readers.ONS_MARKERS == {
        "[x]": "not available",
        "[c]": "confidential",
        "[z]": "not applicable",
        "[u]": "low reliability",
        "[w]": "none recorded in survey",
        "[low]": "a low figure but not a real zero",
        "..": "not available (an older symbol, not in the guidance)",
    }


@pytest.mark.parametrize("cell", ["[p]", "[r]", "[e]", "[b]", "[s]"])
def test_shorthand_that_qualifies_a_value_is_not_a_value(tmp_path, cell):
    path = write(tmp_path, [HEADER, ["E23000001", "Metropolitan Police", cell, 4]])
    with pytest.raises(BadValueError, match="expected a number or one of the markers"):
        list(readers.read(path))


@pytest.mark.parametrize(
    ("cell", "value"), [(3, 3), (-4.5, Decimal("-4.5")), ("1,234", 1234), (0.1, Decimal("0.1"))]
)
def test_numbers(tmp_path, cell, value):
    path = write(tmp_path, [HEADER, ["E23000001", "Metropolitan Police", cell, 4]])
    assert next(readers.read(path)).value == value


def test_a_missing_table_is_named(tmp_path):
    path = write(tmp_path, [HEADER], tables=("Table P1", "Table P2", "Table P3", "Table P6 "))
    with pytest.raises(MissingSheetError, match="no sheet 'Table P8'"):
        list(readers.read(path))
    with pytest.raises(MissingSheetError, match="'Table P8'"):
        readers.check(path)
    # Asking only for what is there reads.
    assert list(readers.read(path, ons_tables=("Table P1",))) == []


def test_a_table_without_its_header_row_is_named(tmp_path):
    path = write(tmp_path, [["Title"], ["Code", "Name", "Robbery"]])
    with pytest.raises(MissingColumnError, match="sheet 'Table P1': Table P1 has no header row"):
        list(readers.read(path))


def test_a_header_without_area_name_is_named(tmp_path):
    path = write(tmp_path, [["Title"], ["Area Code", "Force", "Robbery"]])
    with pytest.raises(MissingColumnError) as error:
        list(readers.read(path))
    assert (error.value.sheet, error.value.row, error.value.column) == ("Table P1", 2, "B")
    assert "next column is not 'Area Name'" in str(error.value)


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (["E23000001", "Met", "n.a.", 4], "C", "expected a number or one of the markers"),
        (["E23000001", "Met", 3, ""], "D", "but it is empty"),
        (["E23000001", "Met", 3, "lots"], "D", "it holds 'lots'"),
        (["Metropolitan", "Met", 3, 4], "A", "expected an area code such as E23000001"),
        (["E23000001", "Met", 3, 4, "stray"], "E", "a value with no column header"),
    ],
)
def test_bad_cells_name_the_sheet_row_and_column(tmp_path, row, column, says):
    path = write(tmp_path, [["Title"], HEADER, ["K04000001", "England and Wales", 1, 2], row])
    with pytest.raises(BadValueError) as error:
        list(readers.read(path))
    assert (error.value.sheet, error.value.row, error.value.column) == ("Table P1", 4, column)
    assert says in str(error.value)
    assert str(error.value).startswith(f"sheet 'Table P1', row 4, column {column}")


def test_the_header_is_named_in_a_bad_value_message(tmp_path):
    path = write(tmp_path, [HEADER, ["E23000001", "Met", "bad", 4]])
    with pytest.raises(BadValueError, match=r"column C \(Homicide\)"):
        list(readers.read(path))


def test_check_lists_unknown_area_codes_with_their_row(tmp_path):
    path = write(tmp_path, [HEADER, ["E23000001", "Met", 1, 2], ["E23000099", "Atlantis", 1, 2]])
    report = readers.check(path)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("Table P1", 3, "A")]
    assert "unknown area code 'E23000099' (Atlantis)" in report.errors[0].message
