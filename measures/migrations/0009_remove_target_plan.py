from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0008_target_plan_no_reverse_name"),
        ("plan", "0002_plan_targets"),
    ]

    operations = [
        migrations.RemoveField(model_name="target", name="plan"),
    ]
