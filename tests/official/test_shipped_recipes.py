"""The shipped recipes hold the facts checked against their sources
(docs/sources.md, section 10), and an import counts exactly those codes."""

import datetime
import importlib

import pytest
from django.apps import apps

from measures.models import Figure
from official import sample_files
from official.models import Recipe
from official.sample_files import Offence
from official.services import preview_release, write_release

pytestmark = pytest.mark.django_db

NEIGHBOURHOOD = "neighbourhood-crime-police-recorded"
#: Domestic burglary (28E-28H, 29A), robbery of personal property, theft from
#: the person and the four vehicle offences, as the ONS's code list names them.
CHECKED_CODES = frozenset(
    {"28E", "28F", "28G", "28H", "29A", "34B", "39", "45", "48", "37.2", "126"}
)

BURGLARY, ROBBERY, THEFT, VEHICLE = "Burglary", "Robbery", "Theft offences", "Vehicle offences"
NEIGHBOURHOOD_OFFENCES = (
    Offence("28E", "Burglary - residential", BURGLARY, "Residential burglary"),
    Offence("28F", "Attempted burglary - residential", BURGLARY, "Residential burglary"),
    Offence("28G", "Distraction burglary - residential", BURGLARY, "Residential burglary"),
    Offence("28H", "Attempted distraction burglary", BURGLARY, "Residential burglary"),
    Offence("29A", "Aggravated burglary - residential", BURGLARY, "Residential burglary"),
    Offence("34B", "Robbery of personal property", ROBBERY, "Robbery of personal property"),
    Offence("39", "Theft from the person", THEFT, "Theft from the person"),
    Offence("45", "Theft from a vehicle", VEHICLE, "Vehicle offences"),
    Offence("48", "Theft or unauthorised taking of a motor vehicle", VEHICLE, "Vehicle offences"),
    Offence("37.2", "Aggravated vehicle taking", VEHICLE, "Vehicle offences"),
    Offence("126", "Interfering with a motor vehicle", VEHICLE, "Vehicle offences"),
)
#: Neighbours in the same groups that neighbourhood crime leaves out.
OTHER_OFFENCES = (
    Offence("30C", "Burglary - business and community", BURGLARY, "Non-residential burglary"),
    Offence("34A", "Robbery of business property", ROBBERY, "Robbery of business property"),
    Offence("44", "Theft or unauthorised taking of a pedal cycle", THEFT, "Bicycle theft"),
    Offence("46", "Shoplifting", THEFT, "Shoplifting"),
)


def _recipe(slug, source):
    return Recipe.objects.get(measure__slug=slug, source=source)


def test_the_neighbourhood_crime_recipe_has_the_checked_codes():
    recipe = _recipe(NEIGHBOURHOOD, "home-office-pfa")
    assert recipe.codes == CHECKED_CODES
    assert "ONS's offence code list" in recipe.definition_source
    assert "Not checked" in recipe.definition_source


def test_the_firearms_recipe_says_table_p8_counts_more_than_discharges():
    source = _recipe("firearm-discharges", "ons-pfa").definition_source
    assert "fired, used as a blunt instrument or used as a threat" in source
    assert "not comparable" in source
    assert "Not checked: Table P8's own notes" in source


def test_an_import_counts_every_checked_code_and_nothing_else(tmp_path):
    sample = sample_files.build_home_office(
        tmp_path / "prc-pfa-mar2013-onwards-tables-230426.ods",
        years=(2023,),
        latest_quarters=(1, 2, 3, 4),
        offences=NEIGHBOURHOOD_OFFENCES + OTHER_OFFENCES,
        na_every=0,
    )
    write_release(preview_release(sample.path), user=None)
    figure = Figure.objects.get(
        measure__slug=NEIGHBOURHOOD,
        area__ons_code="E23000012",  # Humberside
        period_start=datetime.date(2023, 4, 1),
        period_end=datetime.date(2024, 3, 31),
    )
    expected = sample.total(CHECKED_CODES, forces={"Humberside"})
    assert figure.value == expected
    assert expected < sample.total(
        CHECKED_CODES | {o.code for o in OTHER_OFFENCES}, forces={"Humberside"}
    )


def _correction():
    return importlib.import_module("official.migrations.0004_checked_recipe_facts")


def test_undoing_and_redoing_the_correction_moves_only_the_shipped_values():
    correction = _correction()
    recipe = _recipe(NEIGHBOURHOOD, "home-office-pfa")
    correction.restore(apps, None)
    recipe.refresh_from_db()
    assert recipe.offence_codes == correction.OLD_NEIGHBOURHOOD_CODES
    correction.correct(apps, None)
    recipe.refresh_from_db()
    assert recipe.codes == CHECKED_CODES


def test_the_correction_leaves_a_recipe_staff_have_changed():
    correction = _correction()
    recipe = _recipe(NEIGHBOURHOOD, "home-office-pfa")
    correction.restore(apps, None)
    Recipe.objects.filter(pk=recipe.pk).update(offence_codes="28E, 34B")
    correction.correct(apps, None)
    recipe.refresh_from_db()
    assert recipe.offence_codes == "28E, 34B"
    assert recipe.definition_source == correction.NEIGHBOURHOOD_SOURCE
