from django import forms
from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from measures.admin import MeasureAdmin
from measures.models import Measure

from .models import (
    LOGO_MAX_BYTES,
    Contribution,
    LocalOutcome,
    Plan,
    PublishingBody,
    logo_type,
)


class LocalOutcomeInline(admin.TabularInline):
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


class ContributionInline(admin.StackedInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["measure"]
    fields = ["measure", "strength", "explanation"]
    verbose_name = "contribution to a measure"
    verbose_name_plural = "contributions to national measures and local indicators"


@admin.register(LocalOutcome)
class LocalOutcomeAdmin(SimpleHistoryAdmin):
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


class ContributionFromOutcomeInline(admin.StackedInline):
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
