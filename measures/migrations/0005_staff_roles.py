"""The two staff roles, as groups with their permissions.

Data entry adds and corrects draft figures, outcomes' text and
contributions; a Publisher can do the same and also publish, unpublish and
export. Running it again only tops up missing permissions.
"""

from django.db import migrations

VIEW_ONLY = [
    ("measures", "datasource"),
    ("measures", "priorityarea"),
    ("measures", "measure"),
    ("measures", "area"),
    ("measures", "baselineoverride"),
    ("measures", "target"),
    ("measures", "targetstep"),
    ("plan", "plan"),
]

DATA_ENTRY = [
    *[(app, f"view_{model}") for app, model in VIEW_ONLY],
    ("measures", "view_figure"),
    ("measures", "add_figure"),
    ("measures", "change_figure"),
    ("plan", "view_localoutcome"),
    ("plan", "change_localoutcome"),
    ("plan", "view_contribution"),
    ("plan", "add_contribution"),
    ("plan", "change_contribution"),
]

PUBLISHER = [
    *DATA_ENTRY,
    ("measures", "publish_figure"),
    ("measures", "export_figure"),
]

ROLES = {"Data entry": DATA_ENTRY, "Publisher": PUBLISHER}


def create_roles(apps, schema_editor):
    # Permissions are normally created after the last migration has run; make
    # them now, so that the groups can be given them on a fresh database.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("measures", "0004_figure_revision_and_permissions"),
        ("plan", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
