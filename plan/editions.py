"""Statement editions: drafting and publishing, and what an edition keeps.

Publishing stores a snapshot, everything the edition says (figures, changes,
verdicts, wording, the body and framework as they were), and its PDF, made
once. The edition's pages are drawn from the snapshot alone, so new or
revised figures never move a published edition; they only make it say that
a figure it used has been revised since.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from measures.models import Area, Figure, Measure, PriorityArea, SharedMeasure
from measures.summary import summarise_all

from .models import (
    Contribution,
    EditionPriority,
    EditionStatus,
    PublishingBody,
    StatementEdition,
)
from .pdf import render_pdf

SNAPSHOT_VERSION = 1


class EditionNotReady(Exception):
    """Publishing refused: the message names each priority left unanswered."""


def ensure_priorities(edition: StatementEdition) -> None:
    """One row per priority area of the edition's framework (the text to write)."""
    have = set(edition.priorities.values_list("priority_area_id", flat=True))
    EditionPriority.objects.bulk_create(
        EditionPriority(edition=edition, priority_area=area)
        for area in edition.framework.priority_areas.exclude(pk__in=have)
    )


def unanswered(edition: StatementEdition) -> list[str]:
    """The priorities whose 7A(b) answer is missing, by name, in order."""
    rows = edition.priorities.select_related("priority_area").order_by("priority_area__order")
    return [row.priority_area.name for row in rows if row.missing_7b()]


@dataclass(frozen=True)
class FrameworkMeasures:
    areas: list
    measures: dict[int, list[Measure]]  # priority area id -> measures, own then shared


def framework_measures(edition: StatementEdition) -> FrameworkMeasures:
    areas = list(
        PriorityArea.objects.filter(framework=edition.framework)
        .order_by("order", "name")
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.with_details(targets=False)),
            Prefetch(
                "shared_measures",
                queryset=SharedMeasure.objects.order_by("order").prefetch_related(
                    Prefetch("measure", queryset=Measure.objects.with_details(targets=False))
                ),
            ),
        )
    )
    measures = {
        a.pk: [*a.measures.all(), *(s.measure for s in a.shared_measures.all())] for a in areas
    }
    return FrameworkMeasures(areas, measures)


def _point(point) -> dict | None:
    if point is None:
        return None
    return {
        "figure_id": point.pk,
        "value": str(point.value),
        "display": point.display,
        "label": point.label,
        "interval": point.interval,
        "provisional": point.provisional,
    }


def _measure(measure: Measure, summary, outcomes: list[str]) -> dict:
    return {
        "slug": measure.slug,
        "name": measure.name,
        "data_source": measure.data_source.name,
        "unit": measure.get_unit_display(),
        "direction": measure.get_direction_display(),
        "latest": _point(summary.latest),
        "baseline": _point(summary.baseline),
        "baseline_label": summary.baseline_label,
        "national": _point(summary.national_latest),
        "change": summary.change_display,
        "status": summary.status.value,
        "method": summary.method_sentence,
        "outcomes": outcomes,
    }


def _priority(row: EditionPriority, measures: list[dict]) -> dict:
    return {
        "name": row.priority_area.name,
        "slug": row.priority_area.slug,
        "contribution": row.contribution,
        "applies": row.applies,
        "applies_label": row.get_applies_display(),
        "reason": row.reason,
        "performance": row.performance,
        "reflections": row.reflections,
        "actions": row.actions,
        "measures": measures,
    }


def _communicated(framework) -> str:
    return framework.date_communicated.strftime("%B %Y" if framework.month_only else "%-d %B %Y")


def build_snapshot(edition: StatementEdition, *, now) -> dict:
    """Everything the edition says, worked out now from the published figures."""
    plan, framework = edition.plan, edition.framework
    found = framework_measures(edition)
    every = [m for group in found.measures.values() for m in group]
    national = Area.objects.compared_with(plan.force_area)
    summaries = summarise_all(every, plan.force_area, national, targets=False)
    served: dict[int, list[str]] = {}
    for c in Contribution.objects.filter(outcome__plan=plan).select_related("outcome"):
        served.setdefault(c.measure_id, []).append(c.outcome.title)
    rows = {r.priority_area_id: r for r in edition.priorities.select_related("priority_area")}
    body = PublishingBody.objects.current()
    stamps = [s.last_updated for s in summaries.values() if s.last_updated]
    return {
        "version": SNAPSHOT_VERSION,
        "published_at": now.isoformat(),
        "figures_as_at": now.isoformat(),
        "latest_update": max(stamps).isoformat() if stamps else None,
        "body": {
            "name": body.name if body else "",
            "holder": body.holder if body else plan.commissioner,
            "kind": body.get_kind_display() if body else "",
        },
        "plan": {
            "title": plan.title,
            "years": plan.years,
            "issued_by": plan.commissioner,
            "force_area": plan.force_area.name,
        },
        "framework": {
            "name": framework.name,
            "issued_by": framework.issued_by,
            "communicated": _communicated(framework),
            "source_url": framework.source_url,
        },
        "priorities": [
            _priority(
                rows[area.pk],
                [
                    _measure(m, summaries[m.pk], sorted(served.get(m.pk, [])))
                    for m in found.measures[area.pk]
                ],
            )
            for area in found.areas
            if area.pk in rows
        ],
        "peel_grades": [
            {"area": g.area, "grade": g.get_grade_display()} for g in edition.peel_grades.all()
        ],
    }


def publish_edition(*, edition: StatementEdition, user) -> StatementEdition:
    """Publish a draft: refused, naming them, while any priority lacks its
    7A(b) answer; otherwise the snapshot and the PDF are stored once."""
    if not user.has_perm("plan.publish_statementedition"):
        raise PermissionDenied("Only a Publisher can publish a statement edition.")
    return record_publication(edition=edition, user=user)


@transaction.atomic
def record_publication(*, edition: StatementEdition, user) -> StatementEdition:
    """Publish, once the caller may: ``publish_edition`` checks the user's
    permission first; the demo publishes its illustrative editions with no user."""
    edition = StatementEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise EditionNotReady(f"“{edition}” is already published.")
    ensure_priorities(edition)
    missing = unanswered(edition)
    if missing:
        raise EditionNotReady(
            "Not published: say whether each priority applies locally, and if not why "
            "(paragraph 7A(b)), for: " + "; ".join(missing) + "."
        )
    now = timezone.now()
    edition.snapshot = build_snapshot(edition, now=now)
    edition.status = EditionStatus.PUBLISHED
    edition.published_at, edition.published_by = now, user
    edition.pdf = render_pdf(
        render_to_string("pages/edition_pdf.html", edition_context(edition, revised={}))
    )
    edition.save()
    return edition


def revised_since(snapshot: dict) -> dict[int, bool]:
    """The figures an edition used that have since changed or been withdrawn:
    {figure id: True}. One query."""
    used = {}
    for priority in snapshot["priorities"]:
        for measure in priority["measures"]:
            for key in ("latest", "baseline", "national"):
                if measure[key]:
                    used[measure[key]["figure_id"]] = Decimal(measure[key]["value"])
    current = dict(Figure.objects.published().filter(pk__in=used).values_list("pk", "value"))
    return {pk: True for pk, value in used.items() if current.get(pk) != value}


def edition_context(edition: StatementEdition, *, revised: dict) -> dict:
    """What the edition's templates read: the snapshot, never live figures."""
    return {"edition": edition, "snapshot": edition.snapshot, "revised": revised}
