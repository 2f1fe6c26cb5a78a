"""Figures as download rows: the PostgreSQL path.

PostgreSQL writes the CSV itself with ``COPY (SELECT ...) TO STDOUT WITH
CSV``, read block by block through psycopg's ``cursor.copy()``: several times
faster than formatting rows in Python, in constant memory. Every column is
formatted in SQL exactly as ``opendata.figures`` formats it in Python (the
tests compare the two files byte for byte), so the rules live in both places:
change one, change the other.
"""

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

from .exports import SQL_PLAIN_NUMBER
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
    value = f"NULLIF({expression}, '')"
    return (
        f"CASE WHEN left({value}, 1) IN ('=', '+', '-', '@', chr(9), chr(13))"
        f" AND {value} !~ {_literal(SQL_PLAIN_NUMBER)}"
        f" THEN '''' || {value} ELSE {value} END"
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


def _financial_year(day: str) -> str:
    first = (
        f"(extract(year FROM {day})::int"
        f" - CASE WHEN extract(month FROM {day}) >= 4 THEN 0 ELSE 1 END)"
    )
    return f"({first}::text || '/' || lpad(mod({first} + 1, 100)::text, 2, '0'))"


def _period_label(start: str, end: str) -> str:
    """``measures.periods.period_label`` in SQL."""
    whole = f"(extract(day FROM {start}) = 1 AND extract(day FROM {end} + 1) = 1)"
    months = (
        f"((extract(year FROM {end}) - extract(year FROM {start})) * 12"
        f" + extract(month FROM {end}) - extract(month FROM {start}) + 1)"
    )
    start_month = f"extract(month FROM {start})"
    return (
        "CASE"
        f" WHEN {end} < {start} OR NOT {whole} THEN"
        f" to_char({start}, 'FMDD FMMonth YYYY') || ' to ' || to_char({end}, 'FMDD FMMonth YYYY')"
        f" WHEN {months} = 12 AND {start_month} = 1 THEN extract(year FROM {start})::int::text"
        f" WHEN {months} = 12 AND {start_month} = 4 THEN {_financial_year(start)}"
        f" WHEN {months} = 12 THEN '12 months to ' || {_month_year(end)}"
        f" WHEN {months} = 3 AND {start_month} IN (1, 4, 7, 10) THEN"
        f" 'Q' || (mod({start_month}::int + 8, 12) / 3 + 1)::text"
        f" || ' ' || {_financial_year(start)}"
        f" WHEN {months} = 1 THEN {_month_year(start)}"
        f" ELSE {_month_year(start)} || ' to ' || {_month_year(end)}"
        " END"
    )


def _status() -> str:
    """``figures.change_status`` in SQL, against the baseline figure ``b``."""
    intervals = "(f.lower IS NOT NULL AND b.lower IS NOT NULL)"
    percentage = f"m.unit = {_literal(Unit.PERCENTAGE)}"
    scale = f"CASE WHEN {percentage} THEN 1 ELSE 100 END"
    reference = f"CASE WHEN {percentage} THEN 1 ELSE b.value END"
    up = (
        f"CASE WHEN {intervals} THEN f.lower > b.upper ELSE f.value > b.value"
        f" AND (f.value - b.value) * {scale} >= m.tolerance * {reference} END"
    )
    down = (
        f"CASE WHEN {intervals} THEN f.upper < b.lower ELSE f.value < b.value"
        f" AND (b.value - f.value) * {scale} >= m.tolerance * {reference} END"
    )
    # Table names and our own constants only: the user's filters arrive as
    # parameters, through the queryset.
    # Series breaks are rare: ``k`` holds each measure and area's break dates
    # (see figures_select), so most rows skip the check altogether.
    broken = (
        "(k.ends IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(k.ends) AS e(day)"
        " WHERE e.day > LEAST(f.period_end, b.period_end)"
        " AND e.day <= GREATEST(f.period_end, b.period_end)))"
    )
    up_is_better = f"m.direction = {_literal(Direction.UP)}"
    return (
        "CASE"
        f" WHEN b.id IS NULL THEN {_literal(NOT_ENOUGH_DATA)}"
        f" WHEN {broken} THEN {_literal(NOT_COMPARABLE)}"
        f" WHEN {up} THEN CASE WHEN {up_is_better} THEN {_literal(IMPROVING)}"
        f" ELSE {_literal(WORSENING)} END"
        f" WHEN {down} THEN CASE WHEN {up_is_better} THEN {_literal(WORSENING)}"
        f" ELSE {_literal(IMPROVING)} END"
        f" ELSE {_literal(NO_SIGNIFICANT_CHANGE)}"
        " END"
    )


def figures_select(queryset: QuerySet, *, staff: bool = False) -> tuple[str, tuple]:
    """The SELECT that gives the figures of ``queryset`` as the download's
    cells, in the download's order, and its parameters."""
    figures = Figure._meta.db_table
    units = " ".join(f"WHEN {_literal(v)} THEN {_literal(str(label))}" for v, label in Unit.choices)
    columns = [
        _text("m.slug"),
        _text("a.slug"),
        _date("f.period_start"),
        _date("f.period_end"),
        _decimal("f.value"),
        _decimal("f.lower"),
        _decimal("f.upper"),
        _bool("f.provisional"),
        _bool("f.series_break"),
        _text("f.note"),
        _text("f.source_url"),
        _text("m.name"),
        f"CASE m.unit {units} ELSE m.unit END",
        _text("a.name"),
        _period_label("f.period_start", "f.period_end"),
        _text("p.name"),
        _status(),
    ]
    if staff:
        columns.append("f.status")
    # The filters (and published-only for the public) come from the queryset
    # itself, so that both paths hold exactly the same figures.
    selection, params = queryset.order_by().values("pk").query.sql_with_params()
    sql = (
        f"WITH k AS (SELECT measure_id, area_id, array_agg(period_end) AS ends"  # noqa: S608
        f" FROM {figures} WHERE series_break"
        f" AND status = {_literal(PublicationStatus.PUBLISHED)} GROUP BY measure_id, area_id)"
        f" SELECT {', '.join(columns)}"
        f" FROM {figures} f"
        f" JOIN {Measure._meta.db_table} m ON m.id = f.measure_id"
        f" JOIN {Area._meta.db_table} a ON a.id = f.area_id"
        f" LEFT JOIN {PriorityArea._meta.db_table} p ON p.id = m.priority_area_id"
        f" LEFT JOIN {BaselineOverride._meta.db_table} o"
        " ON o.measure_id = f.measure_id AND o.area_id = f.area_id"
        f" LEFT JOIN {figures} b ON b.measure_id = f.measure_id AND b.area_id = f.area_id"
        f" AND b.status = {_literal(PublicationStatus.PUBLISHED)}"
        " AND b.period_start = COALESCE(o.baseline_start, m.baseline_start)"
        " AND b.period_end = COALESCE(o.baseline_end, m.baseline_end)"
        " LEFT JOIN k ON k.measure_id = f.measure_id AND k.area_id = f.area_id"
        f" WHERE f.id IN ({selection})"
        ' ORDER BY m."order", m.name, a.name, f.period_end, f.id'
    )
    return sql, params


def copy_blocks(sql: str, params: tuple = ()) -> Iterator[bytes]:
    """The CSV that ``COPY (sql) TO STDOUT WITH CSV`` writes, block by block."""
    with connection.cursor() as cursor:
        # The psycopg cursor underneath Django's wrapper.
        raw = cursor.cursor
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params or None) as copy:
            for block in copy:
                yield bytes(block)


def figure_csv_blocks(queryset: QuerySet, *, staff: bool = False) -> Iterator[bytes]:
    sql, params = figures_select(queryset, staff=staff)
    return copy_blocks(sql, params)
