"""Figures as download rows: the PostgreSQL path.

PostgreSQL writes the CSV itself with ``COPY (SELECT ...) TO STDOUT WITH
CSV``, read block by block through psycopg's ``cursor.copy()``: several times
faster than formatting rows in Python, in constant memory. Every column is
formatted in SQL exactly as ``opendata.figures`` formats it in Python (the
tests compare the two files byte for byte), so the rules live in both places:
change one, change the other.
"""

import json
from collections.abc import Iterator

from django.db import connection
from django.db.models import QuerySet

from measures.models import (
    Area,
    BaselineOverride,
    Direction,
    Figure,
    Measure,
    PriorityArea,
    PublicationStatus,
    Unit,
)

from .exports import APOSTROPHE, BLOCK_SIZE, SQL_PLAIN_NUMBER
from .figures import (
    IMPROVING,
    NO_SIGNIFICANT_CHANGE,
    NOT_COMPARABLE,
    NOT_ENOUGH_DATA,
    WORSENING,
)


def _literal(text: str) -> str:
    """A SQL string literal for one of our own constants (never user input)."""
    return "'" + text.replace("'", "''") + "'"


def _text(expression: str) -> str:
    """Escaped text, an empty text as NULL (an empty, unquoted cell): see
    ``exports.escape_cell`` and ``exports.format_text``."""
    return (
        # ascii() is the code of the first character: = + - @ tab CR
        f"CASE WHEN ascii({expression}) IN (61, 43, 45, 64, 9, 13)"
        f" AND {expression} !~ {_literal(SQL_PLAIN_NUMBER)}"
        f" THEN {_literal(APOSTROPHE)} || {expression} ELSE NULLIF({expression}, '') END"
    )


def _decimal(expression: str) -> str:
    # trim_scale drops the trailing zeros, as Decimal.normalize() does.
    return f"trim_scale({expression})::text"


def _date(expression: str) -> str:
    return f"to_char({expression}, 'YYYY-MM-DD')"


def _bool(expression: str) -> str:
    return f"CASE WHEN {expression} THEN 'true' ELSE 'false' END"


def _month_year(expression: str) -> str:
    return f"to_char({expression}, 'FMMonth YYYY')"


def _financial_year() -> str:
    """The financial year the period starts in, from the columns ``sy`` and ``sm``."""
    first = "(sy - CASE WHEN sm >= 4 THEN 0 ELSE 1 END)"
    return f"({first}::text || '/' || lpad(mod({first} + 1, 100)::text, 2, '0'))"


def _period_label() -> str:
    """``measures.periods.period_label`` in SQL, from the period's dates
    (``ps``, ``pe``) and their parts, worked out once in the inner query."""
    return (
        "CASE"
        " WHEN pe < ps OR sd <> 1 OR next_day <> 1 THEN"
        " to_char(ps, 'FMDD FMMonth YYYY') || ' to ' || to_char(pe, 'FMDD FMMonth YYYY')"
        " WHEN months = 12 AND sm = 1 THEN sy::text"
        f" WHEN months = 12 AND sm = 4 THEN {_financial_year()}"
        f" WHEN months = 12 THEN '12 months to ' || {_month_year('pe')}"
        " WHEN months = 3 AND sm IN (1, 4, 7, 10) THEN"
        f" 'Q' || (mod(sm + 8, 12) / 3 + 1)::text || ' ' || {_financial_year()}"
        f" WHEN months = 1 THEN {_month_year('ps')}"
        f" ELSE {_month_year('ps')} || ' to ' || {_month_year('pe')}"
        " END"
    )


def _status() -> str:
    """``figures.change_status`` in SQL, against the baseline figure (``b_*``)."""
    intervals = "(lower IS NOT NULL AND b_lower IS NOT NULL)"
    percentage = f"unit = {_literal(Unit.PERCENTAGE)}"
    scale = f"CASE WHEN {percentage} THEN 1 ELSE 100 END"
    reference = f"CASE WHEN {percentage} THEN 1 ELSE b_value END"
    up = (
        f"CASE WHEN {intervals} THEN lower > b_upper ELSE value > b_value"
        f" AND (value - b_value) * {scale} >= tolerance * {reference} END"
    )
    down = (
        f"CASE WHEN {intervals} THEN upper < b_lower ELSE value < b_value"
        f" AND (b_value - value) * {scale} >= tolerance * {reference} END"
    )
    # Series breaks are rare: ``breaks`` holds the measure and area's break
    # dates, or NULL, so most rows skip the check altogether.
    broken = (
        "(breaks IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(breaks) AS e(day)"
        " WHERE e.day > LEAST(pe, b_end) AND e.day <= GREATEST(pe, b_end)))"
    )
    up_is_better = f"direction = {_literal(Direction.UP)}"
    return (
        "CASE"
        f" WHEN b_id IS NULL THEN {_literal(NOT_ENOUGH_DATA)}"
        f" WHEN {broken} THEN {_literal(NOT_COMPARABLE)}"
        f" WHEN {up} THEN CASE WHEN {up_is_better} THEN {_literal(IMPROVING)}"
        f" ELSE {_literal(WORSENING)} END"
        f" WHEN {down} THEN CASE WHEN {up_is_better} THEN {_literal(WORSENING)}"
        f" ELSE {_literal(IMPROVING)} END"
        f" ELSE {_literal(NO_SIGNIFICANT_CHANGE)}"
        " END"
    )


def _condition(queryset: QuerySet) -> tuple[str, tuple]:
    """The WHERE condition on ``f`` that selects the figures of ``queryset``.

    The whole table and the published figures, the two large downloads, get
    a plain condition; any other selection a semi-join on its own query.
    """
    if not queryset.query.where:
        return "TRUE", ()
    if queryset.query.where == Figure.objects.published().query.where:
        return f"f.status = {_literal(PublicationStatus.PUBLISHED)}", ()
    selection, params = queryset.order_by().values("pk").query.sql_with_params()
    return f"f.id IN ({selection})", params


def figures_select(queryset: QuerySet, *, staff: bool = False) -> tuple[str, tuple]:
    """The SELECT that gives the figures of ``queryset`` as the download's
    cells, in the download's order, and its parameters.

    The inner query joins and sorts the plain columns; the outer one formats
    them, so that PostgreSQL sorts narrow rows and formats each row once.
    """
    figures = Figure._meta.db_table
    published = _literal(PublicationStatus.PUBLISHED)
    units = " ".join(f"WHEN {_literal(v)} THEN {_literal(str(label))}" for v, label in Unit.choices)
    columns = [
        _text("measure_slug"),
        _text("area_slug"),
        _date("ps"),
        _date("pe"),
        _decimal("value"),
        _decimal("lower"),
        _decimal("upper"),
        _bool("provisional"),
        _bool("series_break"),
        _text("note"),
        _text("source_url"),
        _text("measure_name"),
        f"CASE unit {units} ELSE unit END",
        _text("area_name"),
        _period_label(),
        _text("priority_area"),
        _status(),
    ]
    if staff:
        columns.append("status")
    # The filters (and published-only for the public) come from the queryset
    # itself, so that both paths hold exactly the same figures.
    condition, params = _condition(queryset)
    # Only table names and our own constants are formatted into the SQL: the
    # user's filters arrive as parameters, through the queryset.
    inner = (
        "SELECT f.period_start AS ps, f.period_end AS pe, f.value, f.lower, f.upper,"  # noqa: S608
        " f.provisional, f.series_break, f.note, f.source_url, f.status,"
        " m.slug AS measure_slug, m.name AS measure_name, m.unit, m.direction, m.tolerance,"
        " a.slug AS area_slug, a.name AS area_name, p.name AS priority_area,"
        " b.id AS b_id, b.value AS b_value, b.lower AS b_lower, b.upper AS b_upper,"
        " b.period_end AS b_end, k.ends AS breaks,"
        " extract(year FROM f.period_start)::int AS sy,"
        " extract(month FROM f.period_start)::int AS sm,"
        " extract(day FROM f.period_start)::int AS sd,"
        " extract(day FROM f.period_end + 1)::int AS next_day,"
        " ((extract(year FROM f.period_end)::int - extract(year FROM f.period_start)::int) * 12"
        " + extract(month FROM f.period_end)::int - extract(month FROM f.period_start)::int + 1)"
        " AS months"
        f" FROM {figures} f"
        f" JOIN {Measure._meta.db_table} m ON m.id = f.measure_id"
        f" JOIN {Area._meta.db_table} a ON a.id = f.area_id"
        " JOIN measure_rank mr ON mr.id = f.measure_id"
        " JOIN area_rank ar ON ar.id = f.area_id"
        f" LEFT JOIN {PriorityArea._meta.db_table} p ON p.id = m.priority_area_id"
        " LEFT JOIN baselines b ON b.measure_id = f.measure_id AND b.area_id = f.area_id"
        " LEFT JOIN k ON k.measure_id = f.measure_id AND k.area_id = f.area_id"
        f" WHERE {condition}"
        " ORDER BY mr.rank, ar.rank, f.period_end, f.id"
        # OFFSET 0 keeps the inner query a query of its own, sorted before the
        # outer one formats it (and the outer one keeps its order).
        " OFFSET 0"
    )
    sql = (
        # At most one published baseline figure per measure and area, and the
        # dates of the series breaks: both small, whatever the number of figures.
        "WITH baselines AS (SELECT bf.measure_id, bf.area_id, bf.id, bf.value,"  # noqa: S608
        " bf.lower, bf.upper, bf.period_end"
        f" FROM {figures} bf JOIN {Measure._meta.db_table} bm ON bm.id = bf.measure_id"
        f" LEFT JOIN {BaselineOverride._meta.db_table} bo"
        " ON bo.measure_id = bf.measure_id AND bo.area_id = bf.area_id"
        f" WHERE bf.status = {published}"
        " AND bf.period_start = COALESCE(bo.baseline_start, bm.baseline_start)"
        " AND bf.period_end = COALESCE(bo.baseline_end, bm.baseline_end)),"
        # The order of measures and of areas as small numbers, ties kept as
        # ties: the same order as sorting on the names, but the big sort
        # compares integers.
        ' measure_rank AS (SELECT id, dense_rank() OVER (ORDER BY "order", name) AS rank'
        f" FROM {Measure._meta.db_table}),"
        " area_rank AS (SELECT id, dense_rank() OVER (ORDER BY name) AS rank"
        f" FROM {Area._meta.db_table}),"
        " k AS (SELECT measure_id, area_id, array_agg(day) AS ends"
        " FROM jsonb_to_recordset(%s::jsonb) AS x(measure_id bigint, area_id bigint, day date)"
        " GROUP BY measure_id, area_id)"
        f" SELECT {', '.join(columns)} FROM ({inner}) AS t"
    )
    # The breaks' parameter comes first in the statement, the filters' after.
    return sql, (_series_breaks(), *params)


def _series_breaks() -> str:
    """The published series breaks, as JSON records for ``jsonb_to_recordset``.

    There are few (a change of method, now and then), so one small query
    here saves PostgreSQL a pass over every figure.
    """
    breaks = (
        Figure.objects.published()
        .filter(series_break=True)
        .values_list("measure_id", "area_id", "period_end")
    )
    return json.dumps(
        [{"measure_id": m, "area_id": a, "day": day.isoformat()} for m, a, day in breaks]
    )


def copy_blocks(sql: str, params: tuple = ()) -> Iterator[bytes]:
    """The CSV that ``COPY (sql) TO STDOUT WITH CSV`` writes, in blocks of
    about ``BLOCK_SIZE`` bytes (PostgreSQL sends it one row at a time)."""
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    # cursor.cursor: the psycopg cursor underneath Django's wrapper.
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params or None) as copy:
        buffer = bytearray()
        for row in copy:
            buffer += row
            if len(buffer) >= BLOCK_SIZE:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)


def figure_csv_blocks(queryset: QuerySet, *, staff: bool = False) -> Iterator[bytes]:
    sql, params = figures_select(queryset, staff=staff)
    return copy_blocks(sql, params)
