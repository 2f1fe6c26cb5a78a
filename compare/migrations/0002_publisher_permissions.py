"""Publishers keep the populations and most similar groups; Data entry can
read them. Reversing takes these permissions away again."""

from django.db import migrations

MODELS = ("population", "similargroup")
PUBLISHER = [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")]
DATA_ENTRY = [f"view_{model}" for model in MODELS]
ROLES = {"Publisher": PUBLISHER, "Data entry": DATA_ENTRY}


def _permissions(apps, codenames):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("compare")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="compare", codename__in=codenames)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("compare", "0001_populations_and_similar_groups"),
        ("measures", "0005_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
