"""Public pages of the local side: the plan, its outcomes, the mapping and the
statutory statement.

Each view picks its rows in a fixed number of queries (locked by the tests)
and hands the summaries from ``measures.summary`` to its template.
"""

from collections import defaultdict

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from measures.models import Measure
from measures.summary import (
    measures_with_details,
    national_area,
    status_counts,
    summarise_all,
    targets_by_due,
    unordered_overrides,
)
from measures.views import current_plan

from .models import Contribution, LocalOutcome, Plan

LOCAL_INDICATORS = "Local indicators"


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
    measures = list(measures_with_details(targets=False))
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
    template_name = "plan/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = current_plan()
        if plan is not None:
            context.update(plan_overview(plan))
            context["past_plans"] = Plan.objects.filter(is_current=False).order_by("-first_year")
        return context


class PlanDetailView(TemplateView):
    template_name = "plan/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(Plan.objects.select_related("force_area"), slug=kwargs["slug"])
        context.update(plan_overview(plan))
        return context


def measure_details_prefix(prefix: str) -> list:
    """The prefetches of ``measures_with_details``, reached through ``prefix``."""
    return [
        Prefetch(f"{prefix}__baseline_overrides", queryset=unordered_overrides()),
        Prefetch(f"{prefix}__targets", queryset=targets_by_due()),
    ]


class OutcomeDetailView(TemplateView):
    template_name = "plan/outcome_detail.html"

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
            outcome.contributions.select_related("measure__data_source", "measure__priority_area")
            .prefetch_related(*measure_details_prefix("measure"))
            .order_by("measure__order", "measure__name")
        )
        national = national_area()
        if national is not None and national.pk == plan.force_area_id:
            national = None
        summaries = summarise_all([c.measure for c in contributions], plan.force_area, national)
        context.update(
            outcome=outcome,
            plan=plan,
            items=[(c, summaries[c.measure_id]) for c in contributions],
        )
        return context


def current_plan_or_404() -> Plan:
    plan = current_plan()
    if plan is None:
        raise Http404("No Police and Crime Plan has been published yet.")
    return plan


class MappingView(TemplateView):
    template_name = "plan/mapping.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = current_plan_or_404()
        outcomes = list(plan.outcomes.all())
        measures = list(Measure.objects.select_related("priority_area"))
        cells = {
            (c.outcome_id, c.measure_id): c for c in Contribution.objects.filter(outcome__plan=plan)
        }
        used = {measure_id for _, measure_id in cells}
        # Local indicators appear only when the plan uses them; national measures always.
        measures = [m for m in measures if m.priority_area_id or m.pk in used]
        groups = group_by_priority_area(measures)
        ordered = [m for _, group in groups for m in group]
        rows = [
            {"outcome": o, "cells": [(m, cells.get((o.pk, m.pk))) for m in ordered]}
            for o in outcomes
        ]
        explained = defaultdict(list)
        for outcome in outcomes:
            for measure in ordered:
                if (outcome.pk, measure.pk) in cells:
                    explained[outcome].append((measure, cells[(outcome.pk, measure.pk)]))
        context.update(
            plan=plan,
            groups=groups,
            measures=ordered,
            rows=rows,
            explained=[(o, explained[o]) for o in outcomes if explained[o]],
        )
        return context


class StatementView(TemplateView):
    template_name = "plan/statement.html"

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
        measures = list(measures_with_details(targets=False))
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
