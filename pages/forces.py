"""How forces compare: a measure's comparison of every force for one period
(its charts are in ``compare_charts``), and a force's own page.

Selection and the statistics are ``compare``'s; these views pick the measure,
the period and the force read first (the current plan's, unless the reader
asks for another), and hand the result to ``compare.display``.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView

from compare.display import ComparisonDisplay, ForceRow, per_words
from compare.rules import parse_period
from compare.selectors import (
    areas_compared,
    compare_latest,
    compare_period,
    group_of,
    opening_period,
    periods_of,
)
from core.cache import cache_query_parameters
from core.tables import page_numbers, page_of
from measures.display import PeriodLabels
from measures.models import Area, AreaKind, Measure
from measures.summary import latest_all
from plan.models import Plan


def focus_force(request) -> Area | None:
    """The force a comparison picks out: ``?area=<slug>``, else the current plan's."""
    slug = request.GET.get("area")
    if slug and "\x00" in slug:
        # No slug holds one, and PostgreSQL refuses to compare text with it.
        raise Http404("No force has this short name.")
    if slug:
        return get_object_or_404(Area, slug=slug, kind=AreaKind.POLICE_FORCE_AREA)
    plan = Plan.objects.current()
    return plan.force_area if plan else None


class BadPeriod(Exception):
    pass


def chosen_comparison(request, slug: str):
    """(measure, focus force, periods, the comparison or None, a message):
    a period with no figures gives no comparison and a message saying so."""
    measure = get_object_or_404(Measure.objects.select_related("data_source"), slug=slug)
    focus = focus_force(request)
    periods = periods_of(measure)
    asked = request.GET.get("period")
    if asked:
        try:
            start, end = parse_period(asked)
        except ValueError as error:
            raise BadPeriod(str(error)) from None
        if not any((p.start, p.end) == (start, end) for p in periods):
            message = gettext("No force has a published figure for this period.")
            return measure, focus, periods, None, message
    else:
        chosen = opening_period(measure, periods)
        if chosen is None:
            return (
                measure,
                focus,
                periods,
                None,
                gettext("No force has a published figure for this measure yet."),
            )
        start, end = chosen.start, chosen.end
    return measure, focus, periods, compare_period(measure, start, end, focus=focus), ""


class MeasureComparisonView(TemplateView):
    template_name = "compare/measure_compare.html"

    def get(self, request, *args, **kwargs):
        try:
            measure, focus, periods, found, message = chosen_comparison(request, kwargs["slug"])
        except BadPeriod as error:
            measure = get_object_or_404(Measure, slug=kwargs["slug"])
            context = self.get_context_data(measure=measure, message=str(error), periods=[])
            return self.render_to_response(context, status=400)
        view = ComparisonDisplay(found) if found else None
        context = self.get_context_data(
            measure=measure,
            focus=focus,
            periods=period_options(periods, view.period_value if view else None),
            view=view,
            message=message,
        )
        return self.render_to_response(context)


def period_options(periods, chosen: str | None) -> list[tuple[str, str, bool]]:
    """The period list's (value, text, selected), its texts written here rather
    than in the template: a measure has a period for every month and quarter
    of its figures (240 over 15 years), and a template tag per option cost
    more than the rest of the page."""
    labels = PeriodLabels(rolling=False)
    options = []
    for p in periods:
        value = f"{p.start}/{p.end}"
        text = ngettext(
            "%(period)s (%(count)s force)", "%(period)s (%(count)s forces)", p.forces
        ) % {"period": labels[p.start, p.end], "count": p.forces}
        options.append((value, text, value == chosen))
    return options


def area_rows(summaries, comparisons) -> list[dict]:
    rows = []
    for measure_id, summary in summaries.items():
        comparison = comparisons.get(measure_id)
        rank = focus_row = None
        if comparison is not None and comparison.focus is not None:
            results = list(comparison.results)
            rank = results.index(comparison.focus) + 1
            focus_row = ForceRow(comparison.focus, rank, 2, summary.measure.unit)
        rows.append(
            {
                "summary": summary,
                "comparison": comparison,
                "rank": rank,
                "focus": focus_row,
                "group_rank": _group_rank(comparison) if focus_row else None,
                "per_words": per_words(comparison.per) if comparison else "",
            }
        )
    return rows


def _group_rank(comparison) -> tuple[int, int] | None:
    group = [r for r in comparison.results if r.in_group or r.is_focus]
    if len(group) < 2:
        return None
    return group.index(comparison.focus) + 1, len(group)


# How many measures a force's page shows at once: a table of 500 is read by
# no one, and every row costs its comparison of every force.
MEASURES_PER_PAGE = 20


@cache_query_parameters("page")
class AreaDetailView(TemplateView):
    """A force's latest figure of each measure and where it sits among the
    forces, a page of measures at a time (``?page=``, clamped as every table
    of the site is): only the page's measures are summarised and compared."""

    template_name = "compare/area_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = get_object_or_404(Area, slug=kwargs["slug"], kind=AreaKind.POLICE_FORCE_AREA)
        areas = areas_compared()
        page = page_of(
            Measure.objects.with_details(targets=False).in_reading_order(),
            self.request.GET.get("page"),
            MEASURES_PER_PAGE,
        )
        summaries = latest_all(page.object_list, area)
        group = group_of(area)
        comparisons = compare_latest(summaries, focus=area, group=group, areas=areas)
        context.update(
            area=area,
            group=group,
            forces=len(areas[0]),
            rows=area_rows(summaries, comparisons),
            page=page,
            page_numbers=page_numbers(page.number, page.paginator.num_pages),
        )
        return context


def areas_index(request):
    """The current plan's force; without a plan, there is no default force."""
    force = focus_force(request)
    if force is None:
        raise Http404("No plan names a force yet: choose one from a measure's comparison.")
    return redirect("pages:area-detail", slug=force.slug)
