"""Public pages of the national side: a measure, a national priority area.

Only published figures reach these pages, and each page runs a fixed number
of queries whatever the number of figures.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.cache import cache_query_parameters
from plan.models import Contribution, Plan

from .filters import MeasureFigureFilter
from .models import Area, Figure, PriorityArea
from .summary import measures_with_details, national_area, summarise_all
from .tables import FigureTable


def current_plan() -> Plan | None:
    """The plan on the home page: the newest plan marked current."""
    return (
        Plan.objects.filter(is_current=True)
        .select_related("force_area")
        .order_by("-first_year", "pk")
        .first()
    )


PER_PAGE = 50
MOST_PER_PAGE = 500


def paginate(table, request) -> None:
    """Pages of the table; odd ``page`` and ``per_page`` values fall back to sane ones."""
    try:
        per_page = min(max(int(request.GET.get("per_page", PER_PAGE)), 1), MOST_PER_PAGE)
    except ValueError:
        per_page = PER_PAGE
    try:
        table.paginate(page=request.GET.get("page", 1), per_page=per_page)
    except PageNotAnInteger:
        table.paginate(page=1, per_page=per_page)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=per_page)


@cache_query_parameters(*MeasureFigureFilter.Meta.fields, "sort", "page", "per_page")
class MeasureDetailView(TemplateView):
    template_name = "measures/measure_detail.html"

    def get(self, request, *args, **kwargs):
        self.measure = get_object_or_404(measures_with_details(), slug=kwargs["slug"])
        self.plan = current_plan()
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
            national = national_area()
            if national is not None and national.pk == plan.force_area_id:
                national = None
            summary = summarise_all([measure], plan.force_area, national)[measure.pk]
            contributions = (
                Contribution.objects.filter(measure=measure, outcome__plan=plan)
                .select_related("outcome__plan")
                .order_by("outcome__order", "outcome__title")
            )
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        figures = self.filterset.qs if valid else Figure.objects.none()
        table = FigureTable(
            figures,
            measure=measure,
            rolling=summary.rolling if summary else False,
        )
        RequestConfig(self.request, paginate=False).configure(table)  # the sort order
        paginate(table, self.request)
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
    template_name = "measures/priority_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        priority = get_object_or_404(PriorityArea, slug=kwargs["slug"])
        measures = list(measures_with_details(priority.measures.all(), targets=False))
        plan = current_plan()
        summaries = []
        if plan is not None:
            national = national_area()
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
