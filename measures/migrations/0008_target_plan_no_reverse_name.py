"""Step one of moving a plan's targets to the plan: the old link gives up its
reverse name, which the plan's new list of targets takes (plan 0002)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0007_figure_published_newest"),
        ("plan", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="target",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="plan.plan",
            ),
        ),
    ]
