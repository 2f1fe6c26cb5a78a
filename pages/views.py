"""The public pages: the plan, its outcomes, the measures, the national
priority areas, the mapping and the statutory statement.

They sit above the apps whose data they bring together (a measure page shows
a measure, the outcomes that serve it, and later how forces compare), so no
app imports them. Each page selects its rows in a fixed number of queries
(locked by the tests), hands them to ``measures.summary`` to compute, and its
template shows what ``measures.display`` formatted. Only published figures
reach these pages.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from core.cache import cache_query_parameters
from core.tables import configure
from measures.models import Area, Figure, Framework, Measure, PriorityArea
from measures.summary import status_counts, summarise_all
from plan.models import Contribution, LocalOutcome, Plan, PublishingBody

from .filters import MeasureFigureFilter
from .tables import MeasureFigureTable


def group_by_priority_area(measures) -> list[tuple]:
    """[(priority area or None, [measures])] in the catalogue's order."""
    groups: dict = {}
    for measure in measures:
        groups.setdefault(measure.priority_area, []).append(measure)
    return sorted(
        groups.items(),
        key=lambda item: (item[0] is None, item[0].order if item[0] else 0, str(item[0] or "")),
    )


def plan_overview(plan: Plan) -> dict:
    """A plan's outcomes as cards, with the status of the measures each serves."""
    outcomes = list(
        plan.outcomes.prefetch_related(
            Prefetch("contributions", queryset=Contribution.objects.order_by("measure__order"))
        )
    )
    measures = list(Measure.objects.with_details(targets=False))
    summaries = summarise_all(measures, plan.force_area, targets=False)
    cards = []
    for outcome in outcomes:
        served = [summaries[c.measure_id] for c in outcome.contributions.all()]
        cards.append({"outcome": outcome, "count": len(served), "statuses": status_counts(served)})
    stamps = [s.last_updated for s in summaries.values() if s.last_updated]
    return {
        "plan": plan,
        "cards": cards,
        "measures": measures,
        "priority_groups": group_by_priority_area(measures),
        "last_updated": max(stamps) if stamps else None,
    }


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = Plan.objects.current()
        if plan is not None:
            context.update(plan_overview(plan))
            context["past_plans"] = Plan.objects.filter(is_current=False).order_by("-first_year")
        return context


class PlanDetailView(TemplateView):
    template_name = "pages/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(Plan.objects.select_related("force_area"), slug=kwargs["slug"])
        context.update(plan_overview(plan))
        return context


class OutcomeDetailView(TemplateView):
    template_name = "pages/outcome_detail.html"

    def get_outcome(self) -> LocalOutcome:
        outcomes = LocalOutcome.objects.select_related("plan__force_area")
        if "plan" in self.kwargs:
            return get_object_or_404(
                outcomes, plan__slug=self.kwargs["plan"], slug=self.kwargs["slug"]
            )
        outcome = (
            outcomes.filter(plan__is_current=True, slug=self.kwargs["slug"])
            .order_by("-plan__first_year", "plan__pk")
            .first()
        )
        if outcome is None:
            raise Http404("No outcome of the current plan has this address.")
        return outcome

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outcome = self.get_outcome()
        plan = outcome.plan
        contributions = list(
            outcome.contributions.with_measure_details().order_by("measure__order", "measure__name")
        )
        national = Area.objects.compared_with(plan.force_area)
        summaries = summarise_all([c.measure for c in contributions], plan.force_area, national)
        context.update(
            outcome=outcome,
            plan=plan,
            items=[(c, summaries[c.measure_id]) for c in contributions],
        )
        return context


def current_plan_or_404() -> Plan:
    plan = Plan.objects.current()
    if plan is None:
        raise Http404("No Police and Crime Plan has been published yet.")
    return plan


def framework_groups(framework) -> list[tuple]:
    """[(priority area, [measures])] of a framework fetched ``with_priorities``:
    its own measures, then those it shares from another framework."""
    groups = []
    for area in framework.priority_areas.all():
        shared = sorted(area.shared_measures.all(), key=lambda s: s.order)
        groups.append((area, [*area.measures.all(), *(s.measure for s in shared)]))
    return groups


def mapping_table(outcomes, groups, cells) -> dict:
    """One framework's (or the local indicators') table: a row per outcome, a
    column per measure, each cell the contribution or None."""
    measures = [m for _, group in groups for m in group]
    return {
        "groups": groups,
        "measures": measures,
        "rows": [
            {"outcome": o, "cells": [(m, cells.get((o.pk, m.pk))) for m in measures]}
            for o in outcomes
        ],
    }


@cache_query_parameters("framework")
class MappingView(TemplateView):
    """The outcomes against the measures, a table per national framework
    (``?framework=slug`` shows one), and the local indicators the plan uses."""

    template_name = "pages/mapping.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = current_plan_or_404()
        chosen = self.request.GET.get("framework")
        frameworks = list(Framework.objects.with_priorities())
        shown = [f for f in frameworks if chosen in (None, f.slug)]
        if not shown and chosen is not None:
            raise Http404("No framework has this short name.")
        outcomes = list(plan.outcomes.all())
        contributions = list(
            Contribution.objects.filter(outcome__plan=plan).select_related("measure")
        )
        cells = {(c.outcome_id, c.measure_id): c for c in contributions}
        tables = [(f, mapping_table(outcomes, framework_groups(f), cells)) for f in shown]
        local = sorted(
            {c.measure for c in contributions if c.measure.priority_area_id is None},
            key=lambda m: (m.order, m.name),
        )
        if local and not chosen:
            tables.append((None, mapping_table(outcomes, [(None, local)], cells)))
        context.update(
            plan=plan,
            frameworks=frameworks,
            chosen=chosen,
            tables=tables,
            explained=explanations(outcomes, tables, cells),
        )
        return context


def explanations(outcomes, tables, cells):
    """Each outcome with the (measure, contribution) pairs the tables show, once each."""
    explained = defaultdict(list)
    for _, table in tables:
        for outcome in outcomes:
            for measure in table["measures"]:
                cell = cells.get((outcome.pk, measure.pk))
                if cell and (measure, cell) not in explained[outcome]:
                    explained[outcome].append((measure, cell))
    return [(o, explained[o]) for o in outcomes if explained[o]]


class StatementView(TemplateView):
    template_name = "pages/statement.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = current_plan_or_404()
        outcomes = list(
            plan.outcomes.prefetch_related(
                Prefetch(
                    "contributions",
                    queryset=Contribution.objects.select_related("measure").order_by(
                        "measure__order"
                    ),
                )
            )
        )
        measures = list(Measure.objects.with_details(targets=False))
        summaries = summarise_all(measures, plan.force_area, targets=False)
        context.update(
            plan=plan,
            outcomes=outcomes,
            priority_groups=[
                (area, group) for area, group in group_by_priority_area(measures) if area
            ],
            summaries=[summaries[m.pk] for m in measures],
        )
        return context


@cache_query_parameters(*MeasureFigureFilter.Meta.fields, "sort", "page", "per_page")
class MeasureDetailView(TemplateView):
    template_name = "pages/measure_detail.html"

    def get(self, request, *args, **kwargs):
        self.measure = get_object_or_404(Measure.objects.with_details(), slug=kwargs["slug"])
        self.plan = Plan.objects.current()
        self.filterset = MeasureFigureFilter(
            request.GET or None,
            queryset=Figure.objects.published().filter(measure=self.measure).select_related("area"),
        )
        # The areas with a published figure of the measure: a probe per area,
        # rather than joining every figure of the measure and removing duplicates.
        self.filterset.form.fields["area"].queryset = Area.objects.filter(
            Exists(Figure.objects.published().filter(measure=self.measure, area=OuterRef("pk")))
        )
        context = self.get_context_data(**kwargs)
        # A bad filter value (an unknown area, a date that is not one) shows the
        # form's message and an empty table, with a 400: never every figure.
        status = 400 if self.filterset.is_bound and not self.filterset.is_valid() else 200
        for name in self.filterset.form.errors:
            if name in self.filterset.form.fields:
                self.filterset.form.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure, plan = self.measure, self.plan
        summary = None
        contributions = []
        if plan is not None:
            national = Area.objects.compared_with(plan.force_area)
            summary = summarise_all([measure], plan.force_area, national)[measure.pk]
            contributions = (
                Contribution.objects.filter(measure=measure, outcome__plan=plan)
                .select_related("outcome__plan")
                .order_by("outcome__order", "outcome__title")
            )
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        figures = self.filterset.qs if valid else Figure.objects.none()
        table = MeasureFigureTable(figures, measure=measure)
        configure(table, self.request)
        context.update(
            measure=measure,
            plan=plan,
            summary=summary,
            contributions=contributions,
            filter=self.filterset,
            table=table,
        )
        return context


class PriorityDetailView(TemplateView):
    template_name = "pages/priority_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        priority = get_object_or_404(PriorityArea, slug=kwargs["slug"])
        measures = list(priority.measures.with_details(targets=False))
        plan = Plan.objects.current()
        summaries = []
        if plan is not None:
            national = Area.objects.national()
            found = summarise_all(measures, plan.force_area, national, targets=False)
            summaries = [found[m.pk] for m in measures]
        contributions = (
            Contribution.objects.filter(measure__in=measures, outcome__plan=plan).select_related(
                "outcome__plan", "measure"
            )
            if plan
            else []
        )
        context.update(
            priority=priority,
            measures=measures,
            plan=plan,
            summaries=summaries,
            contributions=contributions,
        )
        return context


def logo(request):
    """The publishing body's logo, kept in the database (no file to share
    between servers)."""
    body = PublishingBody.objects.exclude(logo_type="").order_by("pk").first()
    if body is None:
        raise Http404("No logo has been uploaded.")
    response = HttpResponse(bytes(body.logo), content_type=body.logo_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
