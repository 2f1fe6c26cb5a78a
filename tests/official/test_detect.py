"""The kind of file is told from its content, and anything else is refused by name."""

import shutil
import zipfile

import openpyxl
import pytest

from official import readers
from official.readers import SourceKind, WrongKindError


def test_home_office_file_is_detected(home_office):
    assert readers.detect(home_office.path) is SourceKind.HOME_OFFICE_PFA


def test_home_office_layout_saved_as_xlsx_is_detected(home_office_xlsx):
    assert readers.detect(home_office_xlsx.path) is SourceKind.HOME_OFFICE_PFA


def test_ons_file_is_detected(ons):
    assert readers.detect(ons.path) is SourceKind.ONS_PFA


def test_detection_ignores_the_file_name(ons, home_office, tmp_path):
    misnamed = tmp_path / "prc-pfa-mar2013-onwards-tables-230426.ods"
    shutil.copy(ons.path, misnamed)
    assert readers.detect(misnamed) is SourceKind.ONS_PFA
    also = tmp_path / "policeforceareatables.xlsx"
    shutil.copy(home_office.path, also)
    assert readers.detect(also) is SourceKind.HOME_OFFICE_PFA


def _random_xlsx(path):
    book = openpyxl.Workbook()
    book.active.title = "Budget"
    book.active.append(["Item", "Cost"])
    book.active.append(["Paper", 12])
    book.save(path)


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("figures.csv", lambda p: p.write_text("measure,area\nhomicides,K04000001\n"), "CSV"),
        ("tables.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "PDF"),
        ("empty.ods", lambda p: p.write_bytes(b""), "empty"),
        ("noise.xlsx", lambda p: p.write_bytes(b"\x00\x01\x02\x03" * 100), "not a spreadsheet"),
        ("budget.xlsx", _random_xlsx, "neither the Home Office"),
        ("broken.ods", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200), "damaged"),
    ],
)
def test_other_files_are_refused_with_what_they_are(tmp_path, name, make, says):
    path = tmp_path / name
    make(path)
    with pytest.raises(WrongKindError) as refused:
        readers.detect(path)
    assert says in str(refused.value)
    with pytest.raises(WrongKindError):
        list(readers.read(path))
    with pytest.raises(WrongKindError):
        readers.check(path)


def test_a_zip_that_is_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "bundle.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(WrongKindError, match="ZIP archive, not a spreadsheet"):
        readers.detect(path)


def test_the_random_xlsx_message_names_its_sheets(tmp_path):
    path = tmp_path / "budget.xlsx"
    _random_xlsx(path)
    with pytest.raises(WrongKindError, match="'Budget'"):
        readers.detect(path)


def test_reading_as_the_wrong_kind_is_refused(ons, home_office):
    with pytest.raises(WrongKindError, match=r"expected the Home Office.*this is the ONS"):
        next(readers.read(ons.path, kind=SourceKind.HOME_OFFICE_PFA))
    with pytest.raises(WrongKindError, match="expected the ONS"):
        readers.check(home_office.path, kind=SourceKind.ONS_PFA)
