"""The public figures table at ``/data/``, whose columns are also the columns
of every figures download: the upload columns first (so that a download can
be uploaded again unchanged), then readable extras."""

import django_tables2 as tables

from core.tables import StableOrderTable
from measures.csvformat import FIGURE_COLUMNS
from measures.models import Figure
from measures.periods import period_label
from measures.templatetags.public import status_badge

from .exports import format_decimal

READABLE_COLUMNS = (
    "measure_name",
    "unit",
    "area_name",
    "period_label",
    "priority_area",
    "status",
)

# Shown on the page: the readable columns, in the order a person reads a
# figure (what, where, when, how much, so what). The slugs and raw dates are
# in the download only.
HIDDEN_ON_PAGE = ("measure", "area", "period_start", "period_end", "note", "source_url")
PAGE_SEQUENCE = (
    "measure_name",
    "area_name",
    "period_label",
    "value",
    "lower",
    "upper",
    "unit",
    "status",
    "provisional",
    "series_break",
    "priority_area",
)


class DecimalColumn(tables.Column):
    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return format_decimal(value)


class FigureTable(StableOrderTable):
    measure = tables.Column(accessor="measure__slug", verbose_name="measure")
    area = tables.Column(accessor="area__slug", verbose_name="area")
    period_start = tables.DateColumn(verbose_name="period start")
    period_end = tables.DateColumn(verbose_name="period end")
    value = DecimalColumn(verbose_name="Value")
    lower = DecimalColumn(verbose_name="Lower bound")
    upper = DecimalColumn(verbose_name="Upper bound")
    provisional = tables.BooleanColumn(verbose_name="Provisional", yesno="Provisional,")
    series_break = tables.BooleanColumn(verbose_name="Series break", yesno="Series break,")
    note = tables.Column(orderable=False)
    source_url = tables.URLColumn(verbose_name="source", orderable=False)
    measure_name = tables.Column(
        accessor="measure__name",
        verbose_name="Measure",
        order_by=("measure__order", "measure"),
    )
    unit = tables.Column(accessor="measure__get_unit_display", verbose_name="Unit", orderable=False)
    area_name = tables.Column(accessor="area__name", verbose_name="Area")
    period_label = tables.Column(
        accessor="period_end",
        verbose_name="Period",
        order_by=("period_end", "period_start"),
    )
    priority_area = tables.Column(
        accessor="measure__priority_area__name",
        verbose_name="National priority area",
        default="",
    )
    status = tables.Column(
        empty_values=(), verbose_name="Status against the baseline", orderable=False
    )

    class Meta:
        model = Figure
        fields = ()
        sequence = (*FIGURE_COLUMNS, *READABLE_COLUMNS)
        order_by = ("measure_name", "area_name", "-period_label")
        attrs = {"class": "data-table figures-table"}
        empty_text = "No published figures match these filters."

    def __init__(self, *args, statuses=None, **kwargs):
        # ``statuses`` works out each figure's status against its baseline
        # with a fixed number of queries (opendata.figures.StatusLookup).
        self.statuses = statuses
        kwargs.setdefault("exclude", HIDDEN_ON_PAGE)
        kwargs.setdefault("sequence", PAGE_SEQUENCE)
        super().__init__(*args, **kwargs)

    def render_period_label(self, record):
        return period_label(record.period_start, record.period_end)

    def render_status(self, record):
        if self.statuses is None:
            return ""
        return status_badge(self.statuses.status_of(record))


# The columns of every figures download, in order.
EXPORT_COLUMNS = tuple(FigureTable.base_columns)
STAFF_EXPORT_COLUMNS = (*EXPORT_COLUMNS, "publication_status")
