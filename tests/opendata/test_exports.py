"""The CSV writer's rules, as units: formula escaping, numbers, dates, quoting."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from opendata.exports import (
    BLOCK_SIZE,
    blocks,
    csv_lines,
    escape_cell,
    export_filename,
    format_bool,
    format_date,
    format_decimal,
    format_text,
    stream_csv,
)

from .helpers import BOM


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://example.com","Click")',
        "+1+1",
        "-1+1",
        "-5 people",
        "-5\n",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
        "-",
        "=",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_escaped(cell):
    assert escape_cell(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["-5", "-5.25", "-0.5", "5", "12.5", "Homicides", "", " =1", "a=b", "'=1"]
)
def test_numbers_and_ordinary_text_are_left_alone(cell):
    assert escape_cell(cell) == cell


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.5000"), "12.5"),
        (Decimal("100.0000"), "100"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.0000"), "0"),
        (Decimal("0.0001"), "0.0001"),
        (Decimal("1234567.8900"), "1234567.89"),
        (Decimal("-5.0"), "-5"),
        (Decimal("-0.00"), "0"),  # never minus zero
        (Decimal("-0"), "0"),
        (None, None),
    ],
)
def test_decimals_are_plain(value, text):
    assert format_decimal(value) == text


def test_booleans_dates_and_missing_values():
    assert format_bool(True) == "true"
    assert format_bool(False) == "false"
    assert format_date(datetime.date(2024, 3, 31)) == "2024-03-31"
    assert format_date(None) is None
    assert format_text("") is None
    assert format_text(None) is None
    assert format_text("=1") == "'=1"


def test_lines_end_with_a_newline_and_quote_what_needs_quoting():
    lines = list(
        csv_lines(("a", "b"), [["x,y", 'say "hi"'], ["one\ntwo", "cr\rhere"], [None, "é"]])
    )
    assert lines == [
        "a,b\n",
        '"x,y","say ""hi"""\n',
        '"one\ntwo","cr\rhere"\n',
        ",é\n",
    ]
    # and a CSV reader gets the cells back
    rows = list(csv.reader(io.StringIO("".join(lines), newline="")))
    assert rows[1:] == [["x,y", 'say "hi"'], ["one\ntwo", "cr\rhere"], ["", "é"]]


def test_the_excel_variant_starts_with_a_byte_order_mark():
    plain = b"".join(stream_csv(("a",), [["é"]]))
    excel = b"".join(stream_csv(("a",), [["é"]], bom=True))
    assert plain == "a\né\n".encode()
    assert excel == BOM + plain
    assert not plain.startswith(BOM)


def test_blocks_have_no_byte_order_mark_unless_asked_and_take_bytes_too():
    assert list(blocks(["a\n", b"\xc3\xa9\n"])) == [b"a\n\xc3\xa9\n"]
    assert list(blocks(["a\n"], bom=True)) == [BOM, b"a\n"]


def test_a_block_goes_out_once_it_holds_block_size_bytes():
    sizes = [BLOCK_SIZE - 1, 1, BLOCK_SIZE - 1, 1, 1]
    chunks = [b"x" * size for size in sizes]
    sent = list(blocks(chunks))
    assert [len(block) for block in sent] == [BLOCK_SIZE, BLOCK_SIZE, 1]
    assert b"".join(sent) == b"".join(chunks)


def test_large_files_go_out_in_blocks_not_lines():
    chunks = list(stream_csv(("a",), ([str(n)] for n in range(50_000))))
    assert 1 < len(chunks) < 50
    assert b"".join(chunks).count(b"\n") == 50_001


def test_file_names_say_what_and_when():
    assert export_filename("figures", "csv", today=datetime.date(2026, 11, 25)) == (
        "figures-2026-11-25.csv"
    )
