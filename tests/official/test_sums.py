"""The homicide and firearms figures a reader yields add up to what the files
hold, for one force and for England and Wales.

Homicide in the Home Office tables is offences 1 (murder), 4.1 (manslaughter),
4.2 (infanticide) and 4.10 (corporate manslaughter) of the Home Office
Counting Rules. Firearms are not an offence code there: offences involving
firearms come from a separate Home Office collection, which the ONS publishes
by force area in its Table P8 (and the Home Office in its own firearms open
data table)."""

from collections import defaultdict
from decimal import Decimal

import pytest

from official import areas, readers
from official.sample_files import HOMICIDE_CODES


def homicide_totals(path):
    """Homicides per force area (ONS code) and financial year, summed from the
    records as the import will: placing each force name, skipping the
    non-territorial rows."""
    totals = defaultdict(int)
    for record in readers.read(path):
        if record.offence_code not in HOMICIDE_CODES:
            continue
        code = areas.ons_code_for_force(record.force_name)
        if code is None:
            continue
        totals[code, record.financial_year] += record.count or 0
        totals["K04000001", record.financial_year] += record.count or 0
    return totals


@pytest.mark.parametrize(
    ("force", "code"), [("Kent", "E23000032"), ("London, City of", "E23000034")]
)
def test_homicides_for_a_force_are_the_sum_of_its_rows(home_office, force, code):
    totals = homicide_totals(home_office.path)
    for year in ("2012/13", "2024/25"):
        expected = home_office.total(HOMICIDE_CODES, forces={force}, year=year)
        assert totals[code, year] == expected
    assert totals[code, "2012/13"] > 0


def test_homicides_for_england_and_wales_are_the_sum_over_the_43_forces(home_office):
    totals = homicide_totals(home_office.path)
    for year in ("2012/13", "2024/25"):
        assert totals["K04000001", year] == home_office.total(HOMICIDE_CODES, year=year)
    # British Transport Police's homicides are in the file but not in England and Wales.
    btp = home_office.total(HOMICIDE_CODES, forces={"British Transport Police"}, year="2012/13")
    assert btp > 0
    everything = home_office.total(
        HOMICIDE_CODES, forces={f for f, *_ in home_office.counts}, year="2012/13"
    )
    assert totals["K04000001", "2012/13"] == everything - btp


def test_a_quarter_and_the_latest_quarters_add_up(home_office):
    by_quarter = defaultdict(int)
    for record in readers.read(home_office.path):
        if record.offence_code in HOMICIDE_CODES and record.force_name == "Kent":
            by_quarter[record.financial_year, record.quarter] += record.count or 0
    assert sorted(q for (y, q) in by_quarter if y == "2024/25") == [1, 2, 3]
    for (year, quarter), total in by_quarter.items():
        assert total == home_office.total(
            HOMICIDE_CODES, forces={"Kent"}, year=year, quarters={quarter}
        )


def test_firearms_for_a_force_and_england_and_wales_come_from_table_p8(ons):
    values = {
        (r.area_code, r.header): r.value for r in readers.read(ons.path, ons_tables=("Table P8",))
    }
    header = "Apr 2024 to Mar 2025"
    for code in ("E23000032", "K04000001"):
        assert values[code, header] == Decimal(ons.values["Table P8", code, header])
    forces = sum(values[f.ons_code, header] for f in areas.police_force_areas())
    assert values["K04000001", header] == forces
    wales = sum(
        values[f.ons_code, header]
        for f in areas.police_force_areas()
        if f.parent_code == "W92000004"
    )
    assert values["W92000004", header] == wales
