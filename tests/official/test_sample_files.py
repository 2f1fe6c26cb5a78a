"""The ODS writer and the file builders: LibreOffice and calamine read what
they write, and the full-size generator makes the layout at any size."""

import csv
import os
import shutil
import subprocess

import pytest

from official import readers, sample_files
from official.odswriter import OdsWriter


def test_calamine_reads_what_the_ods_writer_writes(tmp_path):
    path = tmp_path / "cells.ods"
    with OdsWriter(path) as ods:
        ods.write_sheet("Notes & <quirks>", [['a "quoted" & <tagged> note']])
        ods.write_sheet("2024_25", [["text", 12, 4.5, None, "4.10"], [], ["last"]])
    import python_calamine

    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        assert book.sheet_names == ["Notes & <quirks>", "2024_25"]
        assert list(book.get_sheet_by_name("Notes & <quirks>").iter_rows()) == [
            ['a "quoted" & <tagged> note']
        ]
        assert list(book.get_sheet_by_name("2024_25").iter_rows()) == [
            ["text", 12.0, 4.5, "", "4.10"],
            ["", "", "", "", ""],
            ["last", "", "", "", ""],
        ]


def test_the_file_starts_with_its_uncompressed_mimetype(tmp_path):
    path = tmp_path / "cells.ods"
    with OdsWriter(path) as ods:
        ods.write_sheet("Sheet1", [["x"]])
    head = path.read_bytes()[:100]
    assert head.startswith(b"PK\x03\x04")
    assert b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_home_office_sample_as_the_reader_does(home_office, tmp_path):
    # A profile of its own, so that runs in parallel do not share LibreOffice's lock.
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(  # noqa: S603 - a fixed command on a file the test made
        [
            shutil.which("soffice"),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            # Comma-separated, UTF-8 (76), every sheet to a file of its own (-1).
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(home_office.path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with (tmp_path / "prc-pfa-2024_25.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == sample_files.HEADER
    libreoffice = {
        (r[2], r[0], int(r[1]), r[6]): (None if r[7] == "N/a" else int(r[7])) for r in rows[1:]
    }
    ours = {
        (r.force_name, r.financial_year, r.quarter, r.offence_code): r.count
        for r in readers.read(home_office.path)
        if r.sheet == "2024_25"
    }
    assert libreoffice == ours
    with (tmp_path / "prc-pfa-2012-13.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == [*sample_files.HEADER, "Force Name", "Offence Code"]


def test_the_full_size_generator_makes_every_force_offence_and_quarter(tmp_path):
    sample = sample_files.generate_full_home_office(
        tmp_path / "full.ods", first_year=2023, last_year=2024, offences=6
    )
    # 2 years of 4 quarters; 43 forces and British Transport Police with 6
    # offences each, and 3 fraud bodies with one.
    assert len(sample.counts) == 2 * 4 * (44 * 6 + 3)
    assert sample.sheets == ["2023_24", "2024_25"]
    report = readers.check(sample.path)
    assert report.ok and report.records == len(sample.counts)
    codes = {r.offence_code for r in readers.read(sample.path)}
    assert {"1", "4.1", "4.2", "4.10", "S001", "S002"} <= codes


def test_the_full_size_defaults_come_to_about_400_thousand_rows():
    per_quarter = 44 * len(sample_files.full_size_offences()) + 3
    rows = (2024 - 2012 + 1) * 4 * per_quarter
    assert 380_000 <= rows <= 420_000


def test_only_ods_and_xlsx_are_written(tmp_path):
    with pytest.raises(ValueError, match=r"write \.ods or \.xlsx"):
        sample_files.write_workbook(tmp_path / "x.csv", [])
