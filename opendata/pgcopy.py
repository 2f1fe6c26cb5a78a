"""Figures as download rows: the PostgreSQL path.

PostgreSQL writes the CSV itself with ``COPY (SELECT ...) TO STDOUT WITH
CSV``, read block by block through psycopg's ``cursor.copy()``: several times
faster than formatting rows in Python, in constant memory. The select list
comes from the columns of ``opendata.columns``, each written in SQL by its
kind, so that the file is byte for byte the Python path's (the tests compare
the two). The status rule's twin here is tested against ``measures.status``
on figures around every tolerance; period labels come from
``measures.periods`` itself, looked up.
"""

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.db import DatabaseError, connection
from django.db.models import QuerySet

from measures.models import (
    Area,
    BaselineOverride,
    Direction,
    Figure,
    Measure,
    PublicationStatus,
    Unit,
)
from measures.periods import SAME_LENGTH_SLACK, period_label
from measures.status import Status

from .columns import STATUS_CELLS, Column, row_paths, sql_literal
from .exports import BLOCK_SIZE
from .figures import StatusLookup, figure_columns

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


def _status() -> str:
    """``measures.status.figure_status`` in SQL: the figure against the
    baseline figure (``b_*``) of its measure and area."""
    cell = {status: sql_literal(text) for status, text in STATUS_CELLS.items()}
    # The series breaks between the two: rare, so ``breaks`` is the measure
    # and area's break dates or NULL, and most rows skip the check altogether.
    broken = (
        "(breaks IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(breaks) AS e(day)"
        " WHERE e.day > LEAST(pe, b_end) AND e.day <= GREATEST(pe, b_end)))"
    )
    better = (
        f"CASE WHEN direction = {sql_literal(Direction.DOWN)}"
        " THEN value < b_value ELSE value > b_value END"
    )
    # change_against_baseline, rounded half away from zero as quantize() rounds:
    # points for a percentage (and for a count from a baseline of zero), else
    # per cent of the baseline, multiplied before dividing and with 30 decimal
    # places, so that PostgreSQL rounds the same quotient Python does.
    size = (
        f"CASE WHEN unit = {sql_literal(Unit.PERCENTAGE)} OR b_value = 0"
        " THEN round(value - b_value, places)"
        " ELSE round(round((value - b_value) * 100, 30) / b_value, places) END"
    )
    improving_or_worsening = (
        f"CASE WHEN {better} THEN {cell[Status.IMPROVING]} ELSE {cell[Status.WORSENING]} END"
    )
    return (
        "CASE"
        f" WHEN b_id IS NULL THEN {cell[Status.NOT_ENOUGH_DATA]}"
        f" WHEN abs((pe - ps) - b_length) > {SAME_LENGTH_SLACK.days}"
        f" THEN {cell[Status.NOT_COMPARABLE]}"
        f" WHEN {broken} THEN {cell[Status.NOT_COMPARABLE]}"
        # Both survey estimates: a change counts when the intervals do not overlap.
        " WHEN lower IS NOT NULL AND upper IS NOT NULL"
        " AND b_lower IS NOT NULL AND b_upper IS NOT NULL THEN"
        " CASE WHEN lower <= b_upper AND b_lower <= upper"
        f" THEN {cell[Status.NO_CHANGE]} ELSE {improving_or_worsening} END"
        f" WHEN abs({size}) <= tolerance THEN {cell[Status.NO_CHANGE]}"
        f" ELSE {improving_or_worsening}"
        " END"
    )


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
    cells and the status need, and the query's parameters.

    The query walks every measure and area (a few thousand pairs at most) in
    the download's order, with what each pair needs once: names, rules, its
    baseline figure and series breaks. For each pair it reads the figures
    from the index on (measure, area, ...), so that they arrive grouped in
    order and PostgreSQL sorts each pair's few figures in memory (an
    incremental sort) instead of the whole table on disk.
    """
    figures = Figure._meta.db_table
    measures = Measure._meta.db_table
    areas = Area._meta.db_table
    published = sql_literal(PublicationStatus.PUBLISHED)
    # The filters (and published-only for the public) come from the queryset
    # itself, so that both paths hold exactly the same figures.
    pair_condition, pair_params, condition, chosen, params = _selection(queryset)
    reads = _Reads(paths)
    # Only table names and our own constants are formatted into the SQL: the
    # user's filters arrive as parameters, through the queryset.
    pairs = (
        "SELECT m.id AS measure_id, a.id AS area_id, mr.rank AS m_rank, ar.rank AS a_rank,"  # noqa: S608
        # What the status rule reads of the measure.
        " m.unit, m.direction, m.tolerance, m.decimal_places AS places,"
        " b.id AS b_id, b.value AS b_value, b.lower AS b_lower, b.upper AS b_upper,"
        " b.period_end AS b_end, b.period_end - b.period_start AS b_length, k.ends AS breaks"
        f"{reads.pair_columns}"
        # The order of measures and of areas as small numbers, ties kept as
        # ties: the same order as sorting on the names.
        ' FROM (SELECT id, dense_rank() OVER (ORDER BY "order", name) AS rank'
        f" FROM {measures}) mr"
        f" JOIN {measures} m ON m.id = mr.id"
        f" CROSS JOIN (SELECT id, dense_rank() OVER (ORDER BY name) AS rank FROM {areas}) ar"
        f" JOIN {areas} a ON a.id = ar.id"
        f"{reads.joins}"
        f" LEFT JOIN {BaselineOverride._meta.db_table} bo"
        " ON bo.measure_id = m.id AND bo.area_id = a.id"
        # At most one published baseline figure per pair, found on the index.
        f" LEFT JOIN LATERAL (SELECT bf.* FROM {figures} bf"
        " WHERE bf.measure_id = m.id AND bf.area_id = a.id"
        f" AND bf.status = {published}"
        " AND bf.period_start = COALESCE(bo.baseline_start, m.baseline_start)"
        " AND bf.period_end = COALESCE(bo.baseline_end, m.baseline_end) OFFSET 0) b ON TRUE"
        " LEFT JOIN breaks k ON k.measure_id = m.id AND k.area_id = a.id"
        f" WHERE {pair_condition}"
        " ORDER BY mr.rank, ar.rank"
    )
    inner = (
        "SELECT pr.*, f.id, f.period_start AS ps, f.period_end AS pe, f.value, f.lower,"  # noqa: S608
        f" f.upper{reads.figure_columns}"
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


def _with_breaks(select: str) -> str:
    # The dates of the series breaks, few whatever the number of figures: the
    # statement's first parameter.
    return (
        "WITH breaks AS (SELECT measure_id, area_id, array_agg(day) AS ends"  # noqa: S608
        " FROM jsonb_to_recordset(%s::jsonb) AS x(measure_id bigint, area_id bigint, day date)"
        f" GROUP BY measure_id, area_id) {select}"
    )


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
    named.update(status=_status(), period_label=_period_label())
    return column.kind.sql(column.sql(named))


def figures_select(queryset: QuerySet, *, staff: bool = False) -> tuple[str, tuple]:
    """The SELECT that gives the figures of ``queryset`` as the download's
    cells, in the download's order, and its parameters."""
    columns = figure_columns(staff=staff)
    inner, params = _figures_in_order(queryset, row_paths(columns))
    cells = ", ".join(_cell(column) for column in columns)
    sql = _with_breaks(f"SELECT {cells} FROM ({inner}) AS t")  # noqa: S608
    # The parameters in the statement's order: the breaks, the period labels
    # (in the columns), then the filters on the pairs and on the figures.
    return sql, (_series_breaks(), _period_labels(queryset), *params)


def with_status_select(queryset: QuerySet, status: Status) -> tuple[str, tuple]:
    """The SELECT of the ids of the figures of ``queryset`` whose status
    against the baseline is ``status``, by the same rule as the download's
    status column."""
    inner, params = _figures_in_order(queryset)
    sql = _with_breaks(f"SELECT id FROM ({inner}) AS t WHERE {_status()} = %s")  # noqa: S608
    return sql, (_series_breaks(), *params, STATUS_CELLS[status])


def _series_breaks() -> str:
    """The series breaks the status compares across, as JSON records for
    ``jsonb_to_recordset``: there are few (a change of method, now and then),
    so a small query here saves PostgreSQL a pass over every figure."""
    lookup = StatusLookup()
    lookup.load_periods()
    return json.dumps(
        [
            {"measure_id": m, "area_id": a, "day": day.isoformat()}
            for (m, a), days in lookup.load_breaks().items()
            for day in days
        ]
    )


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


def ids_with_status(queryset: QuerySet, status: Status) -> list[int]:
    """The ids of the figures of ``queryset`` whose status is ``status``."""
    with _cursor_without_jit() as cursor:
        cursor.execute(*with_status_select(queryset, status))
        return [pk for (pk,) in cursor.fetchall()]


def figure_csv_blocks(queryset: QuerySet, *, staff: bool = False) -> Iterator[bytes]:
    sql, params = figures_select(queryset, staff=staff)
    return copy_blocks(sql, params)
