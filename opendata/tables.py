"""The public figures table at ``/data/``: its columns are the downloads'
(``opendata.columns``), shown in the order a person reads a figure (what,
where, when, how much, so what). The slugs and raw dates are in the
downloads only."""

import django_tables2 as tables

from core.tables import StableOrderTable
from measures.models import Figure
from measures.status import Status
from measures.templatetags.public import status_badge

from .columns import BOOLEAN, DECIMAL, FIGURE_COLUMNS, Column
from .exports import format_decimal

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
    "...",  # any column added since, in the downloads' order
)
NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}


class DecimalColumn(tables.Column):
    attrs = NUMBER

    def render(self, value):
        return format_decimal(value)


class ComputedColumn(tables.Column):
    """A column worked out from other values: the download column's own rule,
    with the table as its context."""

    def __init__(self, column: Column, **options):
        self.download_column = column
        super().__init__(empty_values=(), **options)

    def render(self, record, table):
        return self.download_column.value(_Row(record), table)


class _Row:
    """A figure seen through ORM paths, as a column's ``compute`` reads a row."""

    def __init__(self, figure):
        self.figure = figure

    def __getattr__(self, path):
        return tables.A(path).resolve(self.figure)


def table_column(column: Column) -> tables.Column:
    """The page's column for a download column: its heading, its sort, and
    the row's value, read through its first ORM path or worked out."""
    options = {"verbose_name": column.heading or column.title, "accessor": column.paths[0]}
    if column.order_by == ():
        options["orderable"] = False
    elif column.order_by:
        options["order_by"] = column.order_by
    if column.compute is not None:
        return ComputedColumn(column, **options)
    if column.kind is DECIMAL:
        return DecimalColumn(**options)
    if column.kind is BOOLEAN:
        return tables.BooleanColumn(yesno=f"{column.title},", **options)
    return tables.Column(**options)


class _FigureTableBase(StableOrderTable):
    class Meta:
        model = Figure
        fields = ()
        attrs = {"class": "data-table figures-table"}
        empty_text = "No published figures match these filters."
        order_by = ("measure_name", "area_name", "-period_label")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("sequence", PAGE_SEQUENCE)
        super().__init__(*args, **kwargs)

    def render_status(self, record):
        # A badge, with a shape beside the word, rather than the file's word:
        # the verdict stored on the figure (measures.verdicts).
        return status_badge(Status(record.verdict))


# The table's columns are made from the download's, through the table's own
# metaclass, as if each were declared in the class body.
FigureTable = type(_FigureTableBase)(
    "FigureTable",
    (_FigureTableBase,),
    {
        "__module__": __name__,
        "Meta": _FigureTableBase.Meta,
        **{column.name: table_column(column) for column in FIGURE_COLUMNS if column.on_page},
    },
)
