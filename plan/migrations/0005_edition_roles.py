"""Publishers write and publish statement editions; data entry staff can read
them and draft the text of each priority. Running it again only tops up."""

from django.db import migrations

PUBLISHER = [
    "view_statementedition",
    "add_statementedition",
    "change_statementedition",
    "publish_statementedition",
    "view_editionpriority",
    "change_editionpriority",
    "view_editionpeelgrade",
    "add_editionpeelgrade",
    "change_editionpeelgrade",
    "delete_editionpeelgrade",
    "view_publishingbody",
    "change_publishingbody",
]
DATA_ENTRY = ["view_statementedition", "view_editionpriority", "change_editionpriority"]
ROLES = {"Publisher": PUBLISHER, "Data entry": DATA_ENTRY}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("plan")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="plan", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="plan", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("plan", "0004_statement_editions"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, revoke)]
