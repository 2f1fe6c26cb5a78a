"""Small pieces every template that shows figures shares: status badges and dates."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from measures.formatting import format_date
from measures.periods import period_label as label_of

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


@register.filter
def period_label(figure):
    """The figure's one label ("12 months to March 2024"), from its own dates."""
    return label_of(figure.period_start, figure.period_end)
