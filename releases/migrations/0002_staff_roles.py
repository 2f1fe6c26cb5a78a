"""The staff roles and the release calendar: everyone on the staff sees it;
Publishers announce, move and cancel releases, and unschedule figures.
Running it again only tops up missing permissions."""

from django.db import migrations

DATA_ENTRY = ["view_releasedate", "view_scheduledfigure"]
PUBLISHER = [
    *DATA_ENTRY,
    "add_releasedate",
    "change_releasedate",
    "delete_releasedate",
    "delete_scheduledfigure",
]
ROLES = {"Data entry": DATA_ENTRY, "Publisher": PUBLISHER}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("releases")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="releases", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="releases"))


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0001_release_calendar"),
        ("measures", "0005_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
