"""Sensible statistical methods for the national measures, and every
figure's verdict worked out and stored.

Police-recorded and other counts of events (homicides, firearm discharges,
hospital admissions, referrals into treatment): the exact Poisson test.
Survey measures (the data source is a survey: CSEW, Cyber Aware, DCMS):
the test of the difference from their 95% intervals. A measure staff have
already given another method than the fixed tolerance is left alone.
Reversed, the methods go back to the fixed tolerance (the rule before them);
the stored verdicts stay, and are dropped with their columns.
"""

from django.db import migrations

POISSON = "poisson-exact-test"
SURVEY = "survey-difference-test"
TOLERANCE = "fixed-tolerance"


def national_methods(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    for measure in Measure.objects.filter(kind="national", method=TOLERANCE).select_related(
        "data_source"
    ):
        if measure.data_source.is_survey:
            measure.method = SURVEY
        elif measure.unit == "count":
            measure.method = POISSON
        else:
            continue
        measure.save(update_fields=["method"])


def back_to_tolerance(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    Measure.objects.filter(kind="national", method__in=[POISSON, SURVEY]).update(method=TOLERANCE)


def store_verdicts(apps, schema_editor):
    from measures.verdicts import recompute_verdicts

    recompute_verdicts(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("measures", "0014_stored_verdicts_and_methods")]

    operations = [
        migrations.RunPython(national_methods, back_to_tolerance),
        migrations.RunPython(store_verdicts, migrations.RunPython.noop),
    ]
