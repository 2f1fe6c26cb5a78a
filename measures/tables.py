"""The public table of a measure's published figures (django-tables2).

``render_*`` methods write what a person reads; ``value_*`` methods give the
plain values an export writes.
"""

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .formatting import format_date, format_short, format_short_interval, format_value
from .periods import period_label


class StableOrderTable(tables.Table):
    """A table whose every sort ends on the primary key, so that rows that tie
    (the same value, say) keep one order and its pages neither repeat nor skip
    them. Added after the columns' own keys, so a sort on several columns
    still sorts on each in turn."""

    # django-tables2 has no hook for this: the setter of Table.order_by and the
    # queryset kept in table.data.data are its internals. The lock file pins
    # the version, and tests/test_dependencies.py fails if an upgrade changes
    # either, rather than letting ties go unordered without a word.
    @tables.Table.order_by.setter
    def order_by(self, value):
        tables.Table.order_by.fset(self, value)
        data = self.data.data
        if isinstance(data, QuerySet):
            ordering = data.query.order_by or data.model._meta.ordering
            self.data.data = data.order_by(*ordering, "pk")


class FigureTable(StableOrderTable):
    area = tables.Column(
        accessor="area__name", verbose_name="Area", order_by=("area__name", "period_end")
    )
    period = tables.Column(
        accessor="period_end",
        verbose_name="Period",
        order_by=("period_end", "period_start", "area__name"),
    )
    value = tables.Column(
        verbose_name="Figure",
        order_by=("value", "period_end"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    interval = tables.Column(
        accessor="lower",
        verbose_name="95% confidence interval",
        orderable=False,
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    notes = tables.Column(accessor="pk", verbose_name="Notes", orderable=False)

    class Meta:
        template_name = "measures/figure_table.html"
        order_by = ("-period",)
        attrs = {"class": "data-table"}
        empty_text = "No published figures match these filters."

    def __init__(self, *args, measure, rolling=False, **kwargs):
        self.measure = measure
        self.rolling = rolling
        super().__init__(*args, **kwargs)

    def render_period(self, record):
        return period_label(record.period_start, record.period_end, rolling=self.rolling)

    def value_period(self, record):
        return f"{record.period_start:%Y-%m-%d} to {record.period_end:%Y-%m-%d}"

    def render_value(self, record):
        return format_short(record.value, self.measure.unit, self.measure.decimal_places)

    def value_value(self, record):
        return record.value

    def render_interval(self, record):
        return (
            format_short_interval(
                record.lower, record.upper, self.measure.unit, self.measure.decimal_places
            )
            or "—"
        )

    def render_notes(self, record):
        notes = []
        if record.provisional:
            notes.append("Provisional")
        if record.series_break:
            notes.append("Series break: not comparable with earlier periods")
        if record.revised_at:
            previous = format_value(
                record.previous_value, self.measure.unit, self.measure.decimal_places
            )
            revised = format_date(timezone.localtime(record.revised_at).date())
            notes.append(f"Revised {revised}; previously {previous}")
        if not notes:
            return "—"
        return format_html(
            '<ul class="plain-list">{}</ul>',
            format_html_join("", "<li>{}</li>", ((n,) for n in notes)),
        )
