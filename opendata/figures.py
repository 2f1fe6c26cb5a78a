"""Figures as download rows: the Python path, for any database.

The columns are those of ``opendata.columns``; ``opendata.pgcopy`` writes the
same rows with PostgreSQL's COPY, and the two give byte-identical files for
the same data.
"""

import json
from collections.abc import Iterator, Sequence

from django.db.models import QuerySet

from .columns import FIGURE_COLUMNS, STAFF_FIGURE_COLUMNS, Column, csv_cells, names, row_paths

# One order for both paths, down to the primary key, so that both give the
# rows in the same order.
EXPORT_ORDER = ("measure__order", "measure__name", "area__name", "period_end", "pk")


def figure_columns(*, staff: bool) -> tuple[Column, ...]:
    return STAFF_FIGURE_COLUMNS if staff else FIGURE_COLUMNS


def _rows(queryset: QuerySet, columns) -> Iterator:
    rows = queryset.order_by(*EXPORT_ORDER).values_list(*row_paths(columns), named=True)
    return rows.iterator(chunk_size=2000)


def figure_rows(
    queryset: QuerySet, *, staff: bool = False, columns: Sequence[Column] | None = None
) -> Iterator[list]:
    """Formatted CSV cells (strings, or None for an empty cell) for each
    figure, of ``columns`` (the upload format's download unless given)."""
    columns = figure_columns(staff=staff) if columns is None else columns
    for row in _rows(queryset, columns):
        yield csv_cells(columns, row)


def figure_values(queryset: QuerySet, columns: Sequence[Column]) -> Iterator[list]:
    """Each figure's values of ``columns`` as Python values (decimals, dates,
    booleans, text, None), unformatted: for a file that keeps their types."""
    for row in _rows(queryset, columns):
        yield [column.value(row) for column in columns]


def figure_json_chunks(queryset: QuerySet, *, metadata: dict, staff: bool = False) -> Iterator[str]:
    """A JSON document ``{..metadata, "columns": [...], "figures": [{...}, ...]}``,
    written piece by piece. Numbers are numbers and missing values null; no
    formula escaping, which is for spreadsheets."""
    columns = figure_columns(staff=staff)
    head = json.dumps({**metadata, "columns": list(names(columns))}, ensure_ascii=False)
    yield head[:-1] + ', "figures": ['
    keys = [json.dumps(column.name) + ": " for column in columns]
    separator = "\n"
    for row in _rows(queryset, columns):
        body = ", ".join(
            key + column.kind.json(column.value(row))
            for key, column in zip(keys, columns, strict=True)
        )
        yield separator + "{" + body + "}"
        separator = ",\n"
    yield "\n]}\n"
