"""The calendar's times in words, and what waits for staff on the admin's home page."""

import datetime

from django import template
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from measures.models import Figure
from measures.periods import entry_periods, period_label, period_value
from plan.models import Plan, PublishingBody

from ..models import PENDING, ReleaseDate
from ..schedule import UK, format_release_day, format_release_time

register = template.Library()

PENDING_SCHEDULE = Q(schedule__release__status__in=PENDING)

#: How many groups of drafts the admin's home page lists (the oldest periods first).
DRAFT_GROUPS_SHOWN = 20


@register.filter
def release_day(moment) -> str:
    return format_release_day(moment) if moment else ""


@register.filter
def release_time(moment) -> str:
    return format_release_time(moment) if moment else ""


def _draft_groups(limit: int) -> list[dict]:
    groups = (
        Figure.objects.drafts()
        .values("measure_id", "measure__name", "period_start", "period_end")
        .annotate(
            count=Count("pk"),
            scheduled=Count("schedule", filter=PENDING_SCHEDULE),
            first=Min("schedule__release__publish_at", filter=PENDING_SCHEDULE),
        )
        .order_by("period_end", "period_start", "measure__order", "measure__name")[: limit + 1]
    )
    changelist = reverse("admin:measures_figure_changelist")
    rows = []
    for group in groups:
        query = urlencode(
            {
                "status__exact": "draft",
                "measure__id__exact": group["measure_id"],
                "period_start": group["period_start"].isoformat(),
                "period_end": group["period_end"].isoformat(),
            }
        )
        rows.append(
            {
                "measure": group["measure__name"],
                "period": period_label(group["period_start"], group["period_end"]),
                "count": group["count"],
                "scheduled": group["scheduled"],
                "scheduled_for": group["first"],
                "url": f"{changelist}?{query}",
            }
        )
    return rows


def _this_week(now: datetime.datetime):
    """Pending releases due from the start of today (UK) to seven days on,
    overdue ones included (``publish_due`` has not run)."""
    start = datetime.datetime.combine(now.astimezone(UK).date(), datetime.time(), tzinfo=UK)
    return (
        ReleaseDate.objects.pending()
        .filter(publish_at__lt=start + datetime.timedelta(days=7))
        .select_related("measure")
        .annotate(figure_count=Count("figures"))
        .order_by("publish_at", "pk")
    )


def _entry_link(today: datetime.date) -> dict:
    """The bulk entry screen for the body's force area and the newest
    12 months that have ended: the figures staff enter each quarter."""
    screen = reverse("admin:measures_figure_bulk_entry")
    owner = PublishingBody.objects.current() or Plan.objects.current()
    if owner is None:
        return {"other_url": screen}
    period, label = entry_periods(today, months=False)[0][1][0]
    query = urlencode({"area": owner.force_area_id, "period": period_value(*period)})
    return {
        "url": f"{screen}?{query}",
        "area": owner.force_area,
        "period": label,
        "other_url": screen,
    }


@register.simple_tag(takes_context=True)
def waiting_work(context) -> dict:
    """What waits for staff: drafts by measure and period, and the releases
    due this week. Only what the signed-in user may see."""
    user = context["request"].user
    waiting = {"can_view_figures": user.has_perm("measures.view_figure")}
    if user.has_perm("measures.add_figure"):
        waiting["entry"] = _entry_link(timezone.localdate())
    if waiting["can_view_figures"]:
        groups = _draft_groups(DRAFT_GROUPS_SHOWN)
        waiting.update(
            drafts=groups[:DRAFT_GROUPS_SHOWN],
            more_drafts=len(groups) > DRAFT_GROUPS_SHOWN,
            all_drafts_url=reverse("admin:measures_figure_changelist") + "?status__exact=draft",
        )
    if user.has_perm("releases.view_releasedate"):
        now = timezone.now()
        waiting.update(
            releases=[(release, release.publish_at <= now) for release in _this_week(now)],
            calendar_url=reverse("admin:releases_releasedate_changelist"),
        )
    return waiting
