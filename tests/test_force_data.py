"""The force comparison benchmark's dataset (``bench/force_data.py``), made
tiny: what it makes, that the figures table keeps every index and
constraint its migrations give it, and that the comparison page and a
force's page run as many queries on the demo as with the dataset added."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.force_data import SYNTHETIC_NOTE, generate, last_quarter_end, periods
from measures.models import Area, AreaKind, Figure, Measure
from official.models import ChangeKind, FigureChange, Recipe, Release


def indexes_and_constraints() -> set:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'measures_figure' UNION ALL "
            "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'measures_figure'::regclass"
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_month_and_the_twelve_months_to_each_quarter_end():
    spans = periods(2, datetime.date(2026, 5, 20))
    assert len(spans) == 2 * 16
    assert spans[-1] == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31), "rolling-12-months")
    assert spans[-2] == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), "month")
    assert spans[0] == (datetime.date(2024, 4, 1), datetime.date(2024, 4, 30), "month")
    assert last_quarter_end(datetime.date(2026, 1, 1)) == datetime.date(2025, 12, 31)


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_the_dataset_with_offence_codes_and_releases_keeps_every_index(demo):
    before = indexes_and_constraints()
    existing = Measure.objects.count()
    figures = Figure.objects.count()
    made = generate(measures=existing + 3, years=1, releases=2, analyze=False)
    assert indexes_and_constraints() == before
    areas = Area.objects.filter(kind=AreaKind.POLICE_FORCE_AREA).count() + 1
    assert made["areas"] == areas == 44
    # Every measure for every area and period, less the demo's own figures.
    added = Figure.objects.filter(note=SYNTHETIC_NOTE).count()
    assert made["figures_added"] == added == Figure.objects.count() - figures
    assert added > (existing + 3) * areas * 16 - figures
    offences = Measure.objects.filter(slug__startswith="synthetic-offence-code-")
    assert [m.name for m in offences.order_by("pk")] == [
        "Offence code 1: Murder (synthetic benchmark)",
        "Offence code 4.1: Manslaughter (synthetic benchmark)",
        "Offence code 4.2: Infanticide (synthetic benchmark)",
    ]
    recipes = Recipe.objects.filter(measure__in=offences)
    assert set(recipes.values_list("offence_codes", flat=True)) == {"1", "4.1", "4.2"}
    # Two quarterly releases: each adds its quarter's 12-month figures of the
    # offence-code measures (3 measures x 44 areas) and revises the quarters
    # before it within a year (of the one year made, those there are).
    releases = list(Release.objects.order_by("release_date"))
    assert [r.file_name.startswith("synthetic-benchmark-release-") for r in releases] == [True] * 2
    assert [r.added for r in releases] == [3 * 44, 3 * 44]
    assert releases[1].revised == releases[0].revised + 3 * 44
    assert made["figure_changes"] == FigureChange.objects.count()
    revision = FigureChange.objects.filter(kind=ChangeKind.REVISED, release=releases[1]).first()
    figure = revision.figure
    assert figure.value == revision.new_value != revision.old_value
    assert figure.previous_value == revision.old_value and figure.revised_at is not None
    assert "synthetic benchmark" in figure.revision_reason


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_the_pages_it_measures_run_as_many_queries_with_it(client, demo, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    call_command("load_compare_demo", verbosity=0)
    urls = [
        reverse("pages:measure-detail", args=["homicides"]),
        reverse("pages:measure-compare", args=["homicides"]),
        reverse("pages:measure-compare", args=["homicides"]) + "?area=west-midlands",
        reverse("pages:area-detail", args=["humberside"]),
        reverse("pages:area-detail", args=["west-midlands"]),
    ]
    for url in urls:
        client.get(url)
    small = [count_queries(client, url) for url in urls]
    generate(measures=Measure.objects.count() + 3, years=2, releases=2, analyze=False)
    assert [count_queries(client, url) for url in urls] == small
