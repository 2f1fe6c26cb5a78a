"""The import of official releases, end to end: sample files in the real
layouts, for every force, checked against the rows they were built from."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from measures.models import Area, Figure, Measure, PublicationStatus
from official import sample_files
from official.models import ChangeKind, FigureChange, Release
from official.services import (
    CONFLICT,
    ImportRefused,
    StalePreview,
    preview_release,
    write_release,
)

pytestmark = pytest.mark.django_db

HO_NAME = "prc-pfa-mar2013-onwards-tables-230426.ods"
YEAR_TO_MARCH_2013 = (datetime.date(2012, 4, 1), datetime.date(2013, 3, 31))


@pytest.fixture
def ho_file(home_office, tmp_path):
    path = tmp_path / HO_NAME
    path.write_bytes(home_office.path.read_bytes())
    return path


def _value(slug, code, period):
    return Figure.objects.get(
        measure__slug=slug, area__ons_code=code, period_start=period[0], period_end=period[1]
    ).value


def test_home_office_file_imports_for_every_force_and_sums_agree(home_office, ho_file):
    preview = preview_release(ho_file)
    assert preview.release_date == datetime.date(2026, 4, 23)
    release = write_release(preview, user=None, publish=True)
    assert release.added == len(preview.new) > 0
    forces = Area.objects.filter(kind="police-force-area")
    assert forces.count() == 43
    homicides = Figure.objects.filter(measure__slug="homicides", period_start=YEAR_TO_MARCH_2013[0])
    assert set(homicides.values_list("area__ons_code", flat=True)) >= set(
        forces.values_list("ons_code", flat=True)
    ) | {"K04000001", "E92000001", "W92000004"}
    year = sample_files.financial_year(2012)
    codes = sample_files.HOMICIDE_CODES
    humberside = home_office.total(codes, forces={"Humberside"}, year=year)
    assert _value("homicides", "E23000012", YEAR_TO_MARCH_2013) == humberside
    assert _value("homicides", "K04000001", YEAR_TO_MARCH_2013) == home_office.total(
        codes, year=year
    )
    assert all(f.status == PublicationStatus.PUBLISHED for f in homicides)
    assert "the Home Office release of 23 April 2026" in homicides[0].note


def test_ons_file_imports_firearms_and_knife_figures(ons):
    release = write_release(preview_release(ons.path), user=None)
    assert release.source == "ons-pfa" and release.added > 0
    period = (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    for code in ("E23000012", "K04000001", "W15000001"):
        written = ons.values[("Table P8", code, "Apr 2023 to Mar 2024")]
        assert _value("firearm-discharges", code, period) == written
    forces = [a.ons_code for a in Area.objects.filter(kind="police-force-area")]
    assert _value("firearm-discharges", "K04000001", period) == sum(
        ons.values[("Table P8", code, "Apr 2023 to Mar 2024")] for code in forces
    )
    assert Figure.objects.filter(measure__slug="knife-crime-police-recorded").count() == 46 * 3


def test_importing_the_same_file_again_changes_nothing(ho_file, capsys):
    call_command("import_official", str(ho_file), "--publish")
    figures = list(Figure.objects.values_list("pk", "value", "version"))
    call_command("import_official", str(ho_file), "--publish")
    assert "already imported" in capsys.readouterr().out
    assert list(Figure.objects.values_list("pk", "value", "version")) == figures
    assert Release.objects.count() == 1


def test_a_revising_release_keeps_history(home_office, home_office_revision, ho_file, tmp_path):
    write_release(preview_release(ho_file), user=None, publish=True)
    second = tmp_path / "prc-pfa-mar2013-onwards-tables-230726.ods"
    second.write_bytes(home_office_revision.path.read_bytes())
    preview = preview_release(second)
    assert preview.revised, "the sample revises homicides in 2012/13"
    release = write_release(preview, user=None, publish=True)
    assert release.revised == len(preview.revised)
    for planned in preview.revised:
        figure = Figure.objects.get(pk=planned.figure_id)
        assert figure.value == planned.value and figure.previous_value == planned.old_value
        assert figure.revised_at is not None
        assert figure.history.count() == 2
        change = FigureChange.objects.get(release=release, figure=figure)
        assert (change.kind, change.old_value) == (ChangeKind.REVISED, planned.old_value)
    year = sample_files.financial_year(2012)
    total = home_office_revision.total(sample_files.HOMICIDE_CODES, year=year)
    assert _value("homicides", "K04000001", YEAR_TO_MARCH_2013) == total


def test_staff_figures_are_conflicts_never_overwritten(ho_file):
    measure = Measure.objects.get(slug="homicides")
    area = Area.objects.get(ons_code="E23000012")
    staff = Figure.objects.create(
        measure=measure,
        area=area,
        period_start=YEAR_TO_MARCH_2013[0],
        period_end=YEAR_TO_MARCH_2013[1],
        value=Decimal(999),
    )
    preview = preview_release(ho_file)
    conflicts = [f for f in preview.figures if f.kind == CONFLICT]
    assert [f.figure_id for f in conflicts] == [staff.pk]
    write_release(preview, user=None)
    staff.refresh_from_db()
    assert staff.value == 999 and staff.version == 1


def test_a_stale_preview_is_refused(ho_file):
    preview = preview_release(ho_file)
    Figure.objects.create(
        measure=Measure.objects.get(slug="homicides"),
        area=Area.objects.get(ons_code="E23000012"),
        period_start=YEAR_TO_MARCH_2013[0],
        period_end=YEAR_TO_MARCH_2013[1],
        value=1,
    )
    with pytest.raises(StalePreview):
        write_release(preview, user=None)
    assert Release.objects.count() == 0 and Figure.objects.count() == 1


def _bad_home_office(tmp_path, change):
    rows = [list(sample_files.HEADER), ["2024/25", 1, "Humberside", "Murder", "V", "H", "1", 3]]
    change(rows)
    path = tmp_path / "bad.ods"
    sample_files.write_workbook(path, [("2024_25", rows)])
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda rows: rows[1].__setitem__(2, "Atlantis"), "sheet '2024_25', row 2, column C"),
        (lambda rows: rows[1].__setitem__(7, "lots"), "sheet '2024_25', row 2, column H"),
        (lambda rows: [r.pop(7) for r in rows], "Number of Offences"),
    ],
    ids=["unknown force", "bad count", "missing column"],
)
def test_bad_files_are_refused_and_nothing_is_written(tmp_path, change, expected):
    with pytest.raises(ImportRefused) as refused:
        preview_release(_bad_home_office(tmp_path, change))
    assert expected in " ".join(refused.value.messages)
    assert Figure.objects.count() == 0 and Release.objects.count() == 0


def test_the_command_refuses_another_kind_of_file(tmp_path, capsys):
    path = tmp_path / "figures.csv"
    path.write_text("measure,area\nhomicides,K04000001\n")
    with pytest.raises(CommandError):
        call_command("import_official", str(path))
    assert "not a spreadsheet" in capsys.readouterr().err
    assert Figure.objects.count() == 0 and Release.objects.count() == 0


def test_dry_run_writes_nothing(ho_file, capsys):
    call_command("import_official", str(ho_file), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert Figure.objects.count() == 0 and Release.objects.count() == 0
