"""Generate a large synthetic dataset for benchmarks.

All 43 police force areas of England and Wales, the national measures plus 40
synthetic local indicators, three synthetic plans with ten outcomes each and
their mappings, and monthly and quarterly figures over 15 years: about
500,000 figures by default. Every synthetic row says so in its name or note.
Figures that already exist (the demo's, say) are left as they are.

Run against the configured database (DATABASE_URL), from the project folder:
``python bench/generate_data.py --figures 500000``.
"""

import argparse
import datetime
import os
import random
import sys
from decimal import Decimal
from itertools import islice
from pathlib import Path

import django

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    django.setup()

from django.db import transaction

from measures.models import (
    Area,
    AreaKind,
    DataSource,
    Direction,
    Figure,
    Measure,
    MeasureKind,
    PublicationStatus,
    Unit,
)
from plan.models import Contribution, LocalOutcome, Plan, Strength

SYNTHETIC_NOTE = "Synthetic benchmark figure: not real data."

POLICE_FORCE_AREAS = [
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "City of London",
    "Cleveland", "Cumbria", "Derbyshire", "Devon and Cornwall", "Dorset", "Durham",
    "Dyfed-Powys", "Essex", "Gloucestershire", "Greater Manchester", "Gwent", "Hampshire",
    "Hertfordshire", "Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire",
    "Merseyside", "Metropolitan Police", "Norfolk", "North Wales", "North Yorkshire",
    "Northamptonshire", "Northumbria", "Nottinghamshire", "South Wales", "South Yorkshire",
    "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire",
    "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire",
]  # fmt: skip
LOCAL_INDICATORS = 40
PLANS = 3
OUTCOMES_PER_PLAN = 10
YEARS = 15
BATCH = 5000


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


def periods(last_year: int) -> list[tuple[datetime.date, datetime.date]]:
    """Every month and every quarter of the 15 years up to ``last_year``."""
    result = []
    for year in range(last_year - YEARS + 1, last_year + 1):
        for month in range(1, 13):
            result.append((datetime.date(year, month, 1), month_end(year, month)))
            if month % 3 == 0:
                result.append((datetime.date(year, month - 2, 1), month_end(year, month)))
    return result


def generate(*, figures: int = 500_000, seed: int = 15) -> str:
    """Make the dataset; returns what was made, in one line."""
    if figures < 0:
        raise ValueError("--figures cannot be negative.")
    rng = random.Random(seed)  # noqa: S311 - synthetic numbers, not security
    with transaction.atomic():
        areas = make_areas()
        measures = make_measures()
        make_plans(areas, measures, rng)
    created = make_figures(areas, measures, figures, rng)
    return (
        f"Synthetic data: {len(areas)} areas, {len(measures)} measures, "
        f"{PLANS} plans, {created} figures created."
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument(
        "--figures", type=int, default=500_000, help="How many figures to create at most."
    )
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    if args.figures < 0:
        parser.error("--figures cannot be negative.")
    print(generate(figures=args.figures, seed=args.seed))


def make_areas() -> list[Area]:
    country = Area.objects.get(slug="england-and-wales")
    areas = [country]
    # The reference areas (loaded by a migration) where they are there, by name;
    # the ONS writes "Devon & Cornwall".
    known = {
        area.name.replace(" & ", " and "): area
        for area in Area.objects.filter(kind=AreaKind.POLICE_FORCE_AREA)
    }
    for name in POLICE_FORCE_AREAS:
        area = known.get(name)
        if area is None:
            slug = name.lower().replace(" ", "-").replace("/", "-")
            area, _ = Area.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "kind": AreaKind.POLICE_FORCE_AREA, "parent": country},
            )
        areas.append(area)
    return areas


def make_measures() -> list[Measure]:
    source, _ = DataSource.objects.get_or_create(
        name="Synthetic benchmark source",
        defaults={"publisher": "Nobody: synthetic data for benchmarks"},
    )
    national = list(Measure.objects.filter(kind=MeasureKind.NATIONAL))
    local = []
    for number in range(1, LOCAL_INDICATORS + 1):
        measure, _ = Measure.objects.get_or_create(
            slug=f"synthetic-indicator-{number:02d}",
            defaults={
                "name": f"Synthetic local indicator {number:02d}",
                "definition": "A synthetic indicator for benchmarks.",
                "data_source": source,
                "unit": Unit.PERCENTAGE if number % 4 == 0 else Unit.COUNT,
                "direction": Direction.UP if number % 3 == 0 else Direction.DOWN,
                "baseline_start": datetime.date(2018, 7, 1),
                "baseline_end": datetime.date(2019, 6, 30),
                "kind": MeasureKind.LOCAL,
                "order": 100 + number,
            },
        )
        local.append(measure)
    return national + local


def make_plans(areas, measures, rng) -> None:
    for number in range(1, PLANS + 1):
        plan, created = Plan.objects.get_or_create(
            slug=f"synthetic-plan-{number}",
            defaults={
                "title": f"Synthetic plan {number}",
                "commissioner": "Synthetic commissioner",
                "force_area": areas[number],
                "first_year": 2012 + 4 * number,
                "last_year": 2015 + 4 * number,
                "summary": "A synthetic plan for benchmarks.",
            },
        )
        if not created:
            continue
        for index in range(1, OUTCOMES_PER_PLAN + 1):
            outcome = LocalOutcome.objects.create(
                plan=plan,
                slug=f"synthetic-outcome-{index:02d}",
                title=f"Synthetic outcome {number}.{index:02d}",
                order=index,
            )
            Contribution.objects.bulk_create(
                Contribution(
                    outcome=outcome,
                    measure=measure,
                    strength=rng.choice(list(Strength)),
                    explanation="A synthetic contribution.",
                )
                for measure in rng.sample(measures, 5)
            )


def make_figures(areas, measures, limit, rng) -> int:
    last_year = datetime.date.today().year - 1
    spans = periods(last_year)

    def generate():
        for measure in measures:
            percentage = measure.unit == Unit.PERCENTAGE
            for area in areas:
                level = rng.uniform(20, 80) if percentage else rng.uniform(10, 5000)
                for start, end in spans:
                    value = Decimal(f"{level * rng.uniform(0.8, 1.2):.1f}")
                    if percentage:
                        value = min(value, Decimal(100))
                    yield Figure(
                        measure=measure,
                        area=area,
                        period_start=start,
                        period_end=end,
                        value=value,
                        unit=measure.unit,
                        note=SYNTHETIC_NOTE,
                        status=PublicationStatus.PUBLISHED,
                    )

    before = Figure.objects.count()
    rows = islice(generate(), limit)
    while batch := list(islice(rows, BATCH)):
        Figure.objects.bulk_create(batch, ignore_conflicts=True)
    return Figure.objects.count() - before


if __name__ == "__main__":
    main()
