"""Joins the data page's indexes and the entry checks' fields, made side by side."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0017_data_page_indexes"),
        ("measures", "0018_figure_revision_reason"),
    ]

    operations = []
