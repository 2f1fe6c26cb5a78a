"""Publishers set a measure's baseline for an area (a baseline override), not
only superusers: they already approve what the public sees, and a baseline
decides every status of the area. Reversed, the group loses only these."""

from django.db import migrations

CODENAMES = ["add_baselineoverride", "change_baselineoverride", "delete_baselineoverride"]


def _permissions(apps):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("measures")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="measures", codename__in=CODENAMES)


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Publisher").first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Publisher").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("measures", "0014_baseline_override_history")]

    operations = [migrations.RunPython(grant, revoke)]
