"""Make the 2021 National Crime and Policing Measures the first framework.

Every priority area that exists before this migration (the six of the
catalogue migration, and any an office added) belonged to that one framework,
so each is given to it; nothing else changes. Backwards, the priority areas
lose their framework and the framework goes, so no other row is touched.

The framework's fields and sources are written out here, as
measures/frameworks/national-crime-and-policing-measures-2021.toml has them,
so that this migration keeps loading the same data whatever that file and
the models become.
"""

import datetime

from django.db import migrations

SLUG = "national-crime-and-policing-measures-2021"

FRAMEWORK = {
    "name": "National Crime and Policing Measures",
    "issued_by": "Home Office",
    "date_communicated": datetime.date(2021, 7, 1),
    "month_only": True,
    # The first primary source of the file: the Home Office guidance naming the six.
    "source_url": "https://www.gov.uk/government/publications/publishing-information-in-a-"
    "transparent-way/the-elected-local-policing-bodies-specified-information-amendment-"
    "order-2021-guidance-for-police-and-crime-commissioners",
    "summary": "Six national priorities for policing, with measures to follow them, "
    "introduced by the Home Office in 2021.",
    "expectation": "Significant improvement against the baseline within three years of the "
    "measures' introduction in 2021 (the Home Office's expectation).",
    "expectation_due": datetime.date(2024, 3, 31),
    "notes": "Date communicated: July 2021 is the month of the Beating Crime Plan, which the "
    "Warwickshire police and crime commissioner's page describes as introducing the measures. "
    "The GOV.UK guidance on the 2021 amending Order (shown as updated 1 June 2021) already "
    'names the six priorities as those "specified in the Police and Crime Measures", so they '
    "were known to local policing bodies by then; the exact date and form of the Home "
    "Secretary's communication could not be checked. The catalogue's link "
    "https://www.gov.uk/government/publications/national-crime-and-policing-measures could "
    "not be found in any stored copy of GOV.UK and is not used here. No source found says "
    "the framework has been superseded, so date_superseded is left out. The expectation and "
    "its due date (end of the 2023/24 financial year) are the catalogue's reading of "
    '"significant improvements within 3 years"; the Home Office text gives no exact date.',
}

SOURCES = [
    {
        "title": "Key National Priorities for Policing",
        "url": "https://humberside-pcc.gov.uk/Your-Police/Key-National-Priorities-for-Policing.aspx",
        "publisher": "Humberside Police and Crime Commissioner",
        "date": "not-stated",
        "kind": "copy",
        "notes": "Reproduces the Home Office table (priority area, national metric, data "
        "source) used for every name in this file.",
    },
    {
        "title": "The Elected Local Policing Bodies (Specified Information) (Amendment) Order "
        "2021: guidance for police and crime commissioners",
        "url": "https://www.gov.uk/government/publications/publishing-information-in-a-"
        "transparent-way/the-elected-local-policing-bodies-specified-information-amendment-"
        "order-2021-guidance-for-police-and-crime-commissioners",
        "publisher": "Home Office",
        "date": "2021-06-01",
        "kind": "primary",
        "notes": "Shown as 'Updated 1 June 2021'. Names the six national priorities for "
        "policing 'specified in the Police and Crime Measures'.",
    },
    {
        "title": "Beating crime plan",
        "url": "https://www.gov.uk/government/publications/beating-crime-plan/beating-crime-plan",
        "publisher": "Home Office",
        "date": "2021-07",
        "kind": "primary",
        "notes": "The plan is dated July 2021 and shown on GOV.UK as 'Updated 12 October "
        "2021'. Announced on 27 July 2021 according to secondary reports. The part of the "
        "plan that lists the measures was not read.",
    },
    {
        "title": "National Policing and Crime Measures",
        "url": "https://www.warwickshire-pcc.gov.uk/key-information/"
        "national-policing-and-crime-measures/",
        "publisher": "Warwickshire Police and Crime Commissioner",
        "date": "not-stated",
        "kind": "secondary",
        "notes": "Says the measures were introduced by the Home Office as part of the Beating "
        "Crime Plan, July 2021.",
    },
]


def create_framework(apps):
    """The 2021 framework and its sources (unchanged if it is there already)."""
    Framework = apps.get_model("measures", "Framework")
    FrameworkSource = apps.get_model("measures", "FrameworkSource")
    framework, created = Framework.objects.get_or_create(slug=SLUG, defaults=FRAMEWORK)
    if created:
        for order, source in enumerate(SOURCES, start=1):
            FrameworkSource.objects.create(framework=framework, order=order, **source)
    return framework


def forwards(apps, schema_editor):
    framework = create_framework(apps)
    PriorityArea = apps.get_model("measures", "PriorityArea")
    PriorityArea.objects.filter(framework__isnull=True).update(framework=framework)


def backwards(apps, schema_editor):
    Framework = apps.get_model("measures", "Framework")
    PriorityArea = apps.get_model("measures", "PriorityArea")
    PriorityArea.objects.filter(framework__slug=SLUG).update(framework=None)
    Framework.objects.filter(slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0010_frameworks")]

    operations = [migrations.RunPython(forwards, backwards)]
