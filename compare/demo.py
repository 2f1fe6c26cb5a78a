"""Illustrative figures for comparing forces, for the demo only.

``manage.py load_compare_demo`` (after ``load_demo``) gives every police
force area in the database a made-up population for each year and made-up
counts for two measures (homicides and firearm discharges) for each period
the demo force has, so that a newcomer sees how forces compare. Every
number is illustrative: the populations are not the ONS estimates, the
figures not the Home Office's, and the demo force's most similar group is
not the published one; each says so where it is shown. Nothing already
there is changed, so running it twice adds nothing.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from measures.models import (
    NATIONAL_AREA_SLUG,
    Area,
    AreaKind,
    Figure,
    Measure,
    PublicationStatus,
)

from .models import Population, SimilarGroup
from .rules import population_year

MEASURES = ("homicides", "firearm-discharges")
YEARS = range(2017, 2027)
DEMO_FORCE = "humberside"
GROUP_SIZE = 7
ILLUSTRATIVE = "Illustrative: made up for the demo, not an ONS population estimate"
FIGURE_NOTE = "Illustrative figure for demonstration only: not an official statistic."
GROUP_SOURCE = (
    "Illustrative group for the demo: the seven forces whose illustrative populations are "
    "closest. Not the Home Office's published most similar group."
)


@dataclass
class CompareDemoResult:
    populations: int = 0
    figures: int = 0
    groups: int = 0


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: Knuth's method for small means, the normal approximation above."""
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _populations(forces, national, rng) -> list[Population]:
    sizes = {f.pk: math.exp(rng.uniform(math.log(600_000), math.log(3_500_000))) for f in forces}
    rows = []
    for year in YEARS:
        growth = 1 + 0.005 * (year - YEARS[0])
        people = {pk: round(size * growth) for pk, size in sizes.items()}
        rows += [
            Population(area_id=pk, year=year, population=n, source=ILLUSTRATIVE)
            for pk, n in people.items()
        ]
        if national:
            rows.append(
                Population(
                    area=national, year=year, population=sum(people.values()), source=ILLUSTRATIVE
                )
            )
    return rows


def _figures(measure_id, periods, forces, national_values, people, rng) -> list[Figure]:
    """Counts around England and Wales's rate, each force with a lasting
    effect of its own (the spread between real forces)."""
    effects = {f.pk: math.exp(rng.gauss(0, 0.25)) for f in forces}
    now = timezone.now()
    figures = []
    for start, end in periods:
        year = population_year(start, end)
        national_value, national_people = national_values.get((start, end), (None, None))
        if not national_value or not national_people:
            continue
        rate = float(national_value) / national_people
        for force in forces:
            mean = rate * people[(force.pk, year)] * effects[force.pk]
            figures.append(
                Figure(
                    measure_id=measure_id,
                    area=force,
                    period_start=start,
                    period_end=end,
                    value=_poisson(rng, mean),
                    unit="count",
                    note=FIGURE_NOTE,
                    status=PublicationStatus.PUBLISHED,
                    published_at=now,
                )
            )
    return figures


def _group(demo: Area, forces, people) -> SimilarGroup | None:
    if SimilarGroup.objects.filter(force=demo).exists():
        return None
    year = YEARS[-1]
    size = people[(demo.pk, year)]
    others = sorted(
        (f for f in forces if f != demo), key=lambda f: abs(people[(f.pk, year)] - size)
    )
    group = SimilarGroup.objects.create(force=demo, source=GROUP_SOURCE, illustrative=True)
    group.members.set(others[:GROUP_SIZE])
    return group


def _measure_figures(measure_id, forces, national, people, rng) -> list[Figure]:
    """One measure's figures for every period England and Wales has one."""
    if national is None:
        return []
    national_values = {
        (s, e): (v, people.get((national.pk, population_year(s, e))))
        for s, e, v in Figure.objects.published()
        .filter(measure_id=measure_id, area=national)
        .values_list("period_start", "period_end", "value")
    }
    return _figures(measure_id, sorted(national_values), forces, national_values, people, rng)


@transaction.atomic
def load_compare_demo(*, force_slug: str = DEMO_FORCE) -> CompareDemoResult:
    """Populations, figures and a group, only where none are there yet."""
    rng = random.Random(16)  # noqa: S311 - made-up demo numbers, not security
    result = CompareDemoResult()
    forces = list(Area.objects.filter(kind=AreaKind.POLICE_FORCE_AREA).order_by("name"))
    national = Area.objects.filter(slug=NATIONAL_AREA_SLUG).first()
    if not forces:
        return result
    if not Population.objects.filter(area__in=forces).exists():
        result.populations = len(
            Population.objects.bulk_create(_populations(forces, national, rng))
        )
    people = {
        (area_id, year): n
        for area_id, year, n in Population.objects.values_list("area_id", "year", "population")
    }
    demo = next((f for f in forces if f.slug == force_slug), None)
    existing = set(
        Figure.objects.values_list("measure_id", "area_id", "period_start", "period_end")
    )
    with_people = [f for f in forces if all((f.pk, y) in people for y in YEARS)]
    new = []
    for measure_id in Measure.objects.filter(slug__in=MEASURES).values_list("pk", flat=True):
        new += [
            f
            for f in _measure_figures(measure_id, with_people, national, people, rng)
            if (f.measure_id, f.area_id, f.period_start, f.period_end) not in existing
        ]
    bulk_create_with_history(new, Figure, batch_size=500)
    result.figures = len(new)
    if demo is not None and all((f.pk, YEARS[-1]) in people for f in forces):
        result.groups = int(_group(demo, forces, people) is not None)
    return result
