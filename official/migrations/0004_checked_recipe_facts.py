"""Corrections to two shipped recipes, after checking them against sources
(docs/sources.md, section 10, gives each source's address).

- Neighbourhood crime: residential burglary is more than 28E (burglary
  residential) and 28F (attempted burglary residential). The ONS's offence
  code list for police recorded crime groups five codes as domestic burglary
  under the classification in force from April 2017: 28E, 28F, 28G
  (distraction burglary residential), 28H (attempted distraction burglary
  residential) and 29A (aggravated burglary residential). 28G, 28H and 29A
  are added. The same list confirms 34B (robbery of personal property), 39
  (theft from the person), 45 (theft from vehicle), 48 (theft or
  unauthorised taking of motor vehicle), 37.2 (aggravated vehicle taking)
  and 126 (interfering with a motor vehicle).
- Firearms: the ONS counts an offence as involving a firearm when the
  firearm was fired, used as a blunt instrument or used as a threat, so
  Table P8 is wider than the national measure (offences in which a firearm
  was discharged); the recipe's note now says so.

A recipe is data that staff may have changed in the admin since 0003: each
correction is made only where the recipe still holds what 0003 wrote, and
undoing this migration puts back only what it changed.
"""

from django.db import migrations

NEIGHBOURHOOD = "neighbourhood-crime-police-recorded"
FIREARMS = "firearm-discharges"

OLD_NEIGHBOURHOOD_CODES = "28E, 28F, 34B, 39, 45, 48, 37.2, 126"
NEIGHBOURHOOD_CODES = "28E, 28F, 28G, 28H, 29A, 34B, 39, 45, 48, 37.2, 126"

OLD_NEIGHBOURHOOD_SOURCE = (
    "Home Office, Beating Crime Plan (July 2021): neighbourhood crime is domestic "
    "burglary, personal robbery, theft from the person and vehicle offences (as HMICFRS, "
    "'The police response to burglary, robbery and other acquisitive crime', August "
    "2022, restates it). Codes 34B (robbery of personal property) and 39 (theft from the "
    "person) checked against the Counting Rules; 28E, 28F, 45, 48, 37.2 and 126 not "
    "checked here."
)
NEIGHBOURHOOD_SOURCE = (
    "Home Office, Beating Crime Plan (July 2021): neighbourhood crime. HMICFRS, 'The "
    "police response to burglary, robbery and other acquisitive crime' (11 August 2022), "
    "says the plan's definition includes domestic burglary, personal robbery, theft from "
    "the person and theft of and from a motor vehicle. Codes, as the ONS's offence code "
    "list for police recorded crime names them: domestic burglary 28E (burglary "
    "residential), 28F (attempted), 28G (distraction burglary residential), 28H "
    "(attempted distraction) and 29A (aggravated burglary residential); 34B robbery of "
    "personal property; 39 theft from the person; 45 theft from vehicle; 48 theft or "
    "unauthorised taking of motor vehicle; 37.2 aggravated vehicle taking; 126 "
    "interfering with a motor vehicle. Not checked: the plan's own wording (whether it "
    "counts aggravated vehicle taking and vehicle interference), and the codes the "
    "tables use since residential burglary was split in 2023 into burglary of a home "
    "and of an unconnected building; before April 2017 burglary in a dwelling had other "
    "codes, which this recipe leaves out."
)

OLD_FIREARMS_SOURCE = (
    "ONS, Crime in England and Wales: Police Force Area data tables, Table P8 (police "
    "recorded offences involving firearms). Not checked here: whether the table's notes "
    "limit it to offences in which a firearm was fired, as the national measure is."
)
FIREARMS_SOURCE = (
    "ONS, Crime in England and Wales: Police Force Area data tables, Table P8 (police "
    "recorded offences involving firearms). The ONS counts an offence as involving a "
    "firearm if the firearm was fired, used as a blunt instrument or used as a threat "
    "(Focus on violent crime and sexual offences, year ending March 2016); the weapon was "
    "fired in about half of them (51% in the year ending March 2019). Table P8 therefore "
    "counts more than the national measure, offences in which a firearm was discharged: "
    "its figures are not comparable with a count of discharges and overstate it. Not "
    "checked: Table P8's own notes (whether it leaves out air weapons)."
)

CHANGES = [
    # (measure, source, ONS table, field, value 0003 wrote, corrected value)
    (NEIGHBOURHOOD, "home-office-pfa", "", "offence_codes", OLD_NEIGHBOURHOOD_CODES,
     NEIGHBOURHOOD_CODES),
    (NEIGHBOURHOOD, "home-office-pfa", "", "definition_source", OLD_NEIGHBOURHOOD_SOURCE,
     NEIGHBOURHOOD_SOURCE),
    (FIREARMS, "ons-pfa", "Table P8", "definition_source", OLD_FIREARMS_SOURCE,
     FIREARMS_SOURCE),
]  # fmt: skip


def _replace(apps, *, forwards: bool):
    Recipe = apps.get_model("official", "Recipe")
    for slug, source, table, field, old, new in CHANGES:
        before, after = (old, new) if forwards else (new, old)
        Recipe.objects.filter(
            measure__slug=slug, source=source, ons_table=table, **{field: before}
        ).update(**{field: after})


def correct(apps, schema_editor):
    _replace(apps, forwards=True)


def restore(apps, schema_editor):
    _replace(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("official", "0003_shipped_recipes")]

    operations = [migrations.RunPython(correct, restore)]
