from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from core.admin_inlines import StackedInline, TabularInline
from core.admin_rows import NamedListRowsAdmin
from measures.admin import MeasureAdmin
from measures.models import Measure

from .editions import EditionNotReady, ensure_priorities, publish_edition
from .models import (
    LOGO_MAX_BYTES,
    Contribution,
    EditionPeelGrade,
    EditionPriority,
    LocalOutcome,
    Plan,
    PublishingBody,
    StatementEdition,
    logo_type,
)


class LocalOutcomeInline(TabularInline):
    model = LocalOutcome
    fields = ["order", "title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "commissioner", "force_area", "first_year", "last_year", "is_current"]
    list_filter = ["is_current", "force_area"]
    list_select_related = ["force_area"]
    search_fields = ["title", "commissioner", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["force_area"]
    ordering = ["-first_year", "title"]
    inlines = [LocalOutcomeInline]


class ContributionInline(StackedInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["measure"]
    fields = ["measure", "strength", "explanation"]
    verbose_name = "contribution to a measure"
    verbose_name_plural = "contributions to national measures and local indicators"


@admin.register(LocalOutcome)
class LocalOutcomeAdmin(NamedListRowsAdmin, SimpleHistoryAdmin):
    list_display = ["title", "plan", "order", "measure_count"]
    list_editable = ["order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "summary", "description"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["plan", "order"]
    inlines = [ContributionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(measure_total=Count("contributions"))

    @admin.display(description="measures", ordering="measure_total")
    def measure_count(self, obj):
        return obj.measure_total


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["outcome", "measure", "strength"]
    list_filter = ["strength", "outcome__plan", "measure__priority_area"]
    list_select_related = ["outcome", "measure"]
    search_fields = ["outcome__title", "measure__name", "explanation"]
    autocomplete_fields = ["outcome", "measure"]
    ordering = ["outcome__plan", "outcome__order", "measure__order"]


class ContributionFromOutcomeInline(StackedInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["outcome"]
    fields = ["outcome", "strength", "explanation"]
    verbose_name = "contribution from a local outcome"
    verbose_name_plural = "contributions from local outcomes"


class MeasureWithContributionsAdmin(MeasureAdmin):
    """A measure's page in the admin, with the local outcomes that contribute
    to it: the national side knows nothing of plans, so the plan adds them."""

    inlines = [ContributionFromOutcomeInline, *MeasureAdmin.inlines]


admin.site.unregister(Measure)
admin.site.register(Measure, MeasureWithContributionsAdmin)


class PublishingBodyForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label="logo",
        required=False,
        help_text=f"A PNG or JPEG image of at most {LOGO_MAX_BYTES // 1000} KB.",
    )
    remove_logo = forms.BooleanField(required=False)

    class Meta:
        model = PublishingBody
        fields = [
            "kind",
            "name",
            "holder_title",
            "holder_name",
            "force_area",
            "logo_alt",
            "email",
            "telephone",
            "website",
            "address",
        ]

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload is None:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(f"The logo is larger than {LOGO_MAX_BYTES // 1000} KB.")
        data = upload.read()
        if logo_type(data) is None:
            raise forms.ValidationError("The logo must be a PNG or JPEG image.")
        return data

    def save(self, commit=True):
        body = super().save(commit=False)
        data = self.cleaned_data.get("logo_upload")
        if data:
            body.logo, body.logo_type = data, logo_type(data)
        elif self.cleaned_data.get("remove_logo"):
            body.logo, body.logo_type = b"", ""
        if commit:
            body.save()
        return body


@admin.register(PublishingBody)
class PublishingBodyAdmin(admin.ModelAdmin):
    """The body that publishes the site: one row, whose wording every page follows."""

    form = PublishingBodyForm
    list_display = ["name", "kind", "holder_title", "holder_name", "force_area"]
    autocomplete_fields = ["force_area"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "holder_title", "holder_name", "force_area"]}),
        ("Logo", {"fields": ["logo_upload", "logo_alt", "remove_logo"]}),
        ("Contact details", {"fields": ["email", "telephone", "website", "address"]}),
    ]


class EditionPriorityInline(StackedInline):
    model = EditionPriority
    extra = 0
    can_delete = False
    fields = [
        "priority_area",
        "contribution",
        "applies",
        "reason",
        "performance",
        "reflections",
        "actions",
    ]
    readonly_fields = ["priority_area"]
    verbose_name_plural = "the national priorities (paragraph 7A)"

    def has_add_permission(self, request, obj=None):
        return False  # one per priority of the framework, made with the edition

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)


class EditionPeelGradeInline(TabularInline):
    model = EditionPeelGrade
    extra = 0
    fields = ["order", "area", "grade"]
    verbose_name_plural = "PEEL graded areas (paragraph 7B)"

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_published)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)


@admin.register(StatementEdition)
class StatementEditionAdmin(SimpleHistoryAdmin):
    """Editions of the statement: drafted here, published by a Publisher, then
    kept exactly as published (no field can change after)."""

    list_display = ["title", "framework", "period_end", "status", "published_at"]
    list_filter = ["status", "framework"]
    list_select_related = ["framework"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EditionPriorityInline, EditionPeelGradeInline]
    actions = ["publish"]
    fieldsets = [
        (None, {"fields": ["plan", "framework", "title", "slug", "introduction"]}),
        (
            "Reporting period",
            {"fields": ["period_start", "period_end", "comparison", "comparison_end"]},
        ),
        (
            "Inspection and complaints (paragraphs 7B and 7C)",
            {
                "fields": [
                    "peel_title",
                    "peel_url",
                    "peel_published",
                    "peel_note",
                    "complaints_quarterly_url",
                    "complaints_annual_url",
                    "complaints_report_url",
                    "complaints_note",
                ]
            },
        ),
        ("Publication", {"fields": ["status", "published_at", "published_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["status", "published_at", "published_by"]
        if obj and obj.is_published:
            return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]
        return fixed

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj and obj.is_published else self.prepopulated_fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        ensure_priorities(form.instance)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("plan.publish_statementedition"):
            actions.pop("publish", None)
        return actions

    @admin.action(description="Publish the selected editions")
    def publish(self, request, queryset):
        for edition in queryset:
            try:
                publish_edition(edition=edition, user=request.user)
            except (EditionNotReady, PermissionDenied) as refusal:
                self.message_user(request, f"{edition}: {refusal}", messages.ERROR)
            else:
                self.log_change(request, edition, "Published.")
                self.message_user(request, f"Published “{edition}”.", messages.SUCCESS)


@admin.register(EditionPriority)
class EditionPriorityAdmin(SimpleHistoryAdmin):
    """Each priority of each edition; written under its edition."""

    list_display = ["priority_area", "edition", "applies"]
    list_filter = ["edition", "applies"]
    list_select_related = ["priority_area", "edition"]
    readonly_fields = ["edition", "priority_area"]
    fields = [
        "edition",
        "priority_area",
        "contribution",
        "applies",
        "reason",
        "performance",
        "reflections",
        "actions",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and not (obj and obj.edition.is_published)


@admin.register(EditionPeelGrade)
class EditionPeelGradeAdmin(admin.ModelAdmin):
    list_display = ["area", "grade", "edition"]
    list_select_related = ["edition"]
