"""The recipes every install starts with, and the two local indicators they
feed beside the national measures.

- Homicides (national): the Home Office police force area tables' offence
  codes for homicide, which the Home Office Counting Rules (Violence against
  the person, with effect from April 2020 and April 2021) define as murder
  (class 1), manslaughter (4/1), infanticide (4/2) and corporate
  manslaughter (4/10); the tables write them 1, 4.1, 4.2 and 4.10.
- Offences involving discharge of a firearm (national): ONS police force
  area data tables, Table P8 (offences involving firearms), each column
  headed by a period. Checked since: the ONS counts firearms fired, used as
  a blunt instrument or used as a threat, so P8 counts more than discharges;
  0004 says so in the recipe.
- Knife or sharp instrument offences (a local indicator): ONS Table P6.
- Neighbourhood crime (a local indicator), as the Home Office's Beating
  Crime Plan (2021) defines it: domestic burglary, personal robbery, theft
  from the person and vehicle offences. The codes written here were checked
  since against the ONS's offence code list: 34B, 39, 45, 48, 37.2 and 126
  are as named, and 28E and 28F are burglary residential and its attempt,
  not the whole of it; 0004 adds 28G, 28H and 29A (docs/sources.md,
  section 10).

Recipes are data: staff change them in the admin. Running this again adds
nothing; undoing it removes the recipes it added (not the measures, which may
hold figures by then).
"""

import datetime

from django.db import migrations

HOMICIDE_SOURCE = (
    "Home Office Counting Rules for Recorded Crime, Violence against the Person "
    "(with effect from April 2021): homicide is classes 1 (murder), 4/1 (manslaughter), "
    "4/2 (infanticide) and 4/10 (corporate manslaughter), written 1, 4.1, 4.2, 4.10 in "
    "the open data tables."
)
FIREARMS_SOURCE = (
    "ONS, Crime in England and Wales: Police Force Area data tables, Table P8 (police "
    "recorded offences involving firearms). Not checked here: whether the table's notes "
    "limit it to offences in which a firearm was fired, as the national measure is."
)
KNIFE_SOURCE = (
    "ONS, Crime in England and Wales: Police Force Area data tables, Table P6 (police "
    "recorded offences involving a knife or sharp instrument)."
)
NEIGHBOURHOOD_SOURCE = (
    "Home Office, Beating Crime Plan (July 2021): neighbourhood crime is domestic "
    "burglary, personal robbery, theft from the person and vehicle offences (as HMICFRS, "
    "'The police response to burglary, robbery and other acquisitive crime', August "
    "2022, restates it). Codes 34B (robbery of personal property) and 39 (theft from the "
    "person) checked against the Counting Rules; 28E, 28F, 45, 48, 37.2 and 126 not "
    "checked here."
)

LOCAL_MEASURES = [
    {
        "slug": "knife-crime-police-recorded",
        "name": "Police recorded offences involving a knife or sharp instrument",
        "priority_area": "reduce-serious-violence",
        "definition": "Offences recorded by the police in which a knife or sharp instrument "
        "was used or threatened (ONS police force area data tables, Table P6).",
        "order": 50,
    },
    {
        "slug": "neighbourhood-crime-police-recorded",
        "name": "Police recorded neighbourhood crime",
        "priority_area": "reduce-neighbourhood-crime",
        "definition": "Domestic burglary, personal robbery, theft from the person and "
        "vehicle offences recorded by the police, as the Home Office defines neighbourhood "
        "crime (Beating Crime Plan, 2021).",
        "order": 51,
    },
]

RECIPES = [
    {
        "measure": "homicides",
        "source": "home-office-pfa",
        "offence_codes": "1, 4.1, 4.2, 4.10",
        "aggregation": "rolling-12-months",
        "definition_source": HOMICIDE_SOURCE,
    },
    {
        "measure": "firearm-discharges",
        "source": "ons-pfa",
        "ons_table": "Table P8",
        "definition_source": FIREARMS_SOURCE,
    },
    {
        "measure": "knife-crime-police-recorded",
        "source": "ons-pfa",
        "ons_table": "Table P6",
        "definition_source": KNIFE_SOURCE,
    },
    {
        "measure": "neighbourhood-crime-police-recorded",
        "source": "home-office-pfa",
        "offence_codes": "28E, 28F, 34B, 39, 45, 48, 37.2, 126",
        "aggregation": "rolling-12-months",
        "definition_source": NEIGHBOURHOOD_SOURCE,
    },
]


def _local_measures(apps):
    Measure = apps.get_model("measures", "Measure")
    DataSource = apps.get_model("measures", "DataSource")
    PriorityArea = apps.get_model("measures", "PriorityArea")
    source = DataSource.objects.filter(name="Police Recorded").first()
    if source is None:
        return
    for fields in LOCAL_MEASURES:
        Measure.objects.get_or_create(
            slug=fields["slug"],
            defaults={
                "name": fields["name"],
                "definition": fields["definition"],
                "priority_area": PriorityArea.objects.filter(slug=fields["priority_area"]).first(),
                "data_source": source,
                "unit": "count",
                "decimal_places": 0,
                "direction": "down",
                "baseline_start": datetime.date(2018, 7, 1),
                "baseline_end": datetime.date(2019, 6, 30),
                "kind": "local",
                "order": fields["order"],
            },
        )


def load(apps, schema_editor):
    _local_measures(apps)
    Measure = apps.get_model("measures", "Measure")
    Recipe = apps.get_model("official", "Recipe")
    for fields in RECIPES:
        measure = Measure.objects.filter(slug=fields["measure"]).first()
        if measure is None:
            continue
        values = {k: v for k, v in fields.items() if k != "measure"}
        Recipe.objects.get_or_create(
            measure=measure,
            source=values.pop("source"),
            aggregation=values.pop("aggregation", "rolling-12-months"),
            ons_table=values.pop("ons_table", ""),
            ons_column="",
            defaults=values,
        )


def unload(apps, schema_editor):
    Recipe = apps.get_model("official", "Recipe")
    for fields in RECIPES:
        Recipe.objects.filter(
            measure__slug=fields["measure"],
            source=fields["source"],
            ons_table=fields.get("ons_table", ""),
            ons_column="",
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("official", "0002_reference_areas"),
        ("measures", "0003_national_catalogue"),
    ]

    operations = [migrations.RunPython(load, unload)]
