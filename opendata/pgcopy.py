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
from itertools import chain

from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from measures.models import Area, Figure, Measure
from measures.periods import period_label

from .columns import Column, row_paths
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


def _pair_figures(queryset: QuerySet, fields: tuple[str, ...]) -> tuple[str, tuple]:
    """The query that reads the figures of ``queryset`` of one measure and
    area pair (``pr``), with ``fields``, and its parameters.

    It is the queryset's own query, limited to the pair: the download's
    conditions (published only, a status, an area, a period) sit beside the
    pair's in one plain query, so that PostgreSQL reads just the chosen
    figures, from an index that holds the pair and the condition where there
    is one (``figure_published_verdict`` for a status), and both paths select
    the figures by the same SQL. A pair with none of them costs one index
    probe, so every pair is visited, filtered or not.

    Before, a filtered download found its pairs with a semi-join on its query
    and tested each figure read against the query afterwards. A status keeps
    figures in nearly every pair: that read all of every pair's figures,
    probed the selection for each, and ran the selection once more to find
    the pairs, at about a third of the rate of a plain COPY of the same rows
    (docs/performance.md).
    """
    pair = (
        queryset.order_by()
        .filter(measure_id=RawSQL("pr.measure_id", ()), area_id=RawSQL("pr.area_id", ()))
        .values(*fields)
    )
    return pair.query.sql_with_params()


def _figures_in_order(queryset: QuerySet, paths: tuple[str, ...] = ()) -> tuple[str, tuple]:
    """The figures of ``queryset`` in the download's order, with what the
    cells need, and the query's parameters.

    The query walks every measure and area (a few thousand pairs at most) in
    the download's order, with what each pair needs once (names). For each pair it reads the figures
    from an index on (measure, area, ...), so that they arrive grouped in
    order and PostgreSQL sorts each pair's few figures in memory (an
    incremental sort) instead of the whole table on disk.
    """
    measures = Measure._meta.db_table
    areas = Area._meta.db_table
    # The filters (and published-only for the public) come from the queryset
    # itself, so that both paths hold exactly the same figures.
    reads = _Reads(paths)
    figures, params = _pair_figures(
        queryset, tuple(dict.fromkeys(("id", "period_start", "period_end", *reads.figure_fields)))
    )
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
        " ORDER BY mr.rank, ar.rank"
    )
    inner = (
        "SELECT pr.*, f.id, f.period_start AS ps, f.period_end AS pe"  # noqa: S608
        f"{reads.figure_columns}"
        f" FROM ({pairs}) pr"
        # OFFSET 0 keeps the lateral query a query of its own, run once per
        # pair on the index, rather than joined to the whole table.
        f" CROSS JOIN LATERAL ({figures} OFFSET 0) f"
        " ORDER BY pr.m_rank, pr.a_rank, f.period_end, f.id"
        # OFFSET 0 keeps the inner query a query of its own, sorted before the
        # outer one formats it (and the outer one keeps its order).
        " OFFSET 0"
    )
    return inner, params


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
        pair, figure, figure_fields = [], [], []
        for path in paths:
            *chain, name = path.split("__")
            alias, model = self._table(tuple(chain))
            field = model._meta.get_field(name)
            column = f", {alias}.{field.column} AS {_alias(path)}"
            (figure if alias == "f" else pair).append(column)
            if alias == "f":
                figure_fields.append(field.attname)
        # The figure's fields read, for the query that reads a pair's figures.
        self.figure_fields = tuple(figure_fields)
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
    # columns), then the filters, in each pair's reading of its figures.
    return sql, (_period_labels(queryset), *params)


# What the COPY sets for itself, and why.
_COPY_SETTINGS = {
    # The per-pair nested loops make the planner's cost estimate large enough
    # to switch JIT compilation on, and compiling then takes longer than the
    # query itself (0.9 s of a 1.1 s filtered download at a million figures)
    # and gains nothing on the whole table.
    "jit": "off",
    # A date as text is YYYY-MM-DD in the ISO style, whatever the session's
    # own: the cells' dates are written so (opendata.columns.DATE).
    "DateStyle": "ISO",
}
_SET = "SELECT " + ", ".join("set_config(%s, %s, false)" for _ in _COPY_SETTINGS)


@contextmanager
def _copy_cursor() -> Iterator:
    """A cursor for the statements built here, with ``_COPY_SETTINGS`` until
    it is closed, then the session's own settings again."""
    names = list(_COPY_SETTINGS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("current_setting(%s)" for _ in names), names)
        before = cursor.fetchone()
        cursor.execute(_SET, [*chain.from_iterable(_COPY_SETTINGS.items())])
        try:
            yield cursor
        finally:
            # A broken connection is thrown away by Django anyway; the error
            # that broke it is the one to report.
            with suppress(DatabaseError):
                cursor.execute(_SET, [*chain.from_iterable(zip(names, before, strict=True))])


def copy_blocks(sql: str, params: tuple = ()) -> Iterator[bytes]:
    """The CSV that ``COPY (sql) TO STDOUT WITH CSV`` writes, in blocks of
    about ``BLOCK_SIZE`` bytes (PostgreSQL sends it one row at a time)."""
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    # cursor.cursor: the psycopg cursor underneath Django's wrapper.
    with _copy_cursor() as cursor, cursor.cursor.copy(statement, params or None) as copy:
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
