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
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import TemplateView

from core.cache import cache_query_parameters
from core.tables import configure
from measures.comparisons import Comparison, Rules, against_a_year_earlier, compare
from measures.comparisons import find as find_period
from measures.display import revision_note
from measures.formatting import format_value
from measures.models import (
    NATIONAL_AREA_SLUG,
    Area,
    Figure,
    Framework,
    Measure,
    PriorityArea,
    PublicationStatus,
)
from measures.periods import period_label
from measures.summary import group_figures, status_counts, summarise, summarise_all
from official.models import ChangeKind, FigureChange, Release
from official.selectors import with_revising_release
from plan.editions import edition_context, revised_since
from plan.models import Contribution, LocalOutcome, Plan, PublishingBody, StatementEdition
from releases.selectors import with_next_update

from .charts import chart_area_apart
from .filters import MeasureFigureFilter
from .forms import MeasurePageForm
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


def headline_summaries(measures, area: Area, national: Area | None) -> dict:
    """Each measure's summary in ``area`` or, for a measure published only
    nationally (no figure for ``area``), in ``national``: keyed by measure
    id, from one query for figures and no target."""
    measures = list(measures)
    figures = group_figures(Figure.objects.comparable(measures, [area, national]))
    summaries = {}
    for measure in measures:
        summary = summarise(measure, area, figures, national, targets=False)
        if summary.latest is None and summary.national:
            summary = summarise(measure, national, figures, targets=False)
        summaries[measure.pk] = summary
    return summaries


def plan_overview(plan: Plan) -> dict:
    """A plan's outcomes as cards, with the status of the measures each serves."""
    outcomes = list(
        plan.outcomes.prefetch_related(
            Prefetch("contributions", queryset=Contribution.objects.order_by("measure__order"))
        )
    )
    measures = list(Measure.objects.with_details(targets=False))
    national = Area.objects.compared_with(plan.force_area)
    summaries = headline_summaries(measures, plan.force_area, national)
    cards = []
    for outcome in outcomes:
        served = [summaries[c.measure_id] for c in outcome.contributions.all()]
        cards.append({"outcome": outcome, "count": len(served), "statuses": status_counts(served)})
    stamps = [s.last_updated for s in summaries.values() if s.last_updated]
    return {
        "plan": plan,
        "national": national,
        "cards": cards,
        "measures": measures,
        "priority_groups": group_by_priority_area(measures),
        **headline_groups(measures, summaries),
        "last_updated": max(stamps) if stamps else None,
    }


def headline_groups(measures, summaries) -> dict:
    """The measures with a published figure, by priority area, as summaries
    ("summary_groups"); and the measures with none yet ("unreported")."""
    groups, unreported = [], []
    for area, group in group_by_priority_area(measures):
        reported = [summaries[m.pk] for m in group if summaries[m.pk].latest]
        unreported += [m for m in group if not summaries[m.pk].latest]
        if reported:
            groups.append((area, reported))
    return {"summary_groups": groups, "unreported": unreported}


# How many figures the home page lists of the latest release (or publication).
LATEST_CHANGES_SHOWN = 12


def latest_changes(areas) -> dict:
    """What changed most recently in ``areas`` (the plan's force area and
    England and Wales): the figures the latest official release added or
    revised (published ones only) or, before any release, the figures
    published on the latest day anything was. Two queries at most."""
    areas = [a for a in areas if a is not None]
    release = Release.objects.order_by("-release_date", "-imported_at").first()
    if release is not None:
        changes = (
            FigureChange.objects.filter(
                release=release, figure__status=PublicationStatus.PUBLISHED, figure__area__in=areas
            )
            .select_related("figure__measure", "figure__area")
            .order_by("figure__measure__order", "figure__area__name", "-figure__period_end")
        )[:LATEST_CHANGES_SHOWN]
        changes = [_change_row(c) for c in changes]
        return {
            "release": release,
            "changes": changes,
            "more": len(changes) == LATEST_CHANGES_SHOWN,
        }
    recent = list(
        Figure.objects.published()
        .filter(area__in=areas)
        .exclude(published_at=None)
        .select_related("measure", "area")
        .order_by("-published_at", "-period_end", "measure__order", "area__name")[
            :LATEST_CHANGES_SHOWN
        ]
    )
    day = timezone.localtime(recent[0].published_at).date() if recent else None
    that_day = [f for f in recent if timezone.localtime(f.published_at).date() == day]
    that_day.sort(
        key=lambda f: (f.measure.order, f.measure.name, f.area.name, -f.period_end.toordinal())
    )
    return {
        "published_on": day,
        "changes": [_figure_row(f) for f in that_day],
        "more": len(recent) == LATEST_CHANGES_SHOWN and len(that_day) == len(recent),
    }


def _figure_row(figure, previous=None) -> dict:
    measure = figure.measure
    unit, places = measure.unit, measure.decimal_places
    return {
        "measure": measure,
        "area": figure.area,
        "period": period_label(figure.period_start, figure.period_end),
        "value": format_value(figure.value, unit, places),
        "previous": format_value(previous, unit, places) if previous is not None else "",
    }


def _change_row(change) -> dict:
    row = _figure_row(change.figure, change.old_value)
    row["value"] = format_value(
        change.new_value, change.figure.measure.unit, change.figure.measure.decimal_places
    )
    return row


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = Plan.objects.current()
        if plan is not None:
            overview = plan_overview(plan)
            context.update(overview, latest=latest_changes([plan.force_area, overview["national"]]))
            context["past_plans"] = Plan.objects.filter(is_current=False).order_by("-first_year")
        return context


class PlanDetailView(TemplateView):
    template_name = "pages/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(Plan.objects.select_related("force_area"), slug=kwargs["slug"])
        context.update(plan_overview(plan))
        # Whether its years are over, and which plan replaced it: the page
        # must not call a plan current once its last year has passed.
        context["plan_over"] = plan.last_year < timezone.localdate().year
        if not plan.is_current:
            context["current_plan"] = Plan.objects.filter(force_area=plan.force_area).current()
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
        summaries = headline_summaries(
            [c.measure for c in contributions], plan.force_area, national
        )
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
    """The newest published edition of the statement; until the first is
    published, the statement as the current figures make it."""

    template_name = "pages/statement.html"

    def get(self, request, *args, **kwargs):
        edition = StatementEdition.objects.published().newest_first().defer("pdf").first()
        if edition is not None:
            return edition_response(request, edition)
        return super().get(request, *args, **kwargs)

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
            # Printed with the statement: the date its figures are as at.
            last_updated=max(
                (s.last_updated for s in summaries.values() if s.last_updated), default=None
            ),
        )
        return context


# What a comparison row reads of a figure.
SERIES_FIELDS = ("period_start", "period_end", "value", "lower", "upper", "series_break")


def areas_of(measure: Measure) -> list[Area]:
    """The areas with a published figure of ``measure``: a probe per area,
    rather than joining every figure of the measure and removing duplicates."""
    published = Figure.objects.published().filter(measure=measure, area=OuterRef("pk"))
    return list(Area.objects.filter(Exists(published)))


def area_choices(areas: list[Area], force: Area | None) -> list[Area]:
    """The areas a reader may choose: the plan's force area first (even before
    it has figures), England and Wales, then every other area with figures."""
    national = [a for a in areas if a.slug == NATIONAL_AREA_SLUG]
    first = [force] if force is not None else []
    rest = [a for a in areas if a not in first and a not in national]
    return first + [a for a in national if a not in first] + rest


def series_of(measure: Measure, area: Area) -> list:
    """Every published figure of ``measure`` in ``area``, oldest first: one query."""
    return list(
        Figure.objects.published()
        .filter(measure=measure, area=area)
        .order_by("period_end", "period_start")
        .values_list(*SERIES_FIELDS, named=True)
    )


def comparison_rules(measure: Measure) -> Rules:
    return Rules(
        unit=measure.unit,
        direction=measure.direction,
        smallest_change=measure.tolerance,
        is_survey=measure.is_survey,
        places=measure.decimal_places,
        method=measure.method,
    )


def chosen_comparison(measure, rows, form) -> Comparison | None:
    earlier, later = form.cleaned_data.get("from"), form.cleaned_data.get("to")
    if earlier is None or later is None:
        return None
    return compare(
        gettext("The periods you chose"),
        comparison_rules(measure),
        rows,
        find_period(rows, earlier),
        find_period(rows, later),
    )


# How many periods a measure page's table shows until the reader asks for all.
RECENT_PERIODS = 8
# The query parameters of the table of every figure: any of them shows it.
ALL_FIGURES_PARAMETERS = (*MeasureFigureFilter.Meta.fields, "periods", "sort", "page", "per_page")


def recent_rows(rows: list, count: int = RECENT_PERIODS) -> list:
    """The chart table's lines from the ``count``-th latest period with a
    figure on (the target's later steps stay): oldest first, as charted."""
    with_figures = [i for i, row in enumerate(rows) if row.local or row.national]
    if len(with_figures) <= count:
        return rows
    return rows[with_figures[-count] :]


@cache_query_parameters(*ALL_FIGURES_PARAMETERS, "area", "from", "to")
class MeasureDetailView(TemplateView):
    """A measure in one area (the plan's force area unless the reader chose
    another), against England and Wales; its comparisons; its figures, the
    latest periods first and every figure (with filters) a click away."""

    template_name = "pages/measure_detail.html"

    def get(self, request, *args, **kwargs):
        self.measure = get_object_or_404(
            with_next_update(Measure.objects.with_details()), slug=kwargs["slug"]
        )
        self.plan = Plan.objects.current()
        self.choose_area()
        self.filterset = MeasureFigureFilter(
            request.GET or None,
            queryset=with_revising_release(
                Figure.objects.published().filter(measure=self.measure).select_related("area")
            ),
        )
        context = self.get_context_data(**kwargs)
        # A bad value (an unknown area, a date that is not one, periods of
        # unequal length) shows its message, with a 400: never every figure.
        status = 200 if self.valid else 400
        for form in (self.filterset.form, self.choice):
            for name in form.errors:
                if name in form.fields:
                    form.fields[name].widget.attrs.update(
                        {"aria-invalid": "true", "aria-describedby": f"{form[name].auto_id}-error"}
                    )
        return self.render_to_response(context, status=status)

    def choose_area(self):
        """The area the page is about, and the form that chose it: the force
        area by default or, when only England and Wales has figures, England
        and Wales (and the page says the measure is published only nationally)."""
        force = self.plan.force_area if self.plan else None
        with_figures = areas_of(self.measure)
        choices = area_choices(with_figures, force)
        national = next((a for a in with_figures if a.slug == NATIONAL_AREA_SLUG), None)
        default = force if force in with_figures or national is None else national
        self.nationally_only = default is not None and default == national and force != national
        asked = self.request.GET.get("area", "")
        area = next((a for a in choices if a.slug == asked), None) or default
        self.rows = series_of(self.measure, area) if area else []
        periods = [(r.period_start, r.period_end) for r in self.rows]
        self.choice = MeasurePageForm(self.request.GET, areas=choices, periods=periods)
        self.choice.is_valid()
        self.area = area
        self.chosen = asked in {a.slug for a in choices}
        self.national = national if area != national else None

    def figure_table(self) -> MeasureFigureTable:
        """Every published figure, filtered, sorted and paged as the reader asks."""
        figures = Figure.objects.none()
        if self.valid:
            figures = self.filterset.qs
            if self.chosen:
                figures = figures.filter(area=self.area)
        table = MeasureFigureTable(
            figures, measure=self.measure, area=self.area if self.chosen else None
        )
        configure(table, self.request)
        return table

    @property
    def valid(self) -> bool:
        filters_valid = not self.filterset.is_bound or self.filterset.is_valid()
        return filters_valid and self.choice.is_valid()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure, plan, area = self.measure, self.plan, self.area
        summary = None
        if area is not None:
            figures = group_figures(Figure.objects.comparable([measure], [area, self.national]))
            summary = summarise(measure, area, figures, self.national)
        contributions = []
        if plan is not None:
            contributions = (
                Contribution.objects.filter(measure=measure, outcome__plan=plan)
                .select_related("outcome__plan")
                .order_by("outcome__order", "outcome__title")
            )
        all_figures = any(name in self.request.GET for name in ALL_FIGURES_PARAMETERS)
        table = self.figure_table() if all_figures else None
        comparisons = []
        if summary is not None:
            latest = summary.latest
            comparisons = [
                against_a_year_earlier(
                    comparison_rules(measure),
                    self.rows,
                    (latest.period_start, latest.period_end) if latest else None,
                ),
                chosen_comparison(measure, self.rows, self.choice) if self.valid else None,
            ]
        figures_query = f"measure={measure.slug}" + (f"&area={area.slug}" if self.chosen else "")
        context.update(
            measure=measure,
            plan=plan,
            summary=summary,
            rows=recent_rows(summary.rows) if summary else [],
            all_figures=all_figures,
            national_chart=chart_area_apart(measure, summary),
            nationally_only=self.nationally_only and not self.chosen,
            choice=self.choice,
            area_chosen=area.slug if self.chosen else "",
            comparisons=[c for c in comparisons if c is not None],
            contributions=contributions,
            filter=self.filterset,
            table=table,
            figures_query=figures_query,
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


# How many revisions the releases page lists; the CSV has every one.
RELEASE_PAGE_REVISIONS = 200


class ReleasesView(TemplateView):
    """Every official release imported, what it added and revised, and the
    latest revisions of published figures, each with the sentence the public
    reads beside the figure: two queries whatever the number of releases."""

    template_name = "official/releases.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revisions = (
            FigureChange.objects.filter(
                kind=ChangeKind.REVISED, figure__status=PublicationStatus.PUBLISHED
            )
            .select_related("release", "figure__measure", "figure__area")
            .order_by(
                "-release__release_date",
                "-release_id",
                "figure__measure__order",
                "figure__area__name",
                "-figure__period_end",
            )[:RELEASE_PAGE_REVISIONS]
        )
        context.update(
            releases=list(Release.objects.order_by("-release_date", "-imported_at")),
            revisions=[_revision_row(change) for change in revisions],
            shown=RELEASE_PAGE_REVISIONS,
        )
        return context


def _revision_row(change) -> dict:
    figure, measure = change.figure, change.figure.measure
    unit, places = measure.unit, measure.decimal_places
    return {
        "release": change.release,
        "measure": measure,
        "area": figure.area,
        "period": period_label(figure.period_start, figure.period_end),
        "previous": format_value(change.old_value, unit, places),
        "value": format_value(change.new_value, unit, places),
        "note": revision_note(
            change.release.imported_at, change.old_value, unit, places, release=change.release.title
        ),
    }


def logo(request):
    """The publishing body's logo, kept in the database (no file to share
    between servers)."""
    body = PublishingBody.objects.exclude(logo_type="").order_by("pk").first()
    if body is None:
        raise Http404("No logo has been uploaded.")
    response = HttpResponse(bytes(body.logo), content_type=body.logo_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def edition_response(request, edition: StatementEdition):
    context = edition_context(edition, revised=revised_since(edition.snapshot))
    return render(request, "pages/edition.html", context)


class StatementArchiveView(TemplateView):
    """Every published edition of the statement, newest first."""

    template_name = "pages/statement_archive.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["editions"] = list(
            StatementEdition.objects.published()
            .newest_first()
            .select_related("framework")
            .defer("snapshot", "pdf", "framework__notes", "framework__summary")
        )
        return context


def published_edition_or_404(slug: str, *fields) -> StatementEdition:
    editions = StatementEdition.objects.published()
    return get_object_or_404(editions.only("slug", "status", *fields), slug=slug)


def statement_edition(request, slug):
    edition = published_edition_or_404(
        slug,
        "title",
        "period_start",
        "period_end",
        "comparison",
        "introduction",
        "peel_title",
        "peel_url",
        "peel_published",
        "peel_note",
        "complaints_quarterly_url",
        "complaints_annual_url",
        "complaints_report_url",
        "complaints_note",
        "published_at",
        "snapshot",
    )
    return edition_response(request, edition)


def statement_pdf(request, slug):
    """The PDF made at publication, as stored: never made again."""
    edition = published_edition_or_404(slug, "pdf")
    response = HttpResponse(bytes(edition.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statement-{edition.slug}.pdf"'
    return response
