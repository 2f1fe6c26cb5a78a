"""The dataset of the force comparison benchmark, made with bulk SQL.

Every police force area of England and Wales and England and Wales itself;
``--measures`` measures and indicators (500 by default): the national and
local measures every install has, one measure per Home Office offence code
(``official.sample_files.full_size_offences``: the four homicide codes and
synthetic codes, each with a Home Office recipe, as staff would set one up
for the official import) and synthetic local indicators to make up the
number; ``--years`` years (15) of figures for each, monthly and quarterly,
the quarterly ones the 12 months to the end of each quarter, as the Home
Office's quarterly releases give them (``official.models.Aggregation``).
At the defaults: 44 areas x 500 measures x 15 years x 16 periods, 5,280,000
figures. Then ``--releases`` (4) synthetic Home Office releases, each adding
its quarter's 12-month figures of the offence-code measures and revising the
three quarters before, recorded as the official import records them (a
``Release``, a ``FigureChange`` per figure added or revised, and the figure's
own ``previous_value`` and ``revised_at``).

Every synthetic measure, recipe, release, population and figure says it is
synthetic in its name, note or source. Figures that already exist (the
demo's) are left as they are.

The figures go in as a restore would put them: ``INSERT ... SELECT``, one
period at a time, oldest first (so that, as in a database that imports
filled, a period's figures lie together in the table), with the table's
foreign keys, unique constraint and secondary indexes dropped first and made
again afterwards from their own definitions (``pg_dump`` writes them after
the data for the same reason), so the loaded table has every index its
migrations give it. PostgreSQL only.

Run against the configured database (DATABASE_URL), migrated, with the demo
(``load_demo``, ``load_compare_demo``) loaded, from the project folder:
``python bench/force_data.py [--measures 500] [--years 15] [--releases 4]``.
"""

import argparse
import datetime
import hashlib
import os
import sys
import time
from pathlib import Path

import django

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    django.setup()

from django.db import connection, transaction
from django.db.models import Count

from compare.models import Population
from measures.models import (
    NATIONAL_AREA_SLUG,
    Area,
    AreaKind,
    DataSource,
    Direction,
    Figure,
    Measure,
    MeasureKind,
    Unit,
)
from official.models import Aggregation, ChangeKind, Recipe, Release, Source
from official.sample_files import full_size_offences

SYNTHETIC_NOTE = "Synthetic benchmark figure: not real data."
SYNTHETIC_SOURCE = "Synthetic benchmark data: not real."
# Verdicts spread evenly over the 12-month figures, as in the data page
# benchmark: the pages read the stored verdict, they do not work it out.
VERDICTS = ("improving", "no-significant-change", "worsening", "not-comparable", "baseline")


def last_quarter_end(today: datetime.date) -> datetime.date:
    """The end of the last quarter (of the calendar year) before ``today``."""
    quarter_start_month = 3 * ((today.month - 1) // 3) + 1
    return datetime.date(today.year, quarter_start_month, 1) - datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def periods(years: int, today: datetime.date) -> list[tuple[datetime.date, datetime.date, str]]:
    """Every month of ``years`` years up to the last quarter's end, and the 12
    months to the end of each of their quarters: (start, end, kind)."""
    end = last_quarter_end(today)
    first = add_months(end + datetime.timedelta(days=1), -12 * years)
    found = []
    for number in range(12 * years):
        start = add_months(first, number)
        month_end = add_months(start, 1) - datetime.timedelta(days=1)
        found.append((start, month_end, "month"))
        if month_end.month % 3 == 0:
            found.append((add_months(start, -11), month_end, Aggregation.ROLLING_YEAR.value))
    return found


def make_measures(total: int) -> list[Measure]:
    """The measures there are, then offence-code measures (with recipes), then
    synthetic indicators, until there are ``total``."""
    source, _ = DataSource.objects.get_or_create(
        name="Synthetic benchmark source",
        defaults={"publisher": "Nobody: synthetic data for benchmarks"},
    )
    measures = list(Measure.objects.order_by("pk"))[:total]
    common = {
        "data_source": source,
        "baseline_start": datetime.date(2018, 7, 1),
        "baseline_end": datetime.date(2019, 6, 30),
        "kind": MeasureKind.LOCAL,
    }
    for offence in full_size_offences():
        if len(measures) >= total:
            break
        measure, _ = Measure.objects.get_or_create(
            slug=f"synthetic-offence-code-{offence.code.lower().replace('.', '-')}",
            defaults={
                **common,
                "name": f"Offence code {offence.code}: {offence.description} (synthetic benchmark)",
                "definition": f"Offences recorded under Home Office offence code "
                f"{offence.code}; synthetic figures for benchmarks.",
                "unit": Unit.COUNT,
                "decimal_places": 0,
                "direction": Direction.DOWN,
                "order": 200,
            },
        )
        Recipe.objects.get_or_create(
            measure=measure,
            source=Source.HOME_OFFICE_PFA,
            aggregation=Aggregation.ROLLING_YEAR,
            defaults={
                "offence_codes": offence.code,
                "definition_source": "Synthetic benchmark recipe: not a published definition.",
            },
        )
        measures.append(measure)
    number = 0
    while len(measures) < total:
        number += 1
        measure, _ = Measure.objects.get_or_create(
            slug=f"synthetic-indicator-{number:03d}",
            defaults={
                **common,
                "name": f"Synthetic local indicator {number:03d}",
                "definition": "A synthetic indicator for benchmarks.",
                "unit": Unit.PERCENTAGE if number % 4 == 0 else Unit.COUNT,
                "direction": Direction.UP if number % 3 == 0 else Direction.DOWN,
                "order": 300,
            },
        )
        measures.append(measure)
    return measures


def make_populations(areas: list[Area], years: range) -> int:
    """A synthetic population for every area and year that has none."""
    have = set(Population.objects.values_list("area_id", "year"))
    forces = [a for a in areas if a.kind == AreaKind.POLICE_FORCE_AREA]
    size = {a.pk: 600_000 + (a.pk * 7919) % 2_900_000 for a in forces}
    rows = [
        Population(area=a, year=y, population=size[a.pk], source=SYNTHETIC_SOURCE)
        for a in forces
        for y in years
        if (a.pk, y) not in have
    ]
    rows += [
        Population(area=a, year=y, population=sum(size.values()), source=SYNTHETIC_SOURCE)
        for a in areas
        if a.kind != AreaKind.POLICE_FORCE_AREA
        for y in years
        if (a.pk, y) not in have
    ]
    return len(Population.objects.bulk_create(rows))


def _dropped(cursor, table: str) -> list[str]:
    """Drop ``table``'s foreign keys, unique constraints and secondary indexes;
    return the statements that make them again, as they were."""
    cursor.execute(
        """
        SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = %s::regclass AND contype IN ('f', 'u')
        """,
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT indexname, indexdef FROM pg_indexes
        WHERE tablename = %s AND indexname NOT IN (
            SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)
        """,
        [table, table],
    )
    indexes = cursor.fetchall()
    for name, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for name, definition in constraints
    ]


FIGURES_SQL = """
INSERT INTO measures_figure (
    measure_id, area_id, period_start, period_end, value, unit, provisional, series_break,
    note, source_url, status, version, created_at, updated_at, published_at,
    revision_reason, verdict, verdict_method, change_unit, verdict_text
)
SELECT m.id, a.id, p.period_start, p.period_end,
    CASE WHEN m.unit = 'percentage'
        THEN round((20 + (m.id * 7 + a.id * 13) %% 60 + 10 * random())::numeric, 1)
        ELSE round((
            (1 + (m.id * 37) %% 50)
            * CASE WHEN a.slug = %(national)s THEN 43 ELSE 0.5 + (a.id * 11) %% 7 / 4.0 END
            * CASE WHEN p.kind = 'month' THEN 1 ELSE 12 END
            * (0.8 + 0.4 * random()))::numeric)
    END,
    m.unit, false, false, %(note)s, '', 'published', 1, now(), now(), now(), '',
    CASE WHEN p.kind = 'month' THEN 'not-enough-data'
        ELSE (%(verdicts)s::text[])[1 + (m.id + a.id + extract(month FROM p.period_end)::int)
            %% %(verdict_count)s]
    END,
    '', '', ''
FROM measures_measure m
CROSS JOIN measures_area a
CROSS JOIN bench_periods p
WHERE m.id = ANY(%(measures)s) AND a.id = ANY(%(areas)s) AND p.number = %(number)s
  AND NOT EXISTS (
    SELECT 1 FROM bench_existing e
    WHERE e.measure_id = m.id AND e.area_id = a.id
      AND e.period_start = p.period_start AND e.period_end = p.period_end)
"""


def make_figures(measures: list[Measure], areas: list[Area], spans) -> int:
    """Every measure's figures for every area and period, a statement a period."""
    table = Figure._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_periods "
            "(number int, period_start date, period_end date, kind text)"
        )
        # Oldest first, as releases arrive: the figures of one period lie
        # together in the table, as a database filled by imports has them.
        ordered = sorted(spans, key=lambda span: (span[1], span[0]))
        cursor.executemany(
            "INSERT INTO bench_periods VALUES (%s, %s, %s, %s)",
            [(number, *span) for number, span in enumerate(ordered)],
        )
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_existing AS SELECT measure_id, area_id, "  # noqa: S608 - our model's table
            f"period_start, period_end FROM {table}"
        )
        before = Figure.objects.count()
        # Checks still deferred in this transaction would stop ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        remake = _dropped(cursor, table)
        cursor.execute("SELECT setseed(0.15)")
        for number in range(len(ordered)):
            cursor.execute(
                FIGURES_SQL,
                {
                    "national": NATIONAL_AREA_SLUG,
                    "note": SYNTHETIC_NOTE,
                    "verdicts": list(VERDICTS),
                    "verdict_count": len(VERDICTS),
                    "measures": [m.pk for m in measures],
                    "areas": [a.pk for a in areas],
                    "number": number,
                },
            )
        for statement in remake:
            cursor.execute(statement)
        cursor.execute("DROP TABLE bench_periods, bench_existing")
    return Figure.objects.count() - before


RELEASE_SQL = """
WITH touched AS (
    SELECT f.id, f.value, f.period_end = %(quarter_end)s AS added
    FROM measures_figure f
    WHERE f.measure_id = ANY(%(measures)s) AND f.note = %(note)s
      AND f.period_end > %(revises_from)s AND f.period_end <= %(quarter_end)s
      AND f.period_end - f.period_start > 300
), changes AS (
    INSERT INTO official_figurechange (release_id, figure_id, kind, old_value, new_value)
    SELECT %(release)s, id,
        CASE WHEN added THEN %(added)s ELSE %(revised)s END,
        CASE WHEN added THEN NULL ELSE value END,
        CASE WHEN added THEN value ELSE value + 1 + id %% 3 END
    FROM touched
    RETURNING figure_id, kind, old_value, new_value
)
UPDATE measures_figure f
SET previous_value = c.old_value, value = c.new_value, revised_at = %(released)s,
    revision_reason = %(reason)s, version = f.version + 1
FROM changes c
WHERE f.id = c.figure_id AND c.kind = %(revised)s
"""


def make_releases(measures: list[Measure], count: int, today: datetime.date) -> int:
    """``count`` quarterly releases of the offence-code measures, the newest
    last: each adds its quarter's figures and revises the three before."""
    offence_measures = [m.pk for m in measures if m.slug.startswith("synthetic-offence-code-")]
    end = last_quarter_end(today)
    changes = 0
    for number in range(count, 0, -1):
        quarter_end = add_months(end + datetime.timedelta(days=1), -3 * (number - 1))
        quarter_end -= datetime.timedelta(days=1)
        released = datetime.datetime.combine(
            quarter_end + datetime.timedelta(days=100), datetime.time(9, 30), datetime.UTC
        )
        name = f"synthetic-benchmark-release-{quarter_end:%Y-%m}.ods"
        release, created = Release.objects.get_or_create(
            checksum=hashlib.sha256(name.encode()).hexdigest(),
            defaults={
                "source": Source.HOME_OFFICE_PFA,
                "file_name": name,
                "release_date": released.date(),
                "published": True,
            },
        )
        if not created:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                RELEASE_SQL,
                {
                    "release": release.pk,
                    "measures": offence_measures,
                    "note": SYNTHETIC_NOTE,
                    "quarter_end": quarter_end,
                    "revises_from": add_months(quarter_end + datetime.timedelta(days=1), -12)
                    - datetime.timedelta(days=1),
                    "released": released,
                    "reason": f"Official import: {release.title} (synthetic benchmark)",
                    "added": ChangeKind.ADDED.value,
                    "revised": ChangeKind.REVISED.value,
                },
            )
        counts = dict(release.changes.values_list("kind").annotate(n=Count("id")))
        Release.objects.filter(pk=release.pk).update(
            added=counts.get(ChangeKind.ADDED, 0),
            revised=counts.get(ChangeKind.REVISED, 0),
            rows_read=sum(counts.values()),
        )
        changes += sum(counts.values())
    return changes


def generate(
    *, measures: int = 500, years: int = 15, releases: int = 4, analyze: bool = True
) -> dict:
    """Make the dataset; returns what was made and how long each step took.
    ``analyze=False`` leaves out ``VACUUM ANALYZE`` (which cannot run inside a
    transaction, as a test's does)."""
    if connection.vendor != "postgresql":
        raise SystemExit("The force comparison dataset is made with PostgreSQL's SQL.")
    today = datetime.date.today()
    spans = periods(years, today)
    timings = {}
    started = time.perf_counter()
    with transaction.atomic():
        chosen = make_measures(measures)
        areas = list(
            Area.objects.filter(kind=AreaKind.POLICE_FORCE_AREA)
            | Area.objects.filter(slug=NATIONAL_AREA_SLUG)
        )
        populations = make_populations(areas, range(spans[0][0].year - 1, spans[-1][1].year + 1))
    timings["measures_seconds"] = time.perf_counter() - started
    step = time.perf_counter()
    with transaction.atomic():
        figures = make_figures(chosen, areas, spans)
    timings["figures_seconds"] = time.perf_counter() - step
    step = time.perf_counter()
    with transaction.atomic():
        changes = make_releases(chosen, releases, today)
    timings["releases_seconds"] = time.perf_counter() - step
    step = time.perf_counter()
    if analyze:
        with connection.cursor() as cursor:
            # What autovacuum would do after such a load.
            cursor.execute("VACUUM ANALYZE")
    timings["analyze_seconds"] = time.perf_counter() - step
    return {
        "areas": len(areas),
        "measures": len(chosen),
        "years": years,
        "periods": len(spans),
        "populations_added": populations,
        "figures_added": figures,
        "releases": releases,
        "figure_changes": changes,
        **timings,
        "seconds": time.perf_counter() - started,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--releases", type=int, default=4)
    args = parser.parse_args(argv)
    if args.measures < 1 or args.years < 1 or args.releases < 0:
        parser.error("--measures and --years must be at least 1, --releases at least 0.")
    made = generate(measures=args.measures, years=args.years, releases=args.releases)
    print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in made.items()))


if __name__ == "__main__":
    main()
