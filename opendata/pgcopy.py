"""Figures as download rows: the PostgreSQL path.

PostgreSQL writes the CSV itself with ``COPY (SELECT ...) TO STDOUT WITH
CSV``, read block by block through psycopg's ``cursor.copy()``: several times
faster than formatting rows in Python, in constant memory. The select list
comes from the columns of ``opendata.columns``, each written in SQL by its
kind, so that the file is byte for byte the Python path's (the tests compare
the two). No rule lives here: the status and the change are read from the
verdict stored on each figure (``measures.verdicts``), and period labels come
from ``measures.periods`` itself, looked up.
"""

import datetime
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

from django.db import DatabaseError, connection
from django.db.models import QuerySet

from measures.models import Area, Figure, Measure, PublicationStatus
from measures.periods import period_label

from .columns import Column, row_paths, sql_literal
from .exports import BLOCK_SIZE
from .figures import figure_columns

# A period's key, that of its label: the days from 2000-01-01 to its start
# and its length in days, as text ("-3653:364"). Plain arithmetic, whatever
# the server's date style; two small numbers, not one product of them, so
# that no date PostgreSQL holds makes the key overflow an integer or two
# periods share one.
_EPOCH = datetime.date(2000, 1, 1)


def _period_key(start: datetime.date, end: datetime.date) -> str:
    return f"{(start - _EPOCH).days}:{(end - start).days}"


def _period_labels(queryset: QuerySet) -> str:
    """The labels of the periods in ``queryset``, by ``_period_key``, as a JSON
    object: a few hundred periods, however many figures, labelled by
    ``measures.periods.period_label`` itself rather than by a twin in SQL."""
    periods = queryset.order_by().values_list("period_start", "period_end").distinct()
    return json.dumps(
        {_period_key(start, end): period_label(start, end) for start, end in periods},
        ensure_ascii=False,
    )


def _period_label() -> str:
    """The period's label, looked up by its key in the ``_period_labels`` parameter."""
    key = f"((ps - DATE '{_EPOCH.isoformat()}')::text || ':' || (pe - ps)::text)"
    # Labels are plain words and dates, nothing a spreadsheet would run.
    return f"(%s::jsonb ->> {key})"


def _selection(queryset: QuerySet) -> tuple[str, tuple, str, str, tuple]:
    """The conditions that select the figures of ``queryset``: one on the
    measure and area pairs (``m``, ``a``), one on each figure as a pair's
    figures are read (``f``), one on the figures read, and the parameters of
    the first and of the last.

    The whole table and the published figures, the two large downloads, get
    plain conditions. Any other selection (a filtered download) is a
    semi-join on its own query, once on the pairs, so that a download of one
    area reads that area's figures, not every pair's, and once on the figures
    read: there rather than in each pair's reading, so that PostgreSQL runs
    the selection once, however many figures it holds.
    """
    if not queryset.query.where:
        return "TRUE", (), "TRUE", "TRUE", ()
    if queryset.query.where == Figure.objects.published().query.where:
        return "TRUE", (), f"f.status = {sql_literal(PublicationStatus.PUBLISHED)}", "TRUE", ()
    selection = queryset.order_by()
    pairs, pair_params = selection.values("measure_id", "area_id").query.sql_with_params()
    figures, figure_params = selection.values("pk").query.sql_with_params()
    return (
        f"(m.id, a.id) IN ({pairs})",
        pair_params,
        "TRUE",
        f"f.id IN ({figures})",
        figure_params,
    )


def _figures_in_order(queryset: QuerySet, paths: tuple[str, ...] = ()) -> tuple[str, tuple]:
    """The figures of ``queryset`` in the download's order, with what the
    cells need, and the query's parameters.

    The query walks every measure and area (a few thousand pairs at most) in
    the download's order, with what each pair needs once (names). For each pair it reads the figures
    from the index on (measure, area, ...), so that they arrive grouped in
    order and PostgreSQL sorts each pair's few figures in memory (an
    incremental sort) instead of the whole table on disk.
    """
    figures = Figure._meta.db_table
    measures = Measure._meta.db_table
    areas = Area._meta.db_table
    # The filters (and published-only for the public) come from the queryset
    # itself, so that both paths hold exactly the same figures.
    pair_condition, pair_params, condition, chosen, params = _selection(queryset)
    reads = _Reads(paths)
    # Only table names and our own constants are formatted into the SQL: the
    # user's filters arrive as parameters, through the queryset.
    pairs = (
        "SELECT m.id AS measure_id, a.id AS area_id, mr.rank AS m_rank, ar.rank AS a_rank"  # noqa: S608
        f"{reads.pair_columns}"
        # The order of measures and of areas as small numbers, ties kept as
        # ties: the same order as sorting on the names.
        ' FROM (SELECT id, dense_rank() OVER (ORDER BY "order", name) AS rank'
        f" FROM {measures}) mr"
        f" JOIN {measures} m ON m.id = mr.id"
        f" CROSS JOIN (SELECT id, dense_rank() OVER (ORDER BY name) AS rank FROM {areas}) ar"
        f" JOIN {areas} a ON a.id = ar.id"
        f"{reads.joins}"
        f" WHERE {pair_condition}"
        " ORDER BY mr.rank, ar.rank"
    )
    inner = (
        "SELECT pr.*, f.id, f.period_start AS ps, f.period_end AS pe"  # noqa: S608
        f"{reads.figure_columns}"
        f" FROM ({pairs}) pr"
        # OFFSET 0 keeps the lateral query a query of its own, run once per
        # pair on the index, rather than joined to the whole table.
        f" CROSS JOIN LATERAL (SELECT * FROM {figures} f"
        f" WHERE f.measure_id = pr.measure_id AND f.area_id = pr.area_id AND {condition}"
        " OFFSET 0) f"
        f" WHERE {chosen}"
        " ORDER BY pr.m_rank, pr.a_rank, f.period_end, f.id"
        # OFFSET 0 keeps the inner query a query of its own, sorted before the
        # outer one formats it (and the outer one keeps its order).
        " OFFSET 0"
    )
    return inner, (*pair_params, *params)


# The tables a download column can read from: the figure (read pair by pair)
# and its measure and area (once per pair), and what those point to.
_ROOTS = {(): ("f", Figure), ("measure",): ("m", Measure), ("area",): ("a", Area)}


class _Reads:
    """Where the COPY query finds the values of the columns' ORM paths, each
    under the name ``_alias`` gives it: a figure's field as its figures are
    read, its measure's and area's (joined to what they point to, as the
    paths ask) once per pair."""

    def __init__(self, paths):
        self._tables = {}  # a chain of relations past the roots: (alias, model, join)
        pair, figure = [], []
        for path in paths:
            *chain, name = path.split("__")
            alias, model = self._table(tuple(chain))
            column = f", {alias}.{model._meta.get_field(name).column} AS {_alias(path)}"
            (figure if alias == "f" else pair).append(column)
        self.pair_columns = "".join(pair)
        self.figure_columns = "".join(figure)
        self.joins = "".join(join for _, _, join in self._tables.values())

    def _table(self, chain: tuple[str, ...]):
        if chain in _ROOTS:
            return _ROOTS[chain]
        if chain in self._tables:
            alias, model, _ = self._tables[chain]
            return alias, model
        if chain[0] not in ("measure", "area"):
            raise ValueError(
                "A download column reads the figure, its measure and its area, and what "
                f"those point to: not {'__'.join(chain)}."
            )
        parent_alias, parent = self._table(chain[:-1])
        field = parent._meta.get_field(chain[-1])
        model = field.related_model
        alias = "_".join(chain)
        join = (
            f" LEFT JOIN {model._meta.db_table} {alias}"
            f" ON {alias}.{model._meta.pk.column} = {parent_alias}.{field.column}"
        )
        self._tables[chain] = (alias, model, join)
        return alias, model


def _alias(path: str) -> str:
    return f"c_{path}"


def _cell(column: Column) -> str:
    """The column's CSV cell in SQL, over the inner query's row."""
    if column.sql is None:
        return column.kind.sql(_alias(column.paths[0]))
    named = {path: _alias(path) for path in column.paths}
    named.update(period_label=_period_label())
    return column.kind.sql(column.sql(named))


def figures_select(
    queryset: QuerySet, *, staff: bool = False, columns: Sequence[Column] | None = None
) -> tuple[str, tuple]:
    """The SELECT that gives the figures of ``queryset`` as the download's
    cells (of ``columns``, the upload format's download unless given), in
    the download's order, and its parameters."""
    columns = figure_columns(staff=staff) if columns is None else columns
    inner, params = _figures_in_order(queryset, row_paths(columns))
    cells = ", ".join(_cell(column) for column in columns)
    sql = f"SELECT {cells} FROM ({inner}) AS t"  # noqa: S608
    # The parameters in the statement's order: the period labels (in the
    # columns), then the filters on the pairs and on the figures.
    return sql, (_period_labels(queryset), *params)


@contextmanager
def _cursor_without_jit() -> Iterator:
    """A cursor for the statements built here, with PostgreSQL's JIT
    compilation off until it is closed. The per-pair nested loops make the
    planner's cost estimate large enough to switch JIT on, and compiling then
    takes longer than the query itself (0.9 s of a 1.1 s filtered download at
    a million figures) and gains nothing on the whole table."""
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        try:
            yield cursor
        finally:
            # A broken connection is thrown away by Django anyway; the error
            # that broke it is the one to report.
            with suppress(DatabaseError):
                cursor.execute("RESET jit")


def copy_blocks(sql: str, params: tuple = ()) -> Iterator[bytes]:
    """The CSV that ``COPY (sql) TO STDOUT WITH CSV`` writes, in blocks of
    about ``BLOCK_SIZE`` bytes (PostgreSQL sends it one row at a time)."""
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    # cursor.cursor: the psycopg cursor underneath Django's wrapper.
    with _cursor_without_jit() as cursor, cursor.cursor.copy(statement, params or None) as copy:
        buffer = bytearray()
        for row in copy:
            buffer += row
            if len(buffer) >= BLOCK_SIZE:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)


def figure_csv_blocks(
    queryset: QuerySet, *, staff: bool = False, columns: Sequence[Column] | None = None
) -> Iterator[bytes]:
    sql, params = figures_select(queryset, staff=staff, columns=columns)
    return copy_blocks(sql, params)
