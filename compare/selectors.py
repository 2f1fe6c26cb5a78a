"""Selecting what a comparison needs, in a fixed number of queries however
many forces, figures and years there are: the forces, the measure's periods,
the figures of one period, the populations, the focus force's group. Then
``rules`` computes on the plain values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from measures.models import NATIONAL_AREA_SLUG, Area, AreaKind, Figure, Measure
from measures.periods import SAME_LENGTH_SLACK

from .models import Population, SimilarGroup
from .rules import (
    Comparison,
    Observed,
    PeriodChoice,
    compare_forces,
    default_period,
    population_at,
    population_year,
)


def areas_compared() -> tuple[list[Area], Area | None]:
    """Every police force area, by name, and England and Wales: one query."""
    areas = list(
        Area.objects.filter(Q(kind=AreaKind.POLICE_FORCE_AREA) | Q(slug=NATIONAL_AREA_SLUG))
        .only("id", "name", "slug", "kind")
        .order_by("name")
    )
    national = next((a for a in areas if a.slug == NATIONAL_AREA_SLUG), None)
    return [a for a in areas if a.kind == AreaKind.POLICE_FORCE_AREA], national


def periods_of(measure: Measure) -> list[PeriodChoice]:
    """The periods with a published figure of ``measure`` for any force, newest
    first, with how many forces have one: one query."""
    rows = (
        Figure.objects.published()
        .filter(measure=measure, area__kind=AreaKind.POLICE_FORCE_AREA)
        .values("period_start", "period_end")
        .annotate(forces=Count("id"))
        .order_by("-period_end", "-period_start")
    )
    return [PeriodChoice(r["period_start"], r["period_end"], r["forces"]) for r in rows]


def opening_period(measure: Measure, periods: list[PeriodChoice]) -> PeriodChoice | None:
    days = (measure.baseline_end - measure.baseline_start).days
    return default_period(periods, days, SAME_LENGTH_SLACK.days)


def population_estimates(areas, up_to: int) -> dict[int, list[tuple[int, int]]]:
    """Each area's mid-year estimates for ``up_to`` or before, newest first
    (``rules.population_at`` picks one): one query."""
    found: dict[int, list[tuple[int, int]]] = {}
    rows = (
        Population.objects.filter(area__in=areas, year__lte=up_to)
        .order_by("area_id", "-year")
        .values_list("area_id", "year", "population")
    )
    for area_id, year, population in rows:
        found.setdefault(area_id, []).append((year, population))
    return found


def group_of(area: Area | None) -> SimilarGroup | None:
    """``area``'s most similar group with its members: two queries (none without an area)."""
    if area is None:
        return None
    return (
        SimilarGroup.objects.filter(force=area)
        .select_related("force")
        .prefetch_related("members")
        .first()
    )


@dataclass(frozen=True)
class ForceComparison:
    measure: Measure
    start: datetime.date
    end: datetime.date
    population_year: int
    focus: Area | None
    group: SimilarGroup | None
    national: Area | None
    comparison: Comparison


def compare_period(
    measure: Measure,
    start: datetime.date,
    end: datetime.date,
    *,
    focus: Area | None,
    areas: tuple[list[Area], Area | None] | None = None,
    group: SimilarGroup | None = None,
) -> ForceComparison:
    """Every force's figure of ``measure`` for the period, compared: three
    queries, plus the two of ``group_of`` unless the caller gives the group."""
    forces, national = areas if areas is not None else areas_compared()
    if group is None:
        group = group_of(focus)
    everyone = [*forces, *([national] if national else [])]
    figures = {
        f.area_id: f
        for f in Figure.objects.published()
        .filter(measure=measure, period_start=start, period_end=end, area__in=everyone)
        .values_list("area_id", "value", "lower", "upper", "series_break", named=True)
    }
    year = population_year(start, end)
    people = {
        area_id: population_at(estimates, year)
        for area_id, estimates in population_estimates(everyone, year).items()
    }
    comparison = _compare(measure, forces, national, figures, people, focus, group)
    return ForceComparison(measure, start, end, year, focus, group, national, comparison)


def _observed(area: Area, figure, population: int | None) -> Observed:
    if figure is None:
        return Observed(area.id, area.name, None, population=population, slug=area.slug)
    return Observed(
        area.id,
        area.name,
        figure.value,
        figure.lower,
        figure.upper,
        figure.series_break,
        population,
        area.slug,
    )


def _compare(measure, forces, national, figures: dict, people: dict, focus, group) -> Comparison:
    """``figures`` and ``people`` by area id."""
    return compare_forces(
        unit=measure.unit,
        # ``id`` rather than ``pk``: read for every force of every measure of a force's page.
        forces=[_observed(a, figures.get(a.id), people.get(a.id)) for a in forces],
        national=_observed(national, figures.get(national.id), people.get(national.id))
        if national
        else None,
        focus_id=focus.pk if focus else None,
        group_ids=frozenset(m.pk for m in group.members.all()) if group else frozenset(),
    )


def compare_latest(summaries, *, focus: Area, group: SimilarGroup | None, areas):
    """For each measure (by id) whose ``summaries`` give ``focus`` a latest
    figure, every force compared for that figure's period: two queries
    however many measures."""
    forces, national = areas
    everyone = [*forces, *([national] if national else [])]
    periods = {
        measure_id: (s.latest.period_start, s.latest.period_end)
        for measure_id, s in summaries.items()
        if s.latest is not None
    }
    if not periods:
        return {}
    # One condition per period, not per measure: most measures share their
    # latest period, and PostgreSQL took a quarter of a second to plan 500
    # ORed conditions.
    measures_by_period: dict[tuple, list[int]] = {}
    for measure_id, period in periods.items():
        measures_by_period.setdefault(period, []).append(measure_id)
    condition = Q()
    for (start, end), measure_ids in measures_by_period.items():
        condition |= Q(measure_id__in=measure_ids, period_start=start, period_end=end)
    figures: dict[int, dict] = {}
    rows = (
        Figure.objects.published()
        .filter(condition, area__in=everyone)
        .values_list("measure_id", "area_id", "value", "lower", "upper", "series_break", named=True)
    )
    for row in rows:
        figures.setdefault(row.measure_id, {})[row.area_id] = row
    years = {measure_id: population_year(*period) for measure_id, period in periods.items()}
    estimates = population_estimates(everyone, max(years.values()))
    # Most measures share their latest period, so their population year.
    people_in = {
        year: {area_id: population_at(e, year) for area_id, e in estimates.items()}
        for year in set(years.values())
    }
    found = {}
    for measure_id in periods:
        measure = summaries[measure_id].measure
        found[measure_id] = _compare(
            measure,
            forces,
            national,
            figures.get(measure_id, {}),
            people_in[years[measure_id]],
            focus,
            group,
        )
    return found
