"""The reference areas and the Home Office force names."""

import re

import pytest

from official import areas

FORCES = areas.police_force_areas()


def test_every_territorial_force_area_of_england_and_wales_is_there():
    assert len(FORCES) == 43
    assert sum(f.ons_code.startswith("E23") for f in FORCES) == 39
    assert sum(f.ons_code.startswith("W15") for f in FORCES) == 4
    assert all(re.fullmatch(r"(E23|W15)\d{6}", f.ons_code) for f in FORCES)


def test_the_countries_and_the_union_are_there():
    assert {a.ons_code: a.ons_name for a in areas.areas() if a.kind == "country"} == {
        "K02000001": "United Kingdom",
        "K04000001": "England and Wales",
        "E92000001": "England",
        "W92000004": "Wales",
    }


def test_codes_names_and_police_uk_ids_are_unique():
    codes = [a.ons_code for a in areas.areas()]
    assert len(codes) == len(set(codes))
    ids = [f.police_uk_id for f in FORCES]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z]+(-[a-z]+)*", i) for i in ids)
    assert len({areas.name_key(f.ons_name) for f in FORCES}) == 43


def test_parents_are_areas_in_the_file():
    codes = {a.ons_code for a in areas.areas()}
    for area in areas.areas():
        assert area.parent_code in codes | {""}
        if area.kind == "police-force-area":
            assert area.parent_code == ("E92000001" if area.ons_code[0] == "E" else "W92000004")


def test_every_force_has_a_home_office_name():
    assert all(f.home_office_names for f in FORCES)


@pytest.mark.parametrize(
    ("name", "code"),
    [(name, force.ons_code) for force in FORCES for name in force.names],
)
def test_every_name_of_every_force_maps_to_its_code(name, code):
    assert areas.ons_code_for_force(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("London, City of", "E23000034"),
        ("City of London", "E23000034"),
        ("  london ,  CITY OF ", "E23000034"),
        ("City of London Police", "E23000034"),
        ("Devon & Cornwall", "E23000035"),
        ("Devon and Cornwall Police", "E23000035"),
        ("dyfed powys", "W15000004"),
        ("Dyfed-Powys Police", "W15000004"),
        ("Metropolitan Police Service", "E23000001"),
        ("metropolitan police", "E23000001"),
        ("Avon & Somerset Constabulary", "E23000036"),
        ("West  Midlands", "E23000014"),
        ("Hampshire and Isle of Wight Constabulary", "E23000030"),
    ],
)
def test_names_are_matched_whatever_the_case_spacing_and_punctuation(name, code):
    assert areas.ons_code_for_force(name) == code


@pytest.mark.parametrize(
    "name",
    ["British Transport Police", "Action Fraud", "CIFAS", "UK Finance", "cifas", "U.K. Finance"],
)
def test_non_territorial_rows_are_recognised(name):
    assert areas.ons_code_for_force(name) is None
    assert areas.is_non_territorial(name)


@pytest.mark.parametrize("name", ["Gotham", "London", "Police", "", "Scotland"])
def test_an_unknown_name_is_an_error_that_names_it(name):
    with pytest.raises(areas.UnknownForceName) as error:
        areas.ons_code_for_force(name)
    assert error.value.name == name
    assert f"unknown force name {name!r}" in str(error.value)


def test_area_by_code():
    assert areas.area_by_code("e23000034").ons_name == "London, City of"
    assert areas.area_by_code("E23000099") is None
