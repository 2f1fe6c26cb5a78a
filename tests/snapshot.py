"""A fixture's rows, written by its loader once per test process and copied
back directly after that.

Loading the demo through its services (figures with their history, verdicts
worked out) takes seconds, and hundreds of tests start from it. The first time
a loader runs, every table is read before and after, and the difference (rows
added, changed or removed) is kept; a later test whose database is as it was
before that first load, in every table the loader read or wrote, gets the same
difference written straight back, in a few statements, inside its own
transaction. A database in any other state (a test made rows of its own in one
of those tables first) runs the loader itself, so no test sees anything other
than what the loader would have made.

Datetimes the loader wrote (publication, history, the data version) move on by
the time since it finished, so that a copied demo was "just loaded".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

Rows = dict[Any, tuple]


@dataclass
class Table:
    model: type
    name: str
    columns: list[str]
    key: int  # the primary key's place among the columns
    moments: tuple[int, ...] = ()  # the datetime columns' places

    def sql(self, statement: str) -> str:
        """``statement`` with the quoted table, columns, key and placeholders."""
        quote = connection.ops.quote_name
        columns = list(map(quote, self.columns))
        return statement.format(
            table=quote(self.name),
            columns=", ".join(columns),
            key=columns[self.key],
            marks=", ".join(["%s"] * len(columns)),
            assignments=", ".join(f"{c} = %s" for c in columns),
        )

    def read(self) -> Rows:
        with connection.cursor() as cursor:
            cursor.execute(self.sql("SELECT {columns} FROM {table}"))
            return {row[self.key]: tuple(row) for row in cursor.fetchall()}

    def points_to(self, rows: list[tuple]) -> set[str]:
        """The tables that ``rows`` point to (with a key, not null)."""
        return {
            field.related_model._meta.db_table
            for place, field in enumerate(self.model._meta.concrete_fields)
            if field.is_relation and any(row[place] is not None for row in rows)
        }


def tables() -> list[Table]:
    found = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in found:
            continue
        fields = meta.concrete_fields
        columns = [f.column for f in fields]
        moments = tuple(
            place for place, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"
        )
        found[meta.db_table] = Table(
            model, meta.db_table, columns, columns.index(meta.pk.column), moments
        )
    return list(found.values())


def read_all(only=None) -> dict[str, Rows]:
    """Every table's rows, or those of the tables named in ``only``."""
    return {t.name: t.read() for t in tables() if only is None or t.name in only}


@dataclass
class _Shift:
    """Moves the datetimes written at or after ``since`` on by ``by``."""

    since: datetime.datetime
    by: datetime.timedelta

    def value(self, value):
        if not isinstance(value, datetime.datetime):
            return value
        since = self.since
        if timezone.is_naive(value):  # SQLite's, in UTC
            since = timezone.make_naive(since, datetime.UTC)
        return value + self.by if value >= since else value

    def rows(self, table: Table, rows: list[tuple]) -> list[tuple]:
        """``rows`` of ``table`` with their datetimes moved on (only the
        datetime columns are looked at: a demo's copy is thousands of rows)."""
        if not table.moments:
            return rows
        shifted = []
        for row in rows:
            row = list(row)
            for place in table.moments:
                row[place] = self.value(row[place])
            shifted.append(tuple(row))
        return shifted


@dataclass
class Difference:
    before: dict[str, Rows]
    started: datetime.datetime
    finished: datetime.datetime
    result: Any = None
    added: dict[str, list[tuple]] = field(default_factory=dict)
    changed: dict[str, list[tuple]] = field(default_factory=dict)
    removed: dict[str, list[Any]] = field(default_factory=dict)

    def record(self, after: dict[str, Rows]) -> None:
        for name, rows in after.items():
            old = self.before[name]
            self.added[name] = [row for key, row in rows.items() if key not in old]
            self.changed[name] = [r for k, r in rows.items() if k in old and old[k] != r]
            self.removed[name] = [key for key in old if key not in rows]

    def depends_on(self, queries) -> set[str]:
        """The tables the loader read or wrote, and those its new rows point to."""
        sql = "\n".join(query["sql"] for query in queries)
        used = {n for n in self.before if connection.ops.quote_name(n) in sql or f" {n} " in sql}
        for table in tables():
            used |= table.points_to(self.added[table.name] + self.changed[table.name])
        return used

    def replay(self) -> None:
        # On by the time since the loader finished, not since it started: a
        # copied row is then never later than now, and a row a test writes
        # next is the newest (a history's latest entry is the test's own).
        self.write(_Shift(self.started, timezone.now() - self.finished))

    def write(self, shift: _Shift | None = None) -> None:
        """The rows removed, changed and added, their datetimes moved on by
        ``shift`` if one is given."""
        inserted = []
        # One transaction, so that the rows' keys are checked once all are in.
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables():
                removed = [(key,) for key in self.removed[table.name]]
                changed, added = self.changed[table.name], self.added[table.name]
                if shift is not None:
                    changed, added = shift.rows(table, changed), shift.rows(table, added)
                changed = [(*row, row[table.key]) for row in changed]
                for statement, rows in (
                    ("DELETE FROM {table} WHERE {key} = %s", removed),
                    ("UPDATE {table} SET {assignments} WHERE {key} = %s", changed),
                ):
                    if rows:
                        cursor.executemany(table.sql(statement), rows)
                if added:
                    insert(cursor, table, added)
                    inserted.append(table.model)
            # PostgreSQL's sequences do not see rows inserted with their keys.
            for statement in connection.ops.sequence_reset_sql(no_style(), inserted):
                cursor.execute(statement)


def insert(cursor, table: Table, rows: list[tuple]) -> None:
    """``rows`` into ``table``: by COPY on PostgreSQL, where it took a sixth
    of the time of an INSERT a row (the demo's 516 figures: 30 ms against
    200), else an INSERT a row."""
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(table.sql("COPY {table} ({columns}) FROM STDIN")) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(table.sql("INSERT INTO {table} ({columns}) VALUES ({marks})"), rows)


def put_back(before: dict[str, Rows]) -> None:
    """Every table as it was when ``before`` was read (``read_all()``): the
    difference from now back to then, written. For a fixture that commits rows
    for more than one test: the tests after it find the database as it was,
    whichever they are."""
    now = timezone.now()
    undo = Difference(read_all(), now, now)
    undo.record(before)
    undo.write()


_recorded: dict[str, Difference] = {}


def load_once(name: str, loader: Callable[[], Any]) -> Any:
    """``loader()``'s result, and its rows in the database: written by the
    loader the first time, copied when the database is as it was then."""
    difference = _recorded.get(name)
    if difference is not None and read_all(difference.before) == difference.before:
        difference.replay()
        return difference.result
    before, started = read_all(), timezone.now()
    with CaptureQueriesContext(connection) as queries:
        result = loader()
    if difference is None:
        difference = Difference(before, started, timezone.now(), result)
        difference.record(read_all())
        difference.before = {n: before[n] for n in difference.depends_on(queries)}
        _recorded[name] = difference
    return result
