"""The table of a measure's published figures on its page (django-tables2)."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tables import StableOrderTable
from measures.display import revision_note
from measures.formatting import format_short, format_short_interval
from measures.periods import period_label
from official.selectors import revising_release


class MeasureFigureTable(StableOrderTable):
    area = tables.Column(
        accessor="area__name",
        verbose_name=gettext_lazy("Area"),
        order_by=("area__name", "period_end"),
    )
    period = tables.Column(
        accessor="period_end",
        verbose_name=gettext_lazy("Period"),
        order_by=("period_end", "period_start", "area__name"),
    )
    value = tables.Column(
        verbose_name=gettext_lazy("Figure"),
        order_by=("value", "period_end"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    interval = tables.Column(
        accessor="lower",
        verbose_name=gettext_lazy("95% confidence interval"),
        orderable=False,
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    notes = tables.Column(accessor="pk", verbose_name=gettext_lazy("Notes"), orderable=False)

    class Meta:
        template_name = "pages/figure_table.html"
        order_by = ("-period",)
        attrs = {"class": "data-table"}
        empty_text = gettext_lazy("No published figures match these filters.")

    def __init__(self, *args, measure, area=None, **kwargs):
        self.measure = measure
        self.area = area  # the one area shown, when the reader chose one
        super().__init__(*args, **kwargs)

    def render_period(self, record):
        return period_label(record.period_start, record.period_end)

    def render_value(self, record):
        return format_short(record.value, self.measure.unit, self.measure.decimal_places)

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
            notes.append(_("Provisional"))
        if record.series_break:
            notes.append(_("Series break: not comparable with earlier periods"))
        if record.revised_at:
            notes.append(
                revision_note(
                    record.revised_at,
                    record.previous_value,
                    self.measure.unit,
                    self.measure.decimal_places,
                    release=revising_release(record),
                    reason=record.revision_reason,
                )
            )
        if record.note:
            notes.append(record.note)
        if not notes:
            return "—"
        return format_html(
            '<ul class="plain-list">{}</ul>',
            format_html_join("", "<li>{}</li>", ((n,) for n in notes)),
        )
