from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from plan.models import Contribution

from .models import (
    Area,
    BaselineOverride,
    DataSource,
    Figure,
    Measure,
    PriorityArea,
    PublicationStatus,
    Target,
    TargetStep,
)


class StampUserMixin:
    """Record who created and who last changed a figure, from the request user."""

    def stamp(self, obj, user):
        if obj.pk is None:
            obj.created_by = user
        obj.updated_by = user

    def save_model(self, request, obj, form, change):
        self.stamp(obj, request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if isinstance(obj, Figure):
                self.stamp(obj, request.user)
            obj.save()
        formset.save_m2m()


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "update_frequency", "is_survey", "url"]
    list_filter = ["update_frequency", "is_survey"]
    search_fields = ["name", "publisher", "description"]
    ordering = ["name"]


class MeasureInline(admin.TabularInline):
    model = Measure
    fields = ["order", "name", "data_source", "unit", "direction"]
    extra = 0
    show_change_link = True


@admin.register(PriorityArea)
class PriorityAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "measure_count"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]
    inlines = [MeasureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(measure_total=Count("measures"))

    @admin.display(description="measures", ordering="measure_total")
    def measure_count(self, obj):
        return obj.measure_total


class ContributionInline(admin.StackedInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["outcome"]
    fields = ["outcome", "strength", "explanation"]
    verbose_name = "contribution from a local outcome"
    verbose_name_plural = "contributions from local outcomes"


class BaselineOverrideInline(admin.TabularInline):
    model = BaselineOverride
    extra = 0
    autocomplete_fields = ["area"]


class MeasureFigureInline(admin.TabularInline):
    """Quick entry of new figures under a measure.

    Only drafts are listed: a measure can gather thousands of published
    figures over the years, and those are corrected from the figure list.
    """

    model = Figure
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
    list_filter = ["kind", "priority_area", "data_source", "unit", "direction"]
    list_select_related = ["priority_area", "data_source"]
    search_fields = ["name", "slug", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]
    autocomplete_fields = ["data_source"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "priority_area", "definition", "order"]}),
        ("How it is counted", {"fields": ["data_source", "unit", "decimal_places", "direction"]}),
        ("Baseline and status", {"fields": ["baseline_start", "baseline_end", "tolerance"]}),
    ]
    inlines = [ContributionInline, BaselineOverrideInline, MeasureFigureInline]

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
class BaselineOverrideAdmin(admin.ModelAdmin):
    list_display = ["measure", "area", "baseline_start", "baseline_end", "reason"]
    list_filter = ["area"]
    list_select_related = ["measure", "area"]
    search_fields = ["measure__name", "area__name", "reason"]
    autocomplete_fields = ["measure", "area"]


@admin.register(Figure)
class FigureAdmin(StampUserMixin, SimpleHistoryAdmin):
    list_display = [
        "measure",
        "area",
        "period_start",
        "period_end",
        "value",
        "lower",
        "upper",
        "provisional",
        "series_break",
        "status",
        "updated_at",
    ]
    list_editable = ["value", "lower", "upper", "provisional", "series_break"]
    list_filter = [
        "status",
        "measure__priority_area",
        "measure",
        "area",
        "provisional",
        "series_break",
    ]
    list_select_related = ["measure", "area"]
    search_fields = ["measure__name", "area__name", "note"]
    date_hierarchy = "period_end"
    ordering = ["measure__order", "area__name", "-period_end"]
    autocomplete_fields = ["measure", "area"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["measure", "area", ("period_start", "period_end")]}),
        ("Value", {"fields": ["value", ("lower", "upper"), "provisional", "series_break"]}),
        ("Source and notes", {"fields": ["source_url", "note"]}),
        ("Publication", {"fields": ["status"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": [
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                    ("published_by", "published_at"),
                    "version",
                ],
            },
        ),
    ]
    readonly_fields = [
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "published_by",
        "published_at",
        "version",
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("status", PublicationStatus.DRAFT)
        return initial


class TargetStepInline(admin.TabularInline):
    model = TargetStep
    extra = 1


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["measure", "area", "plan", "kind", "value", "due", "description"]
    list_filter = ["kind", "area", "plan"]
    list_select_related = ["measure", "area", "plan"]
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
