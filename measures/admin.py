from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin_inlines import StackedInline, TabularInline
from core.admin_rows import NamedListRowsAdmin

from .admin_views import FigureEntryViews, publish_review
from .display import revision_note
from .forms import FigureAdminForm, FigureListForm, UnpublishForm
from .models import (
    Area,
    BaselineOverride,
    DataSource,
    Figure,
    Framework,
    FrameworkSource,
    Measure,
    MeasureTranscript,
    PriorityArea,
    SharedMeasure,
    Target,
    TargetStep,
)
from .periods import period_label
from .permissions import can_publish, can_revise, can_set_baseline
from .services import (
    FigureConflict,
    FiguresChanged,
    ValuesNotChecked,
    delete_figures,
    publish_figures,
    save_figure,
    unpublish_figures,
)
from .verdicts import recompute_verdicts


class StampUserMixin:
    """Figures entered in an inline go through ``services.save_figure``, which
    records who created and who last changed them, keeps them draft, and
    refuses a change to a figure someone else changed since the page was shown."""

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        rows = {id(row.instance): row for row in formset.forms if hasattr(row, "cleaned_data")}
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if isinstance(obj, Figure):
                row = rows.get(id(obj))
                save_figure(
                    figure=obj,
                    user=request.user,
                    expected_version=row.cleaned_data.get("expected_version") if row else None,
                    checked=bool(getattr(row, "confirmed_warnings", None)),
                )
            else:
                obj.save()
        formset.save_m2m()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FigureConflict as conflict:
            # Two saves raced past the form's check: the later one lost, whole.
            self.message_user(
                request,
                f"{conflict.figure}: {conflict.message} Nothing on this page was saved.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        except ValuesNotChecked as unchecked:
            # A figure the value is compared with changed after the form's check.
            self.message_user(request, " ".join(unchecked.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "update_frequency", "is_survey", "url"]
    list_filter = ["update_frequency", "is_survey"]
    search_fields = ["name", "publisher", "description"]
    ordering = ["name"]


class MeasureInline(TabularInline):
    model = Measure
    fields = ["order", "name", "data_source", "unit", "direction"]
    extra = 0
    show_change_link = True


class SharedMeasureInline(TabularInline):
    model = SharedMeasure
    fields = ["order", "measure"]
    autocomplete_fields = ["measure"]
    extra = 0
    verbose_name_plural = "measures shared from another framework"


@admin.register(PriorityArea)
class PriorityAreaAdmin(NamedListRowsAdmin, admin.ModelAdmin):
    list_display = ["name", "framework", "order", "measure_count"]
    list_editable = ["order"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["framework__date_communicated", "order", "name"]
    inlines = [MeasureInline, SharedMeasureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(measure_total=Count("measures"))

    @admin.display(description="measures", ordering="measure_total")
    def measure_count(self, obj):
        return obj.measure_total


class FrameworkSourceInline(StackedInline):
    model = FrameworkSource
    extra = 0
    fields = ["order", "title", "url", "publisher", "date", "kind", "notes"]


class FrameworkPriorityInline(TabularInline):
    model = PriorityArea
    fields = ["order", "name", "slug"]
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """National frameworks. Usually loaded from a file with ``manage.py
    load_framework`` (measures/frameworks/FORMAT.md); corrected here."""

    list_display = ["name", "issued_by", "date_communicated", "date_superseded"]
    search_fields = ["name", "summary", "notes"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["date_communicated", "name"]
    inlines = [FrameworkPriorityInline, FrameworkSourceInline]


@admin.register(FrameworkSource)
class FrameworkSourceAdmin(admin.ModelAdmin):
    list_display = ["title", "framework", "publisher", "date", "kind"]
    list_filter = ["framework", "kind"]
    list_select_related = ["framework"]
    search_fields = ["title", "publisher", "notes"]


@admin.register(SharedMeasure)
class SharedMeasureAdmin(admin.ModelAdmin):
    list_display = ["measure", "priority_area", "order"]
    list_select_related = ["measure", "priority_area"]
    autocomplete_fields = ["measure"]


@admin.register(MeasureTranscript)
class MeasureTranscriptAdmin(admin.ModelAdmin):
    """What a framework file says of a measure beyond the catalogue's fields."""

    list_display = ["measure", "due", "source_url"]
    list_select_related = ["measure"]
    fields = ["measure", "includes", "due", "source_url", "other_data_sources", "notes"]
    autocomplete_fields = ["measure"]
    filter_horizontal = ["other_data_sources"]


class BaselineOverrideInline(TabularInline):
    model = BaselineOverride
    extra = 0
    autocomplete_fields = ["area"]


class MeasureFigureInline(TabularInline):
    """Quick entry of new figures under a measure.

    Only drafts are listed: a measure can gather thousands of published
    figures over the years, and those are corrected from the figure list.
    """

    model = Figure
    form = FigureAdminForm
    extra = 3
    fields = [
        "area",
        "period_start",
        "period_end",
        "value",
        "lower",
        "upper",
        "provisional",
        "series_break",
        "note",
        "expected_version",
    ]
    autocomplete_fields = ["area"]
    verbose_name = "draft figure"
    verbose_name_plural = "draft figures (published figures are in the figure list)"

    def get_queryset(self, request):
        return super().get_queryset(request).drafts().select_related("area")


@admin.register(Measure)
class MeasureAdmin(StampUserMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "priority_area",
        "data_source",
        "unit",
        "direction",
        "kind",
        "order",
        "figures_link",
    ]
    list_filter = [
        "kind",
        "priority_area__framework",
        "priority_area",
        "data_source",
        "unit",
        "direction",
    ]
    list_select_related = ["priority_area", "data_source"]
    search_fields = ["name", "slug", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]
    autocomplete_fields = ["data_source"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "priority_area", "definition", "order"]}),
        ("How it is counted", {"fields": ["data_source", "unit", "decimal_places", "direction"]}),
        (
            "Baseline and status",
            {
                "fields": [
                    "baseline_start",
                    "baseline_end",
                    "method",
                    "tolerance",
                    "change_places",
                ],
                "description": "The status of every figure is worked out again when you "
                "save: its method, smallest change that matters, baseline and decimal places "
                "all go into it.",
            },
        ),
        (
            "Checks on entry",
            {
                "fields": [("plausible_min", "plausible_max"), "largest_change"],
                "description": "A figure outside these is saved only once the person entering "
                "it ticks “I have checked these values”, on every screen and upload; the "
                "confirmation is kept in the figure's history.",
            },
        ),
    ]
    # The plan's admin adds the contributions from local outcomes in front.
    inlines = [BaselineOverrideInline, MeasureFigureInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # In the admin's transaction: the method, tolerance, baseline (and
        # the baseline overrides and figures of the inlines) go into every
        # figure's verdict.
        recompute_verdicts(measure_ids=[form.instance.pk])

    @admin.display(description="figures")
    def figures_link(self, obj):
        url = reverse("admin:measures_figure_changelist") + f"?measure__id__exact={obj.pk}"
        return format_html('<a href="{}">All figures</a>', url)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ons_code", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    ordering = ["name"]


@admin.register(BaselineOverride)
class BaselineOverrideAdmin(SimpleHistoryAdmin):
    """A measure's baseline for one area, set by a publisher; every change is
    kept in its history (who, when, the old and new dates), as for figures."""

    list_display = ["measure", "area", "baseline_start", "baseline_end", "reason"]
    list_filter = ["area"]
    list_select_related = ["measure", "area"]
    search_fields = ["measure__name", "area__name", "reason"]
    autocomplete_fields = ["measure", "area"]

    def has_add_permission(self, request):
        return can_set_baseline(request.user)

    def has_change_permission(self, request, obj=None):
        return can_set_baseline(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_set_baseline(request.user)

    # An area's baseline goes into its figures' verdicts.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pairs = {(obj.measure_id, obj.area_id)}
        if change:  # the pair it was moved from, if it was
            pairs.add((form.initial.get("measure"), form.initial.get("area")))
        recompute_verdicts(pairs=pairs)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        recompute_verdicts(pairs=[(obj.measure_id, obj.area_id)])

    def delete_queryset(self, request, queryset):
        pairs = list(queryset.values_list("measure_id", "area_id"))
        super().delete_queryset(request, queryset)
        recompute_verdicts(pairs=pairs)


class FigureChangeList(ChangeList):
    """The figure list, with a date drill-down year no date can hold (9999
    has no next year, 99999 is none) refused as a bad filter, as Django does
    with a year that is not a number, rather than answered with an error
    (Django ticket #37357, fixed after the 5.2 we run)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


@admin.register(Figure)
class FigureAdmin(NamedListRowsAdmin, StampUserMixin, FigureEntryViews, SimpleHistoryAdmin):
    """Figures: entered as drafts, published by a publisher.

    The status is never typed in: the publish and unpublish actions change it,
    with a confirmation page. Every save goes through ``services.save_figure``,
    which refuses a save based on a version someone else has since changed.
    Data entry sees a published figure read-only: a publisher corrects it,
    and the correction is shown publicly as a revision.
    """

    form = FigureAdminForm
    # What a publisher checks first (the figure, its value and its status),
    # then the rest of the entry: at 1280 px, beside the admin's menu and the
    # filters, the first five show whole and the rest scroll in the list's box
    # (admin.css narrows the number inputs).
    list_display = [
        "measure",
        "area",
        "period",
        "value",
        "status",
        "lower",
        "upper",
        "provisional",
        "series_break",
        "revision",
    ]
    list_filter = [
        "status",
        "measure__priority_area",
        "measure",
        "area",
        "provisional",
        "series_break",
    ]
    # Quick corrections in the list, with the same lost-update check as the form.
    list_editable = ["value", "lower", "upper", "provisional", "series_break"]
    list_select_related = ["measure", "area"]
    search_fields = ["measure__name", "area__name", "note"]
    date_hierarchy = "period_end"
    ordering = ["measure__order", "area__name", "-period_end"]
    autocomplete_fields = ["measure", "area"]
    list_per_page = 50
    # The downloads' admin adds its export actions after these.
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["measure", "area", ("period_start", "period_end")]}),
        (
            "Value",
            {
                "fields": [
                    "value",
                    ("lower", "upper"),
                    "provisional",
                    "series_break",
                    "reason_for_revision",
                ]
            },
        ),
        ("Source and notes", {"fields": ["source_url", "note"]}),
        (
            "Publication",
            {
                "fields": ["status", ("published_by", "published_at"), "revision"],
                "description": "Publishers publish and unpublish figures from the figure "
                "list, with the actions above the list.",
            },
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": [
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                    "version",
                    "expected_version",
                ],
            },
        ),
    ]
    readonly_fields = [
        "status",
        "revision",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "published_by",
        "published_at",
        "version",
    ]

    @admin.display(description="period", ordering="period_end")
    def period(self, obj):
        return period_label(obj.period_start, obj.period_end)

    @admin.display(description="revision")
    def revision(self, obj):
        if obj.revised_at is None:
            return "–"
        measure = obj.measure
        return revision_note(
            obj.revised_at,
            obj.previous_value,
            measure.unit,
            measure.decimal_places,
            reason=obj.revision_reason,
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or not obj.is_published or can_revise(request.user)

    def get_changelist(self, request, **kwargs):
        return FigureChangeList

    def get_changelist_form(self, request, **kwargs):
        form = type("FigureListForm", (FigureListForm,), {"can_revise": can_revise(request.user)})
        return super().get_changelist_form(request, form=form, **kwargs)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def save_model(self, request, obj, form, change):
        save_figure(
            figure=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            checked=bool(form.confirmed_warnings),
            revision_reason=form.cleaned_data.get("reason_for_revision", ""),
        )

    def delete_model(self, request, obj):
        delete_figures(figures=[obj])

    def delete_queryset(self, request, queryset):
        delete_figures(figures=queryset)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except FigureConflict as conflict:
            # Two list edits raced past the rows' checks: the later one lost, whole.
            self.message_user(
                request,
                f"{conflict.figure}: {conflict.message} Nothing in the list was saved: "
                "enter your changes again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        except ValuesNotChecked as unchecked:
            self.message_user(request, " ".join(unchecked.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def revert_disabled(self, request, obj=None):
        # A revert would bypass the lost-update check and the revision record:
        # to go back to an old value, type it in, and the history keeps both.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @staticmethod
    def _shown_versions(request, figures) -> dict[int, int]:
        """The version of each selected figure that the confirmation page showed.

        A figure without one (a hand-made request) counts as never shown, so
        the service refuses it rather than approve a value nobody saw.
        """
        versions = {}
        for figure in figures:
            raw = request.POST.get(f"version-{figure.pk}", "")
            versions[figure.pk] = int(raw) if raw.isdecimal() and len(raw) < 10 else 0
        return versions

    def _confirmation(self, request, *, template, title, action, to_change, figures, **extra):
        return TemplateResponse(
            request,
            f"admin/measures/figure/{template}",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "action": action,
                "to_change": to_change,
                "figures": figures,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                **extra,
            },
            status=409 if extra.get("changes") else 200,
        )

    @admin.action(description="Publish selected figures", permissions=["publish"])
    def publish_selected(self, request, queryset):
        changes = []
        if request.POST.get("confirm") == "yes":
            # The selection as the confirmation page showed it, version by version.
            versions = self._shown_versions(request, queryset)
            try:
                published = publish_figures(expected_versions=versions, user=request.user)
            except FiguresChanged as changed:
                changes = changed.changes
            else:
                for figure in published:
                    self.log_change(request, figure, "Published.")
                self.message_user(
                    request,
                    f"Published {len(published)} figure{pluralize(len(published))}: "
                    "the public can now see them.",
                    messages.SUCCESS,
                )
                return None
        figures = list(queryset.select_related("measure", "area"))
        drafts = [figure for figure in figures if not figure.is_published]
        review = publish_review(drafts)
        return self._confirmation(
            request,
            template="publish_confirmation.html",
            title="Publish these figures?",
            action="publish_selected",
            to_change=drafts,
            review=review,
            warned=sum(1 for row in review if row.warnings),
            figures=figures,
            already=len(figures) - len(drafts),
            changes=changes,
        )

    @admin.action(description="Unpublish selected figures", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        changes = []
        form = UnpublishForm(request.POST if request.POST.get("confirm") == "yes" else None)
        if form.is_valid():
            versions = self._shown_versions(request, queryset)
            reason = form.cleaned_data["reason"]
            try:
                done = unpublish_figures(
                    expected_versions=versions, user=request.user, reason=reason
                )
            except FiguresChanged as changed:
                changes = changed.changes
            else:
                for figure in done:
                    self.log_change(request, figure, f"Unpublished: {reason}")
                self.message_user(
                    request,
                    f"Unpublished {len(done)} figure{pluralize(len(done))}: "
                    "they are drafts again and the public no longer sees them.",
                    messages.SUCCESS,
                )
                return None
        figures = list(queryset.select_related("measure", "area"))
        return self._confirmation(
            request,
            template="unpublish_confirmation.html",
            title="Unpublish these figures?",
            action="unpublish_selected",
            to_change=[figure for figure in figures if figure.is_published],
            figures=figures,
            form=form,
            changes=changes,
        )


class TargetStepInline(TabularInline):
    model = TargetStep
    extra = 1


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["measure", "area", "kind", "value", "due", "description"]
    list_filter = ["kind", "area"]
    list_select_related = ["measure", "area"]
    search_fields = ["measure__name", "description"]
    autocomplete_fields = ["measure", "area"]
    ordering = ["measure__order", "due"]
    inlines = [TargetStepInline]


@admin.register(TargetStep)
class TargetStepAdmin(admin.ModelAdmin):
    list_display = ["target", "date", "value"]
    list_filter = ["target__measure"]
    list_select_related = ["target__measure", "target__area"]
    search_fields = ["target__measure__name", "target__description"]
    ordering = ["target", "date"]
