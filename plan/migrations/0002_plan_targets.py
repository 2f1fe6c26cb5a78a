"""Step two: a plan's targets are listed on the plan, so that the national side
(measures) knows nothing of plans: the link moves from Target.plan to
Plan.targets, with every existing link kept."""

from django.db import migrations, models


def copy_links(apps, schema_editor):
    Target = apps.get_model("measures", "Target")
    Plan = apps.get_model("plan", "Plan")
    for target_id, plan_id in Target.objects.exclude(plan=None).values_list("pk", "plan_id"):
        Plan.targets.through.objects.get_or_create(plan_id=plan_id, target_id=target_id)


def copy_back(apps, schema_editor):
    Target = apps.get_model("measures", "Target")
    Plan = apps.get_model("plan", "Plan")
    for link in Plan.targets.through.objects.all():
        Target.objects.filter(pk=link.target_id).update(plan_id=link.plan_id)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0008_target_plan_no_reverse_name"),
        ("plan", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="targets",
            field=models.ManyToManyField(
                blank=True,
                help_text="The targets this plan sets (a target belongs to its measure and area).",
                related_name="plans",
                to="measures.target",
            ),
        ),
        migrations.RunPython(copy_links, copy_back),
    ]
