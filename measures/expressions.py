"""Database expressions the public pages' queries need, for PostgreSQL and SQLite."""

from django.db.models import BooleanField, Func, IntegerField


class DaysBetween(Func):
    """The whole days from the first date to the second, as an integer.

    Cheaper than subtracting two date fields, which Django turns into an
    interval on PostgreSQL and a Python function call per row on SQLite.
    """

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def __init__(self, start, end):
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite stores dates as text: count the days between their Julian day numbers.
        days = self.copy()
        days.set_source_expressions(
            [Func(date, function="julianday") for date in self.get_source_expressions()]
        )
        return days.as_sql(
            compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra_context
        )


class PairIn(Func):
    """``(first, second) IN ((a, b), (c, d), …)``: a filter on pairs of values.

    PostgreSQL plans a row-value IN as one index probe per pair, where two IN
    lists (every first value with every second) may have it scan every row
    of each first value instead. SQLite gets the same test as ORs of ANDs.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, first, second, pairs):
        super().__init__(first, second)
        self.pairs = [tuple(pair) for pair in pairs]
        if not self.pairs:
            raise ValueError("PairIn needs at least one pair.")

    def _columns_and_params(self, compiler):
        first, second = (compiler.compile(e)[0] for e in self.get_source_expressions())
        return first, second, [value for pair in self.pairs for value in pair]

    def as_sql(self, compiler, connection, **extra_context):
        first, second, params = self._columns_and_params(compiler)
        rows = ", ".join(["(%s, %s)"] * len(self.pairs))
        return f"({first}, {second}) IN ({rows})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        first, second, params = self._columns_and_params(compiler)
        either = " OR ".join([f"({first} = %s AND {second} = %s)"] * len(self.pairs))
        return f"({either})", params
