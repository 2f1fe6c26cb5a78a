# The date limits, the official areas' names and the frameworks were made side by side.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0010_area_official_names'),
        ('measures', '0010_dates_within_range'),
        ('measures', '0012_priority_area_framework_required'),
    ]

    operations = [
    ]
