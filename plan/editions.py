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
from django.utils.translation import gettext, gettext_lazy

from measures.display import PeriodLabels, Point
from measures.formatting import format_change, format_date
from measures.models import Area, Figure, Measure, PriorityArea, SharedMeasure
from measures.stats.verdict import Method
from measures.status import Reading, Rule, Status, judge_all
from measures.summary import group_figures
from measures.verdicts import stored_fields

from .models import (
    Contribution,
    EditionPriority,
    EditionStatus,
    PublishingBody,
    StatementEdition,
)
from .pdf import render_pdf

# 2: the figures are those for the edition's own period and its stated
# comparison ("comparison", "comparison_label"), where 1 had the newest
# published and the baseline ("baseline", "baseline_label").
SNAPSHOT_VERSION = 2


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


@dataclass(frozen=True)
class AtPeriodEnd:
    """One measure as an edition states it: its figure for the period ending
    on the edition's last day, against the period the edition compares with,
    judged by the measure's own method on the figures published up to then."""

    latest: Point | None
    comparison: Point | None
    comparison_label: str
    national: Point | None
    status: Status
    change: Decimal | None
    sentence: str


def _reading(row) -> Reading:
    return Reading(
        row.id, row.period_start, row.period_end, row.value, row.lower, row.upper, row.series_break
    )


def _ending(rows: list, day) -> object | None:
    return next((r for r in reversed(rows) if r.period_end == day), None)


def at_period_end(
    measure: Measure,
    local_rows: list,
    national_rows: list,
    *,
    period_end,
    comparison_end=None,
    baseline_period: tuple,
) -> AtPeriodEnd:
    """``measure``'s figures for an edition ending on ``period_end``: never
    one for a later period, never another period in place of a missing one.
    The comparison is the figure ending on ``comparison_end`` or, without
    one, the baseline. The rows are a series' (oldest first), as
    ``Figure.objects.comparable`` gives them; no query."""
    local = [r for r in local_rows if r.period_end <= period_end]
    national = [r for r in national_rows if r.period_end <= period_end]
    labels = PeriodLabels()
    unit, places = measure.unit, measure.decimal_places

    def point(row) -> Point | None:
        return Point(row, labels, unit, places) if row is not None else None

    latest = _ending(local, period_end)
    if comparison_end is None:
        period = baseline_period
        compared = next((r for r in local if (r.period_start, r.period_end) == period), None)
        label = labels[period]
    else:
        compared = _ending(local, comparison_end)
        period = (compared.period_start, compared.period_end) if compared else None
        if period:
            label = labels[period]
        else:
            label = gettext("the period ending %(end)s") % {"end": format_date(comparison_end)}
    status, change = Status.NOT_ENOUGH_DATA, None
    if latest is None:
        sentence = NO_FIGURE_FOR_PERIOD % {"end": format_date(period_end)}
    elif period is None:
        sentence = NO_COMPARISON_FIGURE % {"label": label}
    else:
        rule = Rule(
            unit=unit,
            direction=measure.direction,
            method=Method(measure.method),
            smallest_change=measure.tolerance,
            baseline_period=period,
        )
        (verdict,) = judge_all([_reading(latest)], [_reading(r) for r in local], rule)
        stored = stored_fields(verdict, places=places, change_places=measure.change_decimal_places)
        status, change, sentence = (
            Status(stored["verdict"]),
            stored["change"],
            stored["verdict_text"],
        )
    return AtPeriodEnd(
        latest=point(latest),
        comparison=point(compared),
        comparison_label=label,
        national=point(_ending(national, period_end)),
        status=status,
        change=change,
        sentence=sentence,
    )


NO_FIGURE_FOR_PERIOD = gettext_lazy(
    "No figure for the period ending %(end)s had been published when this edition was: "
    "this measure is not assessed in it."
)
NO_COMPARISON_FIGURE = gettext_lazy(
    "No figure for %(label)s had been published when this edition was, so there is no change "
    "to judge."
)


def _measure(measure: Measure, found: AtPeriodEnd, outcomes: list[str]) -> dict:
    return {
        "slug": measure.slug,
        "name": measure.name,
        "data_source": measure.data_source.name,
        "unit": measure.get_unit_display(),
        "direction": measure.get_direction_display(),
        "latest": _point(found.latest),
        "comparison": _point(found.comparison),
        "comparison_label": found.comparison_label,
        "national": _point(found.national),
        "change": format_change(found.change, measure.unit, measure.change_decimal_places),
        "status": found.status.value,
        "method": found.sentence,
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


def stated_figures(edition: StatementEdition, measures: list) -> dict[int, AtPeriodEnd]:
    """Each measure as the edition states it, keyed by measure id: one query,
    which reads no figure for a period after the edition's."""
    force = edition.plan.force_area
    national = Area.objects.compared_with(force)
    figures = group_figures(
        Figure.objects.comparable(measures, [force, national]).filter(
            period_end__lte=edition.period_end
        )
    )
    return {
        m.pk: at_period_end(
            m,
            figures.get((m.pk, force.pk), []),
            figures.get((m.pk, national.pk), []) if national else [],
            period_end=edition.period_end,
            comparison_end=edition.comparison_end,
            baseline_period=m.baseline_for(force),
        )
        for m in measures
    }


def _last_update(stated: dict[int, AtPeriodEnd]) -> str | None:
    """When the newest of the figures the edition uses last changed."""
    used = [
        p.updated
        for s in stated.values()
        for p in (s.latest, s.comparison, s.national)
        if p is not None and p.updated
    ]
    return max(used).isoformat() if used else None


def build_snapshot(edition: StatementEdition, *, now) -> dict:
    """Everything the edition says, worked out now from the figures published
    for its period and its comparison: none for a later period is read."""
    plan, framework = edition.plan, edition.framework
    found = framework_measures(edition)
    stated = stated_figures(edition, [m for group in found.measures.values() for m in group])
    served: dict[int, list[str]] = {}
    for c in Contribution.objects.filter(outcome__plan=plan).select_related("outcome"):
        served.setdefault(c.measure_id, []).append(c.outcome.title)
    rows = {r.priority_area_id: r for r in edition.priorities.select_related("priority_area")}
    body = PublishingBody.objects.current()
    return {
        "version": SNAPSHOT_VERSION,
        "published_at": now.isoformat(),
        "figures_as_at": now.isoformat(),
        "latest_update": _last_update(stated),
        "period_end": edition.period_end.isoformat(),
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
                    _measure(m, stated[m.pk], sorted(served.get(m.pk, [])))
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
            # "baseline" is what a version 1 snapshot compared with.
            for key in ("latest", "comparison", "baseline", "national"):
                if measure.get(key):
                    used[measure[key]["figure_id"]] = Decimal(measure[key]["value"])
    current = dict(Figure.objects.published().filter(pk__in=used).values_list("pk", "value"))
    return {pk: True for pk, value in used.items() if current.get(pk) != value}


def readable(snapshot: dict) -> dict:
    """A snapshot in the current version's keys, for the templates: a version
    1 snapshot compared each figure with its "baseline"."""
    if snapshot is None or snapshot.get("version", 1) >= SNAPSHOT_VERSION:
        return snapshot
    priorities = [
        {
            **priority,
            "measures": [
                {**m, "comparison": m["baseline"], "comparison_label": m["baseline_label"]}
                for m in priority["measures"]
            ],
        }
        for priority in snapshot["priorities"]
    ]
    return {**snapshot, "priorities": priorities}


def edition_context(edition: StatementEdition, *, revised: dict) -> dict:
    """What the edition's templates read: the snapshot, never live figures."""
    return {"edition": edition, "snapshot": readable(edition.snapshot), "revised": revised}
