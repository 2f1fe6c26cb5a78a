"""Every date lies between 1 January 1850 and 31 December 2100 (see
``measures.periods.EARLIEST`` and ``LATEST``, and why there).

A database that already holds a date outside that range cannot take the
constraints: rather than change or drop anyone's data, the migration stops
first and names each row, for a person to correct in the admin (or with
``manage.py shell``) before migrating again.
"""

import datetime

from django.db import migrations, models

EARLIEST = datetime.date(1850, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MESSAGE = "Dates must lie between 1 January 1850 and 31 December 2100: check the year."

# (model, its date fields, the constraint's name)
CHECKED = [
    ("measure", ("baseline_start", "baseline_end"), "measure_baseline_within_dates"),
    ("baselineoverride", ("baseline_start", "baseline_end"), "baseline_override_within_dates"),
    ("figure", ("period_start", "period_end"), "figure_period_within_dates"),
    ("target", ("due",), "target_due_within_dates"),
    ("targetstep", ("date",), "target_step_date_within_dates"),
]


def within(fields):
    return models.Q(**{f"{name}__range": (EARLIEST, LATEST) for name in fields})


def refuse_dates_outside_range(apps, schema_editor):
    found = []
    for model_name, fields, _ in CHECKED:
        model = apps.get_model("measures", model_name)
        rows = model.objects.using(schema_editor.connection.alias).exclude(within(fields))
        found += [
            f"{model._meta.verbose_name} {pk}: " + ", ".join(str(day) for day in days)
            for pk, *days in rows.values_list("pk", *fields)[:20]
        ]
    if found:
        raise RuntimeError(
            "These rows hold a date outside 1850-01-01 to 2100-12-31; correct them, "
            "then migrate again: " + "; ".join(found)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0009_remove_target_plan"),
    ]

    operations = [
        migrations.RunPython(refuse_dates_outside_range, migrations.RunPython.noop),
        *(
            migrations.AddConstraint(
                model_name=model_name,
                constraint=models.CheckConstraint(
                    condition=within(fields), name=name, violation_error_message=MESSAGE
                ),
            )
            for model_name, fields, name in CHECKED
        ),
    ]
