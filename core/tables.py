"""What every table of the site shares: a stable sort order and one pager."""

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet


class StableOrderTable(tables.Table):
    """A table whose every sort ends on the primary key, so that rows that tie
    (the same value, say) keep one order and its pages neither repeat nor skip
    them. Added after the columns' own keys, so a sort on several columns
    still sorts on each in turn."""

    @tables.Table.order_by.setter
    def order_by(self, value):
        tables.Table.order_by.fset(self, value)
        data = self.data.data
        if isinstance(data, QuerySet):
            ordering = data.query.order_by or data.model._meta.ordering
            self.data.data = data.order_by(*ordering, "pk")


PER_PAGE = 50
MOST_PER_PAGE = 500


def paginate(table, request) -> None:
    """Pages of the table; odd ``page`` and ``per_page`` values fall back to sane ones."""
    try:
        per_page = min(max(int(request.GET.get("per_page", PER_PAGE)), 1), MOST_PER_PAGE)
    except ValueError:
        per_page = PER_PAGE
    try:
        table.paginate(page=request.GET.get("page", 1), per_page=per_page)
    except PageNotAnInteger:
        table.paginate(page=1, per_page=per_page)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=per_page)
