"""Importing an official release: read the file once, work out every figure
it makes, preview what would change, and write it all in one transaction.

``preview_release(path)`` reads and checks the whole file and compares every
figure its recipes make with the database: new, revised (old → new),
unchanged, and conflicts (a figure for the same measure, area and period that
staff entered, which an import never overwrites). ``write_release(preview,
user=…)`` writes the new and revised figures through
``measures.services.import_figures`` (so permissions, versions, history and
public revision notes work as for any other change), records the release and
what it did to each figure, and refuses if the preview has gone stale.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from measures.models import Area, Figure, Measure
from measures.services import FiguresChanged, save_figures_in_bulk, value_warnings

from . import aggregate, readers
from .models import SOURCE_URL, ChangeKind, FigureChange, Recipe, Release, Source, release_title

NEW, REVISED, UNCHANGED, CONFLICT = "new", "revised", "unchanged", "conflict"


class ImportRefused(Exception):
    """Nothing was written; ``messages`` says why, each naming where in the file."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


class StalePreview(ImportRefused):
    pass


@dataclass
class PlannedFigure:
    """One figure a release makes, and what importing it would do."""

    measure_id: int
    measure_slug: str
    area_id: int
    area_code: str
    start: datetime.date
    end: datetime.date
    value: Decimal
    kind: str  # new / revised / unchanged / conflict
    figure_id: int | None = None
    version: int = 0
    old_value: Decimal | None = None

    @property
    def key(self) -> tuple:
        return (self.measure_id, self.area_id, self.start, self.end)

    def as_json(self) -> list:
        return [
            self.measure_id,
            self.measure_slug,
            self.area_id,
            self.area_code,
            self.start.isoformat(),
            self.end.isoformat(),
            str(self.value),
            self.kind,
            self.figure_id,
            self.version,
            None if self.old_value is None else str(self.old_value),
        ]

    @classmethod
    def from_json(cls, data: list) -> PlannedFigure:
        m, slug, a, code, start, end, value, kind, figure_id, version, old = data
        return cls(
            int(m),
            str(slug),
            int(a),
            str(code),
            datetime.date.fromisoformat(start),
            datetime.date.fromisoformat(end),
            Decimal(value),
            str(kind),
            None if figure_id is None else int(figure_id),
            int(version),
            None if old is None else Decimal(old),
        )


@dataclass
class Preview:
    source: str
    file_name: str
    checksum: str
    release_date: datetime.date
    rows_read: int = 0
    figures: list[PlannedFigure] = field(default_factory=list)
    duplicate_of: Release | None = None
    notes: list[str] = field(default_factory=list)
    state: str = ""

    def _of(self, kind: str) -> list[PlannedFigure]:
        return [figure for figure in self.figures if figure.kind == kind]

    @property
    def new(self):
        return self._of(NEW)

    @property
    def revised(self):
        return self._of(REVISED)

    @property
    def unchanged(self):
        return self._of(UNCHANGED)

    @property
    def conflicts(self):
        return self._of(CONFLICT)

    @property
    def changes_anything(self) -> bool:
        return self.duplicate_of is None and bool(self.new or self.revised)

    @property
    def title(self) -> str:
        return release_title(self.source, self.release_date)

    def per_measure_area(self) -> list[tuple[str, str, Counter]]:
        """(measure slug, area code, counts by kind), sorted."""
        counts: dict[tuple[str, str], Counter] = {}
        for figure in self.figures:
            counts.setdefault((figure.measure_slug, figure.area_code), Counter())[figure.kind] += 1
        return [(m, a, c) for (m, a), c in sorted(counts.items())]

    def summary(self) -> str:
        if self.duplicate_of is not None:
            return (
                f"This file was already imported, as {self.duplicate_of.title} "
                f"({self.duplicate_of.file_name}): nothing changes."
            )
        return (
            f"{len(self.new)} new, {len(self.revised)} revised, {len(self.unchanged)} unchanged, "
            f"{len(self.conflicts)} conflicts with staff-entered figures (left as they are), "
            f"from {self.rows_read:,} rows."
        )

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "file_name": self.file_name,
            "checksum": self.checksum,
            "release_date": self.release_date.isoformat(),
            "rows_read": self.rows_read,
            "figures": [figure.as_json() for figure in self.figures],
            "notes": self.notes,
            "state": self.state,
        }

    @classmethod
    def from_json(cls, data: dict) -> Preview:
        return cls(
            source=data["source"],
            file_name=data["file_name"],
            checksum=data["checksum"],
            release_date=datetime.date.fromisoformat(data["release_date"]),
            rows_read=int(data["rows_read"]),
            figures=[PlannedFigure.from_json(item) for item in data["figures"]],
            notes=list(data["notes"]),
            state=data["state"],
        )


# --- The file ---------------------------------------------------------------


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_HOME_OFFICE_DATE = re.compile(r"-(\d{2})(\d{2})(\d{2})\.ods$", re.IGNORECASE)


def release_date_from_name(name: str) -> datetime.date | None:
    """``prc-pfa-mar2013-onwards-tables-230426.ods`` → 23 April 2026: the Home
    Office names its files after the day of the release (DDMMYY)."""
    match = _HOME_OFFICE_DATE.search(name)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(2000 + year, month, day)
    except ValueError:
        return None


def _collectors(recipes: list[Recipe]) -> dict[Source, object]:
    """A collector for each source, fed with that source's recipes."""
    return {
        Source.HOME_OFFICE_PFA: aggregate.HomeOfficeSums(
            [
                aggregate.HomeOfficeRecipe(r.pk, r.codes, r.aggregation)
                for r in recipes
                if r.source == Source.HOME_OFFICE_PFA
            ]
        ),
        Source.ONS_PFA: aggregate.OnsValues(
            [
                aggregate.OnsRecipe(r.pk, r.ons_table, r.ons_column)
                for r in recipes
                if r.source == Source.ONS_PFA
            ]
        ),
    }


def _read(path: Path, recipes: list[Recipe]):
    """Reads and checks the whole file once, handing each record to the
    collector of its source; returns the report and that collector."""
    collectors = _collectors(recipes)

    def visit_for(kind: readers.SourceKind):
        return collectors[Source(kind.value)].add

    try:
        report = readers.check(path, visit_for=visit_for)
    except readers.ReaderError as error:
        raise ImportRefused([error.message]) from None
    if not report.ok:
        messages = [error.message for error in report.errors]
        if report.more_errors:
            messages.append(f"… and {report.more_errors} more errors.")
        raise ImportRefused(messages)
    return report, collectors[Source(report.kind.value)]


def _reading_notes(collector, recipes: list[Recipe], values: dict) -> list[str]:
    notes = []
    made = Counter(key[0] for key in values)
    for recipe in recipes:
        if not made[recipe.pk]:
            notes.append(f"{recipe}: the file has no rows for it, so it makes no figures.")
    for table, header in sorted(getattr(collector, "no_period", ())):
        notes.append(f"{table}, column {header!r}: its header names no period; not imported.")
    if getattr(collector, "suppressed", 0):
        notes.append(f"{collector.suppressed} values suppressed in the file ([x], [c]…) skipped.")
    return notes


# --- Planning ---------------------------------------------------------------


def _areas(codes: set[str]) -> dict[str, Area]:
    found = {area.ons_code: area for area in Area.objects.filter(ons_code__in=codes)}
    missing = sorted(codes - found.keys())
    if missing:
        raise ImportRefused(
            [
                f"The file gives figures for area {code} ({_area_name(code)}), which is not "
                "among the areas: add it in the admin (Areas) with that ONS code."
                for code in missing
            ]
        )
    return found


def _area_name(code: str) -> str:
    row = aggregate.areas.area_by_code(code)
    return row.ons_name if row else "unknown"


def _existing(measure_ids: set[int], area_ids: set[int]) -> tuple[dict, set[int]]:
    """Every figure of these measures and areas by key, and which of them an
    official release made: two queries."""
    figures = {
        (m, a, s, e): (pk, value, version)
        for pk, m, a, s, e, value, version in Figure.objects.filter(
            measure_id__in=measure_ids, area_id__in=area_ids
        ).values_list(
            "pk", "measure_id", "area_id", "period_start", "period_end", "value", "version"
        )
    }
    official = set(
        FigureChange.objects.filter(figure__measure_id__in=measure_ids)
        .values_list("figure_id", flat=True)
        .distinct()
    )
    return figures, official


def _classify(planned: PlannedFigure, found, official: set[int]) -> None:
    if found is None:
        planned.kind = NEW
        return
    planned.figure_id, planned.old_value, planned.version = found
    if planned.old_value == planned.value:
        planned.kind = UNCHANGED
    elif planned.figure_id in official:
        planned.kind = REVISED
    else:
        planned.kind = CONFLICT


def _plan(values: dict, recipes: list[Recipe]) -> list[PlannedFigure]:
    by_pk = {recipe.pk: recipe for recipe in recipes}
    areas = _areas({key[1] for key in values})
    measure_ids = {recipe.measure_id for recipe in recipes}
    figures, official = _existing(measure_ids, {area.pk for area in areas.values()})
    planned: dict[tuple, PlannedFigure] = {}
    for (recipe_pk, code, start, end), value in sorted(values.items()):
        measure = by_pk[recipe_pk].measure
        area = areas[code]
        item = PlannedFigure(measure.pk, measure.slug, area.pk, code, start, end, value, NEW)
        if item.key in planned:
            continue  # two recipes of one measure that give the same period
        _classify(item, figures.get(item.key), official)
        planned[item.key] = item
    return list(planned.values())


def _recipes(source: Source | None = None) -> list[Recipe]:
    recipes = Recipe.objects.filter(active=True).select_related("measure").order_by("pk")
    return list(recipes if source is None else recipes.filter(source=source))


def fingerprint(figures: list[PlannedFigure], source: str) -> str:
    """What a preview depended on: the figures it compared with (their
    versions, and whether a release made them), the recipes, the last release.
    A confirmation whose fingerprint differs from its preview's is stale."""
    digest = hashlib.sha256()
    recipes = _recipes(Source(source))
    for recipe in recipes:
        digest.update(
            repr(
                (
                    recipe.pk,
                    recipe.measure_id,
                    sorted(recipe.codes),
                    recipe.aggregation,
                    recipe.ons_table,
                    recipe.ons_column,
                )
            ).encode()
        )
    last = Release.objects.order_by("-pk").values_list("pk", flat=True).first()
    digest.update(repr(last).encode())
    measure_ids = {figure.measure_id for figure in figures}
    area_ids = {figure.area_id for figure in figures}
    existing, official = _existing(measure_ids, area_ids)
    for figure in figures:
        found = existing.get(figure.key)
        if found is not None:
            digest.update(repr((figure.key, found[0], found[2], found[0] in official)).encode())
    return digest.hexdigest()


def preview_release(
    path: str | Path, *, file_name: str | None = None, release_date: datetime.date | None = None
) -> Preview:
    """Read and check the whole file and say what importing it would change;
    writes nothing. Raises :class:`ImportRefused` for a bad file."""
    path = Path(path)
    name = file_name or path.name
    digest = file_checksum(path)
    when = release_date or release_date_from_name(name) or timezone.localdate()
    duplicate = Release.objects.filter(checksum=digest).first()
    if duplicate is not None:  # known by its bytes: no need to read it again
        return Preview(duplicate.source, name, digest, when, duplicate_of=duplicate)
    everything = _recipes()
    report, collector = _read(path, everything)
    source = Source(report.kind.value)
    recipes = [recipe for recipe in everything if recipe.source == source]
    if not recipes:
        raise ImportRefused(
            [f"No active recipe reads the {source.label}: add one in the admin (Recipes)."]
        )
    values = collector.values()
    preview = Preview(source.value, name, digest, when, rows_read=report.records)
    preview.notes = _reading_notes(collector, recipes, values)
    preview.figures = _plan(values, recipes)
    preview.notes += _check_notes(preview.figures)
    preview.state = fingerprint(preview.figures, preview.source)
    return preview


# How many of the entry checks' warnings a preview lists one by one.
CHECK_NOTES_SHOWN = 20


def _check_notes(planned: list[PlannedFigure]) -> list[str]:
    """What the entry checks (``measures.checks``) say about the new and
    revised figures: reported here, and kept in each figure's history when
    it is written (an official release is not stopped by them)."""
    changing = [figure for figure in planned if figure.kind in (NEW, REVISED)]
    measures = Measure.objects.in_bulk({figure.measure_id for figure in changing})
    figures = [
        Figure(
            pk=item.figure_id,
            measure=measures[item.measure_id],
            area_id=item.area_id,
            period_start=item.start,
            period_end=item.end,
            value=item.value,
        )
        for item in changing
    ]
    said = [
        f"Check {item.measure_slug}, {item.area_code}, {item.start} to {item.end}: "
        + " ".join(warning.message for warning in warnings)
        for item, warnings in zip(changing, value_warnings(figures), strict=True)
        if warnings
    ]
    if len(said) > CHECK_NOTES_SHOWN:
        more = len(said) - CHECK_NOTES_SHOWN
        said = [*said[:CHECK_NOTES_SHOWN], f"… and {more} more figures outside their checks."]
    return said


# --- Writing ----------------------------------------------------------------


def _record(preview: Preview, *, user, publish: bool, written: dict) -> Release:
    release = Release.objects.create(
        source=preview.source,
        file_name=preview.file_name[:255],
        checksum=preview.checksum,
        release_date=preview.release_date,
        imported_by=user if user is not None and user.is_authenticated else None,
        published=publish,
        rows_read=preview.rows_read,
        added=len(preview.new),
        revised=len(preview.revised),
        unchanged=len(preview.unchanged),
        conflicts=len(preview.conflicts),
    )
    FigureChange.objects.bulk_create(
        FigureChange(
            release=release,
            figure_id=written[figure.key],
            kind=ChangeKind.ADDED if figure.kind == NEW else ChangeKind.REVISED,
            old_value=figure.old_value if figure.kind == REVISED else None,
            new_value=figure.value,
        )
        for figure in preview.figures
        if figure.kind in (NEW, REVISED)
    )
    return release


@transaction.atomic
def write_release(preview: Preview, *, user, publish: bool = False) -> Release | None:
    """Write a previewed release: its new and revised figures, the release and
    its per-figure record, all or nothing. Returns None when the file was
    already imported (nothing changes). Raises :class:`StalePreview` if
    anything the preview compared with changed since, :class:`ImportRefused`
    if the figures' own checks refuse (a permission, a version)."""
    if Release.objects.select_for_update().filter(checksum=preview.checksum).exists():
        return None
    if fingerprint(preview.figures, preview.source) != preview.state:
        raise StalePreview(
            [
                "Figures, recipes or releases changed since this preview was made: nothing "
                "was written. Preview the file again."
            ]
        )
    source = Source(preview.source)
    note = f"From {preview.title} ({source.label})."
    measures = {
        m.pk: m for m in Measure.objects.filter(pk__in={f.measure_id for f in preview.figures})
    }
    new = [
        Figure(
            measure=measures[f.measure_id],
            area_id=f.area_id,
            period_start=f.start,
            period_end=f.end,
            value=f.value,
            note=note,
            source_url=SOURCE_URL[source],
        )
        for f in preview.new
    ]
    updates = {
        f.figure_id: {"value": f.value, "note": note, "source_url": SOURCE_URL[source]}
        for f in preview.revised
    }
    try:
        added, changed = save_figures_in_bulk(
            new=new,
            updates=updates,
            expected_versions={f.figure_id: f.version for f in preview.revised},
            user=user,
            publish=publish,
            change_reason=f"Official import: {preview.title}",
        )
    except FiguresChanged as stale:
        raise StalePreview(stale.changes) from None
    except PermissionDenied as denied:
        raise ImportRefused([str(denied)]) from None
    except ValidationError as invalid:
        raise ImportRefused(invalid.messages) from None
    written = {
        (f.measure_id, f.area_id, f.period_start, f.period_end): f.pk for f in [*added, *changed]
    }
    return _record(preview, user=user, publish=publish, written=written)
