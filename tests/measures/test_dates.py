"""Absurd dates are refused wherever a date enters (the admin's forms, bulk
entry, the upload, the import command, targets and baselines), by the
database as well as in words; and a date the database holds from before the
rule does not take a page down."""

import datetime
import io
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from measures.models import (
    BaselineOverride,
    Figure,
    Measure,
    PublicationStatus,
    Target,
    TargetKind,
    TargetStep,
)
from measures.periods import DATE_RANGE_MESSAGE, EARLIEST, LATEST

from ..factories import (
    AreaFactory,
    BaselineOverrideFactory,
    FigureFactory,
    MeasureFactory,
    TargetFactory,
)
from .csvfiles import make_csv, row

pytestmark = pytest.mark.django_db

d = datetime.date
FAR_FUTURE = d(9999, 12, 31)
JUST_AFTER = LATEST + datetime.timedelta(days=1)
JUST_BEFORE = EARLIEST - datetime.timedelta(days=1)
WORDS = "Dates must lie between 1 January 1850 and 31 December 2100"


def test_the_range_is_the_one_the_message_gives():
    assert (d(1850, 1, 1), d(2100, 12, 31)) == (EARLIEST, LATEST)
    assert DATE_RANGE_MESSAGE.startswith(WORDS)


# Each model: clean() in words, the database by a named constraint


def bad_figure(start, end):
    return FigureFactory.build(
        measure=MeasureFactory(), area=AreaFactory(), period_start=start, period_end=end
    )


def bad_measure(start, end):
    return MeasureFactory.build(
        data_source=MeasureFactory().data_source,
        priority_area=None,
        kind="local",
        baseline_start=start,
        baseline_end=end,
    )


def bad_override(start, end):
    return BaselineOverrideFactory.build(
        measure=MeasureFactory(), area=AreaFactory(), baseline_start=start, baseline_end=end
    )


def bad_target(_start, end):
    return TargetFactory.build(measure=MeasureFactory(), due=end)


def bad_step(_start, end):
    return TargetStep(target=TargetFactory(), date=end, value=Decimal("5"))


MODELS = [
    # (build with a start and an end, constraint, the field the end's error is on)
    (bad_figure, "figure_period_within_dates", "period_end"),
    (bad_measure, "measure_baseline_within_dates", "baseline_end"),
    (bad_override, "baseline_override_within_dates", "baseline_end"),
    (bad_target, "target_due_within_dates", "due"),
    (bad_step, "target_step_date_within_dates", "date"),
]
MODEL_IDS = [name for _, name, _ in MODELS]


@pytest.mark.parametrize(("build", "constraint", "field"), MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("end", [FAR_FUTURE, JUST_AFTER], ids=["9999-12-31", "2101-01-01"])
def test_a_date_after_the_range_is_refused_twice(build, constraint, field, end):
    obj = build(d(2020, 1, 1), end)
    with pytest.raises(ValidationError) as invalid:
        obj.full_clean()
    assert invalid.value.message_dict[field] == [DATE_RANGE_MESSAGE]
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        obj.save()
    assert constraint in str(refused.value)


@pytest.mark.parametrize(("build", "constraint", "field"), MODELS[:3], ids=MODEL_IDS[:3])
def test_a_start_before_the_range_is_refused_twice(build, constraint, field):
    obj = build(JUST_BEFORE, d(2020, 1, 1))
    start_field = field.replace("_end", "_start")
    with pytest.raises(ValidationError) as invalid:
        obj.full_clean()
    assert invalid.value.message_dict == {start_field: [DATE_RANGE_MESSAGE]}
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        obj.save()
    assert constraint in str(refused.value)


@pytest.mark.parametrize(("build", "constraint", "field"), MODELS, ids=MODEL_IDS)
def test_the_range_s_own_edges_are_taken(build, constraint, field):
    obj = build(EARLIEST, LATEST)
    obj.full_clean()
    obj.save()


# Through the admin's forms


def test_the_figure_form_refuses_a_far_date_in_words(admin_client):
    figure = FigureFactory.build(measure=MeasureFactory(), area=AreaFactory())
    page = admin_client.post(
        reverse("admin:measures_figure_add"),
        {
            "measure": figure.measure.pk,
            "area": figure.area.pk,
            "period_start": "2024-01-01",
            "period_end": "9999-12-31",
            "value": "10",
        },
    )
    assert page.status_code == 200
    assert WORDS in page.content.decode()
    assert not Figure.objects.filter(measure=figure.measure).exists()


def test_the_measure_form_refuses_a_far_baseline(admin_client):
    measure = MeasureFactory(priority_area=None, kind="local")
    page = admin_client.post(
        reverse("admin:measures_measure_change", args=[measure.pk]),
        {
            "name": measure.name,
            "slug": measure.slug,
            "data_source": measure.data_source.pk,
            "unit": measure.unit,
            "decimal_places": "0",
            "direction": measure.direction,
            "baseline_start": "0001-01-01",
            "baseline_end": "2019-06-30",
            "tolerance": "5",
            "kind": "local",
            "order": "1",
            **{f"{prefix}-{key}": "0" for prefix in ("baseline_overrides", "figures")
               for key in ("TOTAL_FORMS", "INITIAL_FORMS")},
        },
    )  # fmt: skip
    assert page.status_code == 200
    assert WORDS in page.content.decode()
    measure.refresh_from_db()
    assert measure.baseline_start == d(2018, 7, 1)


def test_the_target_form_refuses_a_far_due_date_and_step(admin_client):
    measure = MeasureFactory()
    page = admin_client.post(
        reverse("admin:measures_target_add"),
        {
            "measure": measure.pk,
            "kind": TargetKind.VALUE,
            "value": "5",
            "due": "9999-12-31",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-date": "2101-01-01",
            "steps-0-value": "4",
        },
    )
    assert page.status_code == 200
    assert page.content.decode().count(WORDS) == 2
    assert not Target.objects.filter(measure=measure).exists()


def test_the_baseline_override_form_refuses_a_far_date(admin_client):
    measure, area = MeasureFactory(), AreaFactory()
    page = admin_client.post(
        reverse("admin:measures_baselineoverride_add"),
        {
            "measure": measure.pk,
            "area": area.pk,
            "baseline_start": "2019-04-01",
            "baseline_end": "9999-03-31",
        },
    )
    assert page.status_code == 200
    assert WORDS in page.content.decode()
    assert not BaselineOverride.objects.exists()


def test_bulk_entry_refuses_a_far_period_before_drawing_any_row(admin_client):
    area = AreaFactory()
    url = reverse("admin:measures_figure_bulk_entry")
    query = f"?area={area.pk}&period_start=2024-01-01&period_end=9999-12-31"
    page = admin_client.get(url + query)
    assert page.status_code == 200
    assert "rows" not in page.context
    assert WORDS in page.content.decode()
    posted = admin_client.post(
        url + query, {f"m{Measure.objects.get(slug='homicides').pk}-value": "5"}
    )
    assert posted.status_code == 200
    assert not Figure.objects.filter(area=area).exists()


def test_the_figure_list_s_date_drill_down_takes_any_year(admin_client):
    FigureFactory()
    url = reverse("admin:measures_figure_changelist")
    for query in ("period_end__year=9999&period_end__month=12", "period_end__year=99999",
                  "period_end__year=0", "period_end__year=-1&period_end__month=13"):  # fmt: skip
        assert admin_client.get(f"{url}?{query}").status_code < 500, query


# The upload and the import command


def test_the_upload_refuses_a_far_date_with_its_line_at_the_preview(client, login_as, upload):
    login_as("Data entry")
    preview = upload(make_csv([row(), row(start="2024-01-01", end="9999-12-31")]))
    assert [str(problem) for problem in preview.context["result"].errors] == [
        f"line 3, column period_end: {DATE_RANGE_MESSAGE}"
    ]
    assert WORDS in preview.content.decode()
    assert not preview.context["token"]  # nothing to confirm
    assert not Figure.objects.filter(measure__slug="homicides").exists()


def test_the_import_command_refuses_a_far_date(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes(make_csv([row(start="1066-10-14", end="1066-10-14")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_figures", str(path), stdout=io.StringIO(), stderr=err)
    assert f"line 2, column period_start: {WORDS}" in err.getvalue()
    assert not Figure.objects.filter(measure__slug="homicides").exists()


# Rows from before the rule


@contextmanager
def without_the_date_rule():
    """The figure table as it was before its date constraint, for this test's
    transaction only: as a database migrated from an older version might hold."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Checks the test's deferred foreign keys now: a table with
            # checks pending cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"ALTER TABLE {Figure._meta.db_table} DROP CONSTRAINT figure_period_within_dates"
            )
        yield
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


@pytest.mark.parametrize(
    ("start", "end"),
    [(d(9999, 1, 1), d(9999, 12, 31)), (d(1, 1, 1), d(1, 12, 31)), (d(2024, 1, 1), FAR_FUTURE)],
)
def test_a_far_date_from_before_the_rule_takes_no_page_down(client, admin_client, demo, start, end):
    figure = Figure.objects.published().filter(measure__slug="homicides").first()
    with without_the_date_rule():
        Figure.objects.filter(pk=figure.pk).update(period_start=start, period_end=end)
        urls = [
            figure.measure.get_absolute_url(),
            reverse("opendata:index"),
            reverse("opendata:figures-csv"),
            reverse("opendata:figures-json"),
            reverse("opendata:package"),
            reverse("admin:measures_figure_changelist"),
            reverse("admin:measures_figure_change", args=[figure.pk]),
        ]
        for url in urls:
            response = admin_client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else b""
            assert response.status_code == 200, url
            if url.endswith(".csv"):
                assert f"{start.isoformat()},{end.isoformat()}".encode() in body


def test_the_migration_names_rows_outside_the_range_rather_than_change_them(demo):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("measures.migrations.0010_dates_within_range")
    figure = Figure.objects.filter(status=PublicationStatus.PUBLISHED).first()
    editor = SimpleNamespace(connection=connection)  # all the step reads of its schema editor
    migration.refuse_dates_outside_range(apps, editor)  # nothing outside: no complaint
    with without_the_date_rule():
        Figure.objects.filter(pk=figure.pk).update(period_end=FAR_FUTURE)
        with pytest.raises(RuntimeError) as caught:
            migration.refuse_dates_outside_range(apps, editor)
    assert f"figure {figure.pk}: {figure.period_start}, 9999-12-31" in str(caught.value)
