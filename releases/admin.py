"""The release calendar in the admin, and the figure list's "Schedule
publication" action with its "scheduled for …" column.

The action and the column are added to whichever figure admin is registered
(measures', with the downloads' actions), as the downloads add theirs: the
figure admin never imports this app.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, OuterRef, Subquery
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_inlines import StackedInline
from measures.models import Figure
from measures.permissions import can_publish
from measures.services import FiguresChanged
from official.models import Release

from .forms import ReleaseDateForm, ScheduleForm, default_day
from .models import PENDING, ReleaseDate, ScheduledFigure
from .schedule import at_uk_time, format_release_short, format_release_time
from .services import schedule_figures


class ScheduledFigureInline(StackedInline):
    model = ScheduledFigure
    fields = ["figure", "version", "scheduled_by", "scheduled_at"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = "figures that go public with this release (tick Delete to unschedule one)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return can_publish(request.user)


class PublisherOnlyMixin:
    """Staff see the calendar; publishers change it."""

    def has_add_permission(self, request, *args):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return can_publish(request.user) and (obj is None or obj.is_pending)

    def has_delete_permission(self, request, obj=None):
        return can_publish(request.user) and (obj is None or obj.is_pending)


@admin.register(ReleaseDate)
class ReleaseDateAdmin(PublisherOnlyMixin, admin.ModelAdmin):
    form = ReleaseDateForm
    list_display = ["release_time", "what", "covering", "status", "figure_count"]
    list_filter = ["status", "source"]
    list_select_related = ["measure"]
    search_fields = ["measure__name", "covers", "reason"]
    date_hierarchy = "publish_at"
    ordering = ["-publish_at"]
    readonly_fields = ["postponed_from", "published_at"]
    fields = [
        "measure",
        "source",
        "covers",
        "publish_at",
        "status",
        "reason",
        "postponed_from",
        "published_at",
    ]
    inlines = [ScheduledFigureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(figure_total=Count("figures"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # A measure is chosen here, never added or edited from this page.
        for name in ("can_add_related", "can_change_related", "can_view_related"):
            setattr(field.widget, name, False)
        return field

    @admin.display(description="release time (UK)", ordering="publish_at")
    def release_time(self, obj):
        return format_release_short(obj.publish_at)

    @admin.display(description="covers", ordering="covers")
    def covering(self, obj):
        return obj.covers or "–"

    @admin.display(description="figures", ordering="figure_total")
    def figure_count(self, obj):
        return obj.figure_total

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("publish_at", at_uk_time(default_day(timezone.now())))
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ScheduledFilter(admin.SimpleListFilter):
    title = "scheduled"
    parameter_name = "scheduled"

    def lookups(self, request, model_admin):
        return [("yes", "Scheduled for publication"), ("no", "Not scheduled")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(schedule__release__status__in=PENDING)
        if self.value() == "no":
            return queryset.exclude(schedule__release__status__in=PENDING)
        return queryset


class OfficialReleaseFilter(admin.SimpleListFilter):
    """The figures an official import added or revised: to review an import
    saved as drafts, and schedule it."""

    title = "official release"
    parameter_name = "official_release"
    SHOWN = 20

    def lookups(self, request, model_admin):
        releases = Release.objects.order_by("-release_date", "-imported_at")[: self.SHOWN]
        return [(str(release.pk), str(release.title).capitalize()) for release in releases]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdecimal() or len(value) > 18:
            return queryset.none()
        return queryset.filter(official_changes__release_id=int(value))


def _with_schedule(admin_class):
    """The registered figure admin, with the schedule action, filter and column."""

    class FigureScheduleAdmin(admin_class):
        actions = [*admin_class.actions, "schedule_selected"]
        list_display = [
            "publication" if name == "status" else name for name in admin_class.list_display
        ]
        list_filter = [*admin_class.list_filter, ScheduledFilter, OfficialReleaseFilter]

        def get_queryset(self, request):
            scheduled = ScheduledFigure.objects.filter(
                figure=OuterRef("pk"), release__status__in=PENDING
            )
            return (
                super()
                .get_queryset(request)
                .annotate(
                    scheduled_for=Subquery(scheduled.values("release__publish_at")[:1]),
                    scheduled_version=Subquery(scheduled.values("version")[:1]),
                )
            )

        @admin.display(description="status", ordering="status")
        def publication(self, obj):
            status = obj.get_status_display()
            when = getattr(obj, "scheduled_for", None)
            if obj.is_published or when is None:
                return status
            if obj.scheduled_version != obj.version:
                return f"{status}, changed since it was scheduled: it will not be published"
            return f"{status}, scheduled for {format_release_time(when)}"

        @admin.action(
            description="Schedule publication of selected figures", permissions=["publish"]
        )
        def schedule_selected(self, request, queryset):
            return schedule_action(self, request, queryset)

    FigureScheduleAdmin.__name__ = admin_class.__name__
    return FigureScheduleAdmin


def schedule_action(model_admin, request, queryset):
    """The confirmation page: the drafts to schedule and when; on
    confirmation, ``services.schedule_figures``."""
    confirming = request.POST.get("confirm") == "yes"
    form = ScheduleForm(
        request.POST if confirming else None,
        initial={"day": default_day(timezone.now())},
    )
    changes = []
    if confirming and form.is_valid():
        versions = model_admin._shown_versions(request, queryset)
        publish_at = form.cleaned_data["publish_at"]
        try:
            result = schedule_figures(
                expected_versions=versions,
                publish_at=publish_at,
                user=request.user,
                covers=form.cleaned_data["covers"],
            )
        except FiguresChanged as changed:
            changes = changed.changes
        else:
            count = len(result.scheduled)
            for figure in result.scheduled:
                model_admin.log_change(
                    request,
                    figure,
                    f"Scheduled for publication at {format_release_time(publish_at)}.",
                )
            model_admin.message_user(
                request,
                f"Scheduled {count} figure{pluralize(count)} to go public at "
                f"{format_release_time(publish_at)}. Until then only staff see "
                f"{pluralize(count, 'it,them')}.",
                messages.SUCCESS,
            )
            return None
    figures = list(queryset.select_related("measure", "area"))
    drafts = [figure for figure in figures if not figure.is_published]
    return TemplateResponse(
        request,
        "releases/admin/schedule.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Schedule these figures for publication?",
            "opts": model_admin.opts,
            "action": "schedule_selected",
            "to_change": drafts,
            "figures": figures,
            "already": len(figures) - len(drafts),
            "form": form,
            "changes": changes,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
        status=409 if changes else (400 if confirming else 200),
    )


def _with_drafts_link(admin_class):
    """The official releases' list, with a link to each import's drafts."""

    class ReleaseDraftsAdmin(admin_class):
        list_display = [*admin_class.list_display, "drafts"]

        @admin.display(description="its drafts")
        def drafts(self, obj):
            if obj.published:
                return "published on import"
            query = f"?official_release={obj.pk}&status__exact=draft"
            url = reverse("admin:measures_figure_changelist") + query
            return format_html('<a href="{}">Review and schedule</a>', url)

    ReleaseDraftsAdmin.__name__ = admin_class.__name__
    return ReleaseDraftsAdmin


for _model, _extend in ((Figure, _with_schedule), (Release, _with_drafts_link)):
    _registered = type(admin.site.get_model_admin(_model))
    admin.site.unregister(_model)
    admin.site.register(_model, _extend(_registered))
