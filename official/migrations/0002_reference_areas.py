"""Every territorial police force area of England and Wales, and England and
Wales, England, Wales and the United Kingdom, into ``measures.Area``.

From ``official/data/areas.csv`` (ONS, *Police Force Areas (December 2025)
Names and Codes in the UK*, Open Government Licence v3.0; the Home Office's
force names and the data.police.uk identifiers beside them: see
``official/data/README.md``). An area already there is matched by its ONS code
(England and Wales, loaded by the catalogue), or, when it has no code yet, by
its slug (the demo's Humberside), and only its missing details are filled
in: nothing is duplicated or overwritten. Publishers may add and change areas.
Running it again changes nothing; undoing it leaves the areas (they may
carry figures by then).
"""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "areas.csv"
KINDS = ("country", "police-force-area")


def _rows():
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["kind"] in KINDS]


def _slug(row):
    # "London, City of" → "city-of-london", as people say it.
    name = "City of London" if row["ons_code"] == "E23000034" else row["ons_name"]
    return slugify(name)


def _fill(area, row, parent):
    changed = False
    for field, value in (
        ("ons_code", row["ons_code"]),
        ("home_office_names", row["home_office_names"]),
        ("police_uk_id", row["police_uk_id"]),
    ):
        if value and not getattr(area, field):
            setattr(area, field, value)
            changed = True
    if parent is not None and area.parent_id is None:
        area.parent = parent
        changed = True
    if changed:
        area.save()


def load(apps, schema_editor):
    Area = apps.get_model("measures", "Area")
    by_code = {}
    for row in _rows():  # parents come before their children in the file
        parent = by_code.get(row["parent_code"])
        area = Area.objects.filter(ons_code=row["ons_code"]).first()
        if area is None:
            area = Area.objects.filter(slug=_slug(row), ons_code__isnull=True).first()
        if area is None:
            area = Area.objects.create(
                name=row["ons_name"] if row["ons_code"] != "E23000034" else "City of London",
                slug=_slug(row),
                ons_code=row["ons_code"],
                kind=row["kind"],
                parent=parent,
                home_office_names=row["home_office_names"],
                police_uk_id=row["police_uk_id"],
            )
        else:
            _fill(area, row, parent)
        by_code[row["ons_code"]] = area


def publishers_manage_areas(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    publisher = Group.objects.filter(name="Publisher").first()
    if publisher is None:
        return
    wanted = [
        ("measures", "add_area"),
        ("measures", "change_area"),
        ("official", "view_recipe"),
        ("official", "add_recipe"),
        ("official", "change_recipe"),
        ("official", "view_release"),
        ("official", "add_release"),
        ("official", "view_figurechange"),
    ]
    for app_label, codename in wanted:
        publisher.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("official", "0001_recipes_releases"),
        ("measures", "0010_area_official_names"),
        ("measures", "0005_staff_roles"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(publishers_manage_areas, migrations.RunPython.noop),
    ]
