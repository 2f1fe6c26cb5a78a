"""Writes: populations and most similar groups from checked CSV rows.

Each import is all or nothing: every row is checked first
(``compare.imports``), and if any is refused nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from measures.imports import Problem

from .imports import check_populations, check_similar_groups
from .models import Population, SimilarGroup


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"Nothing was saved: {len(self.problems)} problem(s) in the file."
        return f"{self.created} added, {self.updated} updated."


@transaction.atomic
def import_populations(*, rows, source: str, dry_run: bool = False) -> ImportResult:
    """Save each (area, year)'s population, adding or replacing it."""
    checked = check_populations(rows)
    result = ImportResult(problems=checked.problems)
    if not checked.ok:
        return result
    existing = {
        (p.area_id, p.year): p
        for p in Population.objects.filter(area__in={area for area, _, _ in checked.values})
    }
    new, changed = [], []
    for area, year, population in checked.values:
        found = existing.get((area.pk, year))
        if found is None:
            new.append(Population(area=area, year=year, population=population, source=source))
        elif (found.population, found.source) != (population, source):
            found.population, found.source = population, source
            changed.append(found)
    result.created, result.updated = len(new), len(changed)
    if not dry_run:
        Population.objects.bulk_create(new)
        Population.objects.bulk_update(changed, ["population", "source"])
    return result


@transaction.atomic
def import_similar_groups(
    *, rows, source: str, source_url: str = "", illustrative: bool, dry_run: bool = False
) -> ImportResult:
    """Set the group of every force the file names to exactly the members it
    lists; the groups of forces it does not name stay as they were."""
    checked = check_similar_groups(rows)
    result = ImportResult(problems=checked.problems)
    if not checked.ok:
        return result
    members: dict = {}
    for force, member in checked.values:
        members.setdefault(force, []).append(member)
    groups = {g.force_id: g for g in SimilarGroup.objects.filter(force__in=members)}
    for force, forces in members.items():
        group = groups.get(force.pk)
        if group is None:
            result.created += 1
            group = SimilarGroup(force=force)
        else:
            result.updated += 1
        group.source, group.source_url, group.illustrative = source, source_url, illustrative
        if not dry_run:
            group.full_clean()
            group.save()
            group.members.set(forces)
    return result
