"""What every table of the site shares: a stable sort order and one pager."""

import django_tables2 as tables
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet


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
        # Only the columns' own names, as django-tables2 keeps too; anything
        # else (a reader's ?sort=) is dropped before it reads it as an
        # accessor path, which warns about a '.' in it.
        if value:
            aliases = value.split(",") if isinstance(value, str) else value
            value = [alias for alias in aliases if alias.removeprefix("-") in self.columns]
        tables.Table.order_by.fset(self, value)
        data = self.data.data
        if isinstance(data, QuerySet):
            ordering = data.query.order_by or data.model._meta.ordering
            self.data.data = data.order_by(*ordering, "pk")


PER_PAGE = 50
MOST_PER_PAGE = 500


def _per_page(value: str | None) -> int:
    """A page size between 1 and ``MOST_PER_PAGE``; anything else that is not
    a number, ``PER_PAGE``."""
    try:
        number = int(value or PER_PAGE)
    except ValueError:  # not a number, or more digits than Python converts
        return PER_PAGE
    return min(max(number, 1), MOST_PER_PAGE)


def paginate(table, request) -> None:
    """Pages of the table, never all of it at once: a ``per_page`` below 1 is
    1, above ``MOST_PER_PAGE`` is that, not a number is ``PER_PAGE``; a
    ``page`` that is not a number is the first, one past the end the last."""
    per_page = _per_page(request.GET.get("per_page"))
    try:
        table.paginate(page=request.GET.get("page", 1), per_page=per_page)
    except PageNotAnInteger:
        table.paginate(page=1, per_page=per_page)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=per_page)


def page_of(items, number, per_page: int = PER_PAGE) -> Page:
    """Page ``number`` of ``items`` (a list, or a query set: then a count and
    the page's rows, two queries) by ``paginate``'s rule, for a page that lists
    rows without a django-tables2 table: not a number is the first page, past
    either end the last (Django's ``Paginator.get_page``)."""
    return Paginator(items, per_page).get_page(number)


def page_numbers(current: int, last: int, *, with_last: bool = True) -> list[int | None]:
    """A pager's page numbers: the first, the last (unless ``with_last`` is
    off: a last page known only roughly), and two either side of
    ``current``; None where some are left out."""
    numbers = {1, *range(max(1, current - 2), min(last, current + 2) + 1)}
    if with_last:
        numbers.add(last)
    shown = []
    for number in sorted(numbers):
        if shown and number > shown[-1] + 1:
            shown.append(None)
        shown.append(number)
    return shown


def configure(table, request) -> None:
    """The table sorted as the request asks (``sort``) and paged by
    ``paginate``: what every table's view does with its request, so that
    each reads ``sort``, ``page`` and ``per_page`` alike."""
    tables.RequestConfig(request, paginate=False).configure(table)
    paginate(table, request)
