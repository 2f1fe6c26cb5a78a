"""The public figures table at ``/data/``: its columns are the downloads'
(``opendata.columns``), shown in the order a person reads a figure (what,
where, when, how much, so what). The slugs and raw dates are in the
downloads only, and so is each figure's national priority area (the
measure's, and a filter of the page); the interval's two ends, and the
change with its unit, share a cell, so that the table fits a desktop
screen.

The table counts its rows without counting a large table (``count_rows``),
and pages through them with the site's one pager (``core.tables``)."""

import json
from dataclasses import dataclass

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.tables import StableOrderTable, page_numbers
from measures.formatting import MINUS
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
    "unit",
    "interval",
    "change",
    "status",
    "...",  # any column added since, in the downloads' order
)
# Download columns the page shows inside another's cell, or not at all.
SHOWN_ELSEWHERE = {
    "lower": "interval",
    "upper": "interval",
    "provisional": "period_label",
    "series_break": "period_label",
    "change_unit": "change",
    "priority_area": None,
}
NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}
DOWNLOAD_COLUMNS = {column.name: column for column in FIGURE_COLUMNS}

# Up to this many rows the table says exactly how many it has: counting
# them reads at most this many index entries. Beyond it, PostgreSQL's
# planner estimates the number, and the page says "about".
EXACT_UP_TO = 10_000


@dataclass(frozen=True)
class RowCount:
    number: int
    exact: bool


def about(number: int) -> int:
    """``number`` to two significant figures: 487,312 → 490,000."""
    places = len(str(number)) - 2
    return round(number, -places) if places > 0 else number


def count_rows(queryset) -> RowCount:
    """How many rows ``queryset`` has: exactly, up to ``EXACT_UP_TO``; beyond,
    on PostgreSQL, the planner's estimate (one ``EXPLAIN``, read from its
    statistics), never less than what was counted. SQLite has no estimate
    and counts. A fixed number of queries whatever the size: one on SQLite,
    two on PostgreSQL."""
    queryset = queryset.order_by()
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return RowCount(queryset.count(), exact=True)
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    counted = queryset[: EXACT_UP_TO + 1].count()
    if counted <= EXACT_UP_TO:
        return RowCount(counted, exact=True)
    return RowCount(about(max(int(plan[0]["Plan"]["Plan Rows"]), counted)), exact=False)


class CountedPaginator(Paginator):
    """Django's paginator, told the number of rows rather than counting them."""

    def __init__(self, object_list, per_page, *args, row_count: RowCount, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.row_count = row_count

    @cached_property
    def count(self):
        return self.row_count.number


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
    options = {"verbose_name": column.label, "accessor": column.paths[0]}
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


def signed_change(change, unit: str) -> str:
    """The stored change with its sign and unit: "+42.1%", "−5 percentage points"."""
    sign = "+" if change > 0 else MINUS if change < 0 else "±"
    number = format_decimal(abs(change))
    return f"{sign}{number}%" if unit == "%" else f"{sign}{number} {unit}"


class _FigureTableBase(StableOrderTable):
    # Both ends of the 95% confidence interval (the downloads' lower and upper).
    interval = tables.Column(
        verbose_name=gettext_lazy("95% interval"), accessor="lower", orderable=False, attrs=NUMBER
    )

    class Meta:
        model = Figure
        fields = ()
        attrs = {"class": "data-table figures-table", "aria-describedby": "figures-count"}
        template_name = "opendata/figure_table.html"
        empty_text = gettext_lazy("No published figures match these filters.")
        # Newest first across every measure and area, read in order from the
        # figure_published_all_newest index (the primary key breaks ties).
        order_by = ("-period_label",)

    def __init__(self, *args, row_count: RowCount | None = None, filtered=False, **kwargs):
        kwargs.setdefault("sequence", PAGE_SEQUENCE)
        super().__init__(*args, **kwargs)
        self.row_count = row_count
        self.filtered = filtered

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        if self.row_count is not None:
            paginator_class = CountedPaginator
            kwargs["row_count"] = self.row_count
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)

    def render_status(self, record):
        # A badge, with a shape beside the word, rather than the file's word:
        # the verdict stored on the figure (measures.verdicts).
        return status_badge(Status(record.verdict))

    def render_period_label(self, record):
        label = DOWNLOAD_COLUMNS["period_label"].value(_Row(record))
        tags = [_("Provisional")] if record.provisional else []
        if record.series_break:
            tags.append(_("Series break"))
        return format_html(
            "{}{}",
            label,
            format_html_join("", ' <span class="tag">{}</span>', ((t,) for t in tags)),
        )

    def render_interval(self, record):
        if record.lower is None or record.upper is None:
            return None
        return _("%(lower)s to %(upper)s") % {
            "lower": format_decimal(record.lower),
            "upper": format_decimal(record.upper),
        }

    def render_change(self, record):
        if record.change is None:
            return None
        return signed_change(record.change, record.change_unit)

    def _writers(self) -> dict:
        """How each column's cell is written from a figure."""
        return {
            "measure_name": lambda figure: figure.measure.name,
            "area_name": lambda figure: figure.area.name,
            "period_label": self.render_period_label,
            "value": lambda figure: format_decimal(figure.value),
            "unit": lambda figure: DOWNLOAD_COLUMNS["unit"].value(_Row(figure)),
            "interval": self.render_interval,
            "change": self.render_change,
            "status": self.render_status,
        }

    def body(self) -> list[list[tuple[str, object]]]:
        """The page's rows, each a list of (the cell's attributes, its content).

        Written here rather than by django-tables2's rows, which inspect each
        render method's signature for every cell (half the page's time); a
        column added since, with no writer here, is still django-tables2's."""
        writers = self._writers()
        columns = [
            (column.name, column.attrs["td"].as_html(), column.default) for column in self.columns
        ]
        rows = []
        for record in self.rows_on_page:
            cells = []
            for name, attrs, default in columns:
                writer = writers.get(name)
                content = writer(record.record) if writer else record.get_cell(name)
                cells.append((attrs, default if content in (None, "") else content))
            rows.append(cells)
        return rows

    @cached_property
    def rows_on_page(self) -> list:
        return list(self.page.object_list)

    def showing(self) -> str:
        """ "Showing 1–50 of 1,234 figures", "… of about 490,000 figures"."""
        if not self.rows_on_page:
            return str(self.empty_text)
        first = self.page.start_index()
        last = first + len(self.rows_on_page) - 1
        total = self.row_count.number if self.row_count else self.paginator.count
        exact = self.row_count is None or self.row_count.exact
        values = {"first": f"{first:,}", "last": f"{last:,}", "total": f"{total:,}"}
        if exact:
            text = ngettext(
                "Showing %(first)s–%(last)s of %(total)s figure",
                "Showing %(first)s–%(last)s of %(total)s figures",
                total,
            )
        else:
            text = _("Showing %(first)s–%(last)s of about %(total)s figures")
        return text % values

    def pages(self) -> list[int | None]:
        """The pager's page numbers: the first, the last when the count is
        exact, and two either side of this one; None where some are left out."""
        exact = self.row_count is None or self.row_count.exact
        return page_numbers(self.page.number, self.paginator.num_pages, with_last=exact)

    def has_next_page(self) -> bool:
        # An estimate may overshoot: a page that is not full is the last.
        return self.page.has_next() and len(self.rows_on_page) == self.paginator.per_page

    def sorted_by(self) -> str:
        """The caption's words for the sort: "newest first", "by Area, A to Z"."""
        key = self.order_by[0] if self.order_by else None
        if key is None or key.bare not in self.columns.names():
            return ""
        if key.bare == "period_label":
            return _("oldest first") if key.is_ascending else _("newest first")
        header = self.columns[key.bare].header
        if key.is_ascending:
            return _("by %(column)s, ascending") % {"column": header}
        return _("by %(column)s, descending") % {"column": header}


# The table's columns are made from the download's, through the table's own
# metaclass, as if each were declared in the class body.
FigureTable = type(_FigureTableBase)(
    "FigureTable",
    (_FigureTableBase,),
    {
        "__module__": __name__,
        "Meta": _FigureTableBase.Meta,
        **{
            column.name: table_column(column)
            for column in FIGURE_COLUMNS
            if column.on_page and column.name not in SHOWN_ELSEWHERE
        },
    },
)
