"""The national catalogue loaded by the data migration, checked against the
Home Office table word for word."""

import datetime

import pytest

from measures.models import Area, Direction, Measure, MeasureKind, PriorityArea, Target, TargetKind

pytestmark = pytest.mark.django_db

HOME_OFFICE_TABLE = [
    ("Reduce murder and other homicide", "Homicides", "Police Recorded"),
    (
        "Reduce serious violence",
        "Hospital admissions of under 25s for assault with a sharp object",
        "NHS",
    ),
    ("Reduce serious violence", "Offences involving discharge of a firearm", "Police Recorded"),
    ("Disrupt drugs supply and county lines", "Drug-related homicides", "Police Recorded"),
    (
        "Disrupt drugs supply and county lines",
        "Police referrals into drug treatment",
        "Public Health England",
    ),
    (
        "Reduce neighbourhood crime",
        "Burglary, robbery, theft of and from a vehicle, theft from a person",
        "Crime Survey for England and Wales (CSEW)",
    ),
    (
        "Improve satisfaction among victims, with a particular focus on victims of domestic abuse",
        "Satisfaction with the police among victims of domestic abuse",
        "Crime Survey for England and Wales (CSEW)",
    ),
    (
        "Improve satisfaction among victims, with a particular focus on victims of domestic abuse",
        "Victim satisfaction with the police",
        "Crime Survey for England and Wales (CSEW)",
    ),
    (
        "Tackle cyber crime",
        "Confidence in the law enforcement response to cyber crime",
        "Cyber Aware Tracker",
    ),
    (
        "Tackle cyber crime",
        "Percentage of businesses experiencing a cyber breach or attack",
        "Department for Digital, Culture, Media and Sport survey",
    ),
]


def test_national_measures_are_the_home_office_table_verbatim_and_in_order():
    rows = list(
        Measure.objects.filter(kind=MeasureKind.NATIONAL)
        .order_by("order")
        .values_list("priority_area__name", "name", "data_source__name")
    )
    assert rows == HOME_OFFICE_TABLE


def test_six_priority_areas_in_the_tables_order():
    names = list(PriorityArea.objects.values_list("name", flat=True))
    assert names == list(dict.fromkeys(row[0] for row in HOME_OFFICE_TABLE))


@pytest.mark.parametrize(
    ("slug", "direction"),
    [
        ("homicides", Direction.DOWN),
        ("neighbourhood-crime", Direction.DOWN),
        ("firearm-discharges", Direction.DOWN),
        ("victim-satisfaction", Direction.UP),
        ("domestic-abuse-victim-satisfaction", Direction.UP),
        ("cyber-crime-confidence", Direction.UP),
        ("police-referrals-into-drug-treatment", Direction.UP),
        ("businesses-cyber-breach-or-attack", Direction.DOWN),
    ],
)
def test_desired_directions(slug, direction):
    assert Measure.objects.get(slug=slug).direction == direction


def test_every_measure_has_a_definition_and_the_june_2019_baseline():
    for measure in Measure.objects.all():
        assert measure.definition
        assert (measure.baseline_start, measure.baseline_end) == (
            datetime.date(2018, 7, 1),
            datetime.date(2019, 6, 30),
        )


def test_survey_sources_are_marked_as_surveys():
    surveys = {m.slug for m in Measure.objects.select_related("data_source") if m.is_survey}
    assert surveys == {
        "neighbourhood-crime",
        "domestic-abuse-victim-satisfaction",
        "victim-satisfaction",
        "cyber-crime-confidence",
        "businesses-cyber-breach-or-attack",
    }


def test_public_health_england_names_its_successor():
    measure = Measure.objects.select_related("data_source").get(
        slug="police-referrals-into-drug-treatment"
    )
    assert measure.data_source.name == "Public Health England"
    assert "Office for Health Improvement and Disparities" in measure.data_source.publisher


def test_england_and_wales_is_loaded():
    area = Area.objects.get(slug="england-and-wales")
    assert (area.name, area.ons_code, area.kind) == ("England and Wales", "K04000001", "country")


def test_each_national_measure_carries_the_home_office_expectation():
    targets = Target.objects.filter(area=None, kind=TargetKind.IMPROVEMENT)
    assert targets.count() == 10
    assert {t.due for t in targets} == {datetime.date(2024, 3, 31)}
