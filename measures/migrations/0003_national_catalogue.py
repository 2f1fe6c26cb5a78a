"""Load the Home Office National Crime and Policing Measures.

The priority areas, metrics and data source names are the Home Office table's,
verbatim. The data is written out here rather than imported from app code, so
this migration keeps loading the same catalogue whatever the models become.
Running it again changes nothing.
"""

import datetime

from django.db import migrations

BASELINE_START = datetime.date(2018, 7, 1)
BASELINE_END = datetime.date(2019, 6, 30)
# The measures were introduced in 2021 with the expectation of significant
# improvement within three years: by the end of the 2023/24 financial year.
NATIONAL_TARGET_DUE = datetime.date(2024, 3, 31)

DATA_SOURCES = [
    {
        "name": "Police Recorded",
        "publisher": "Home Office",
        "url": "https://www.gov.uk/government/collections/police-recorded-crime-and-outcomes",
        "description": "Crimes recorded by the 43 police forces of England and Wales and the "
        "British Transport Police, published by the Home Office and the Office for National "
        "Statistics. Homicides come from the Home Office Homicide Index.",
        "update_frequency": "quarterly",
        "is_survey": False,
    },
    {
        "name": "NHS",
        "publisher": "NHS England",
        "url": "https://digital.nhs.uk/data-and-information/data-tools-and-services/"
        "data-services/hospital-episode-statistics",
        "description": "Hospital Episode Statistics: admissions to NHS hospitals in England.",
        "update_frequency": "monthly",
        "is_survey": False,
    },
    {
        "name": "Public Health England",
        "publisher": "Office for Health Improvement and Disparities",
        "url": "https://www.ndtms.net/",
        "description": "The National Drug Treatment Monitoring System. Public Health "
        "England's role in drug treatment data passed to the Office for Health Improvement "
        "and Disparities in 2021.",
        "update_frequency": "quarterly",
        "is_survey": False,
    },
    {
        "name": "Crime Survey for England and Wales (CSEW)",
        "publisher": "Office for National Statistics",
        "url": "https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice",
        "description": "A face-to-face and telephone survey asking people in households in "
        "England and Wales about their experience of crime in the last 12 months. Its "
        "estimates carry confidence intervals.",
        "update_frequency": "quarterly",
        "is_survey": True,
    },
    {
        "name": "Cyber Aware Tracker",
        "publisher": "Home Office",
        "url": "https://www.ncsc.gov.uk/cyberaware",
        "description": "A survey tracking the public's attitudes to, and behaviour on, "
        "cyber security.",
        "update_frequency": "twice-yearly",
        "is_survey": True,
    },
    {
        "name": "Department for Digital, Culture, Media and Sport survey",
        "publisher": "Department for Science, Innovation and Technology (formerly the "
        "Department for Digital, Culture, Media and Sport)",
        "url": "https://www.gov.uk/government/collections/cyber-security-breaches-survey",
        "description": "The Cyber Security Breaches Survey of UK businesses and charities.",
        "update_frequency": "annually",
        "is_survey": True,
    },
]

PRIORITY_AREAS = [
    ("Reduce murder and other homicide", "reduce-murder-and-other-homicide"),
    ("Reduce serious violence", "reduce-serious-violence"),
    ("Disrupt drugs supply and county lines", "disrupt-drugs-supply-and-county-lines"),
    ("Reduce neighbourhood crime", "reduce-neighbourhood-crime"),
    (
        "Improve satisfaction among victims, with a particular focus on victims of "
        "domestic abuse",
        "improve-satisfaction-among-victims",
    ),
    ("Tackle cyber crime", "tackle-cyber-crime"),
]

# (priority area index, name, slug, data source, unit, decimal places, direction, definition)
MEASURES = [
    (
        0,
        "Homicides",
        "homicides",
        "Police Recorded",
        "count",
        0,
        "down",
        "The number of homicides (murder, manslaughter and infanticide) recorded by the police.",
    ),
    (
        1,
        "Hospital admissions of under 25s for assault with a sharp object",
        "hospital-admissions-sharp-object-under-25",
        "NHS",
        "count",
        0,
        "down",
        "Admissions to NHS hospitals of people aged under 25 for assault by a knife or "
        "another sharp object.",
    ),
    (
        1,
        "Offences involving discharge of a firearm",
        "firearm-discharges",
        "Police Recorded",
        "count",
        0,
        "down",
        "Police recorded offences in which a firearm was fired.",
    ),
    (
        2,
        "Drug-related homicides",
        "drug-related-homicides",
        "Police Recorded",
        "count",
        0,
        "down",
        "Homicides in which the victim or the suspect was known to be involved in using or "
        "dealing illicit drugs.",
    ),
    (
        2,
        "Police referrals into drug treatment",
        "police-referrals-into-drug-treatment",
        "Public Health England",
        "count",
        0,
        "up",
        "The number of adults starting drug treatment who were referred by the police or "
        "another part of the criminal justice system.",
    ),
    (
        3,
        "Burglary, robbery, theft of and from a vehicle, theft from a person",
        "neighbourhood-crime",
        "Crime Survey for England and Wales (CSEW)",
        "rate-per-1000",
        1,
        "down",
        "Neighbourhood crime: incidents of domestic burglary, personal robbery, theft of and "
        "from a vehicle and theft from the person, per 1,000 people.",
    ),
    (
        4,
        "Satisfaction with the police among victims of domestic abuse",
        "domestic-abuse-victim-satisfaction",
        "Crime Survey for England and Wales (CSEW)",
        "percentage",
        1,
        "up",
        "The percentage of victims of domestic abuse who were satisfied with how the police "
        "handled their case.",
    ),
    (
        4,
        "Victim satisfaction with the police",
        "victim-satisfaction",
        "Crime Survey for England and Wales (CSEW)",
        "percentage",
        1,
        "up",
        "The percentage of victims of crime who were satisfied with how the police handled "
        "the matter.",
    ),
    (
        5,
        "Confidence in the law enforcement response to cyber crime",
        "cyber-crime-confidence",
        "Cyber Aware Tracker",
        "percentage",
        1,
        "up",
        "The percentage of people who are confident that the police and other law "
        "enforcement bodies respond well to cyber crime.",
    ),
    (
        5,
        "Percentage of businesses experiencing a cyber breach or attack",
        "businesses-cyber-breach-or-attack",
        "Department for Digital, Culture, Media and Sport survey",
        "percentage",
        1,
        "down",
        "The percentage of businesses that identified a cyber security breach or attack in "
        "the last 12 months.",
    ),
]


def load(apps, schema_editor):
    DataSource = apps.get_model("measures", "DataSource")
    PriorityArea = apps.get_model("measures", "PriorityArea")
    Measure = apps.get_model("measures", "Measure")
    Area = apps.get_model("measures", "Area")
    Target = apps.get_model("measures", "Target")

    sources = {}
    for fields in DATA_SOURCES:
        name = fields["name"]
        defaults = {k: v for k, v in fields.items() if k != "name"}
        sources[name], _ = DataSource.objects.get_or_create(name=name, defaults=defaults)

    areas = []
    for order, (name, slug) in enumerate(PRIORITY_AREAS, start=1):
        area, _ = PriorityArea.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
        areas.append(area)

    for order, (area_index, name, slug, source, unit, places, direction, definition) in enumerate(
        MEASURES, start=1
    ):
        measure, _ = Measure.objects.get_or_create(
            slug=slug,
            defaults={
                "priority_area": areas[area_index],
                "name": name,
                "definition": definition,
                "data_source": sources[source],
                "unit": unit,
                "decimal_places": places,
                "direction": direction,
                "baseline_start": BASELINE_START,
                "baseline_end": BASELINE_END,
                "tolerance": 2 if unit == "percentage" else 5,
                "kind": "national",
                "order": order,
            },
        )
        Target.objects.get_or_create(
            measure=measure,
            area=None,
            kind="improvement",
            defaults={
                "due": NATIONAL_TARGET_DUE,
                "description": "Significant improvement against the baseline within three "
                "years of the measures' introduction in 2021 (the Home Office's expectation).",
                "source_url": "https://www.gov.uk/government/publications/"
                "national-crime-and-policing-measures",
            },
        )

    Area.objects.get_or_create(
        slug="england-and-wales",
        defaults={"name": "England and Wales", "ons_code": "K04000001", "kind": "country"},
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_target_plan")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
