"""Small pieces the public templates share: status badges, dates, outcome links."""

import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from measures.formatting import format_date

register = template.Library()


@register.simple_tag
def status_badge(status):
    """The status as text with a shape beside it: colour is never the only signal."""
    return format_html(
        '<span class="badge badge--{}"><span class="badge__icon" aria-hidden="true">{}</span> '
        "{}</span>",
        status.value,
        status.icon,
        status.label,
    )


@register.filter
def long_date(value):
    """3 March 2026, in the site's time zone."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return format_date(value)


@register.simple_tag
def outcome_url(outcome):
    """The current plan's outcomes live at /outcomes/…; a past plan's under its own address."""
    if outcome.plan.is_current:
        return reverse("plan:outcome-detail", kwargs={"slug": outcome.slug})
    return reverse(
        "plan:plan-outcome-detail", kwargs={"plan": outcome.plan.slug, "slug": outcome.slug}
    )
