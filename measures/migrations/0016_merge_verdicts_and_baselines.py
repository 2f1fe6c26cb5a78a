# Stored verdicts and publishers' baselines were made side by side.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0015_national_methods_and_verdicts'),
        ('measures', '0015_publishers_set_baselines'),
    ]

    operations = [
    ]
