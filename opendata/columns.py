"""Every column of the downloads, declared once.

A column says what it is called, what it holds (for the data package's
schema and for people), which values it is made from (ORM paths), and how
its kind of value is written to CSV, to JSON and in SQL. From these lists
come the figures CSV and JSON (Python path), the PostgreSQL COPY statement's
select list (``opendata.pgcopy``), the ``/data/`` table's columns
(``opendata.tables``), the measures and mapping files, and the data
package's schemas (``opendata.datapackage``).

Adding a column that is a stored field (a figure's, its measure's, area's or
priority area's) is one line here: its SQL is worked out from its ORM path.
A column worked out from other values gives the rule twice, in Python
(``compute``) and in SQL (``sql``), side by side, and the tests hold the two
to the same bytes.
"""

import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from measures.csvformat import FORMULA_STARTS
from measures.models import Direction, MeasureKind, Unit
from measures.periods import period_label
from measures.stats.verdict import ChangeUnit, Method
from measures.status import Status
from plan.models import Strength

from .exports import APOSTROPHE, SQL_PLAIN_NUMBER, format_bool, format_date, format_decimal
from .exports import format_text as format_escaped_text


def sql_literal(text: str) -> str:
    """A SQL string literal for one of our own constants (never user input)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Kind:
    """How one kind of value is written: a CSV cell (a string, or None for an
    empty cell), a JSON value (its JSON text), the same CSV cell in SQL, and
    its type in a Frictionless schema."""

    schema_type: str
    csv: Callable[[Any], str | None]
    json: Callable[[Any], str]
    sql: Callable[[str], str]
    schema: dict = field(default_factory=dict)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_decimal(value: Decimal | None) -> str:
    # Exact: the plain decimal is already a valid JSON number.
    return "null" if value is None else format_decimal(value)


def _json_date(value: datetime.date | None) -> str:
    return "null" if value is None else _json(value.isoformat())


def _sql_text(expression: str) -> str:
    """``exports.format_text`` in SQL: escaped, an empty text as NULL."""
    return (
        # ascii() is the code of the first character
        f"CASE WHEN ascii({expression}) IN ({', '.join(str(ord(c)) for c in FORMULA_STARTS)})"
        f" AND {expression} !~ {sql_literal(SQL_PLAIN_NUMBER)}"
        f" THEN {sql_literal(APOSTROPHE)} || {expression} ELSE NULLIF({expression}, '') END"
    )


# Text people or sources typed: escaped so that no spreadsheet runs it.
TEXT = Kind(
    "string",
    format_escaped_text,
    lambda value: _json(value or None),
    _sql_text,
)
# Our own words (labels, codes, statuses): nothing to escape.
WORDS = Kind("string", lambda value: value, _json, lambda expression: expression)
DECIMAL = Kind(
    "number",
    format_decimal,
    _json_decimal,
    # trim_scale drops the trailing zeros, as Decimal.normalize() does.
    lambda expression: f"trim_scale({expression})::text",
)
INTEGER = Kind("integer", str, _json, lambda expression: f"{expression}::text")
DATE = Kind(
    "date",
    format_date,
    _json_date,
    # YYYY-MM-DD in the ISO date style, which the COPY sets for itself
    # (opendata.pgcopy): half the time of to_char(), four dates a row.
    lambda expression: f"{expression}::text",
)
BOOLEAN = Kind(
    "boolean",
    format_bool,
    _json,
    lambda expression: f"CASE WHEN {expression} THEN 'true' ELSE 'false' END",
    schema={"trueValues": ["true"], "falseValues": ["false"]},
)

# A text cell that began with a formula character starts with an apostrophe
# in the files: the descriptions of such columns say so.
ESCAPED = (
    " A text that would start with =, +, -, @, a tab or a carriage return starts with ' instead."
)


def _enum(values) -> dict:
    return {"constraints": {"enum": [str(v) for v in values]}}


REQUIRED = {"constraints": {"required": True}}


@dataclass(frozen=True)
class Column:
    name: str  # the header in the files
    kind: Kind
    title: str  # the title in the data package, and the page's heading unless ``heading``
    description: str = ""
    # The ORM paths of the values the column is made from; a stored field's
    # path is the column's own name unless given.
    reads: tuple[str, ...] = ()
    # For a column worked out from other values: the rule in Python, given
    # the row (its values by ORM path, as attributes) and the download's
    # context, and the same rule in SQL, given the row's SQL expressions by
    # ORM path.
    compute: Callable[[Any, Any], Any] | None = None
    sql: Callable[[dict[str, str]], str] | None = None
    schema: dict = field(default_factory=dict)
    # The /data/ table
    heading: str = ""
    on_page: bool = True
    order_by: tuple[str, ...] | None = None  # None: by its own value; () not sortable

    @property
    def label(self) -> str:
        """What a person reads above the column: on the page and in the readable files."""
        return self.heading or self.title

    @property
    def paths(self) -> tuple[str, ...]:
        return self.reads or (self.name,)

    def value(self, row, context=None):
        """The column's value for ``row`` (an object with the ORM paths as attributes)."""
        if self.compute is not None:
            return self.compute(row, context)
        return getattr(row, self.paths[0])

    def schema_field(self) -> dict:
        described = {"name": self.name, "type": self.kind.schema_type, "title": self.title}
        if self.description:
            described["description"] = self.description
        return {**described, **self.kind.schema, **self.schema}


UNIT_LABELS = dict(Unit.choices)


def _unit_label_sql(sql: dict[str, str]) -> str:
    cases = " ".join(
        f"WHEN {sql_literal(value)} THEN {sql_literal(str(label))}" for value, label in Unit.choices
    )
    unit = sql["measure__unit"]
    return f"CASE {unit} {cases} ELSE {unit} END"


# The status column's words: the pages' statuses, in lower case.
STATUS_CELLS = {status.value: status.label.lower() for status in Status}


def _status_sql(sql: dict[str, str]) -> str:
    # A lookup of the stored verdict's words, not a rule: the verdict itself
    # is worked out once, in Python, and stored (measures.verdicts).
    verdict = sql["verdict"]
    cases = " ".join(
        f"WHEN {sql_literal(value)} THEN {sql_literal(cell)}"
        for value, cell in STATUS_CELLS.items()
    )
    return f"CASE {verdict} {cases} ELSE {verdict} END"


FIGURE_COLUMNS = (
    # The upload's columns first, so that a download can be uploaded again.
    Column(
        "measure",
        TEXT,
        "Measure",
        "The measure's short name (slug), as in measures.csv.",
        reads=("measure__slug",),
        schema=REQUIRED,
        on_page=False,
    ),
    Column(
        "area",
        TEXT,
        "Area",
        "The area's short name (slug).",
        reads=("area__slug",),
        schema=REQUIRED,
        on_page=False,
    ),
    Column(
        "period_start",
        DATE,
        "Period start",
        "First day of the period the figure covers.",
        on_page=False,
    ),
    Column(
        "period_end", DATE, "Period end", "Last day of the period the figure covers.", on_page=False
    ),
    Column("value", DECIMAL, "Value", "The figure, in the measure's unit."),
    Column("lower", DECIMAL, "Lower bound", "Lower end of the 95% confidence interval."),
    Column("upper", DECIMAL, "Upper bound", "Upper end of the 95% confidence interval."),
    Column("provisional", BOOLEAN, "Provisional", "The source may still change it."),
    Column("series_break", BOOLEAN, "Series break", "Not comparable with earlier periods."),
    Column("note", TEXT, "Note", "Shown beside the figure." + ESCAPED, on_page=False),
    Column("source_url", TEXT, "Source", "Where the figure comes from.", on_page=False),
    # Then what a person reads.
    Column(
        "measure_name",
        TEXT,
        "Measure name",
        ESCAPED.strip(),
        reads=("measure__name",),
        heading="Measure",
        order_by=("measure__order", "measure"),
    ),
    Column(
        "unit",
        WORDS,
        "Unit",
        reads=("measure__unit",),
        compute=lambda row, context: str(UNIT_LABELS.get(row.measure__unit, row.measure__unit)),
        sql=_unit_label_sql,
        schema=_enum(label for _, label in Unit.choices),
        order_by=(),
    ),
    Column("area_name", TEXT, "Area name", ESCAPED.strip(), reads=("area__name",), heading="Area"),
    Column(
        "period_label",
        WORDS,
        "Period",
        "The period in words, e.g. 2023/24.",
        reads=("period_start", "period_end"),
        compute=lambda row, context: period_label(row.period_start, row.period_end),
        # Looked up, not worked out again in SQL: see opendata.pgcopy.
        sql=lambda sql: sql["period_label"],
        order_by=("period_end", "period_start"),
    ),
    Column(
        "priority_area",
        TEXT,
        "National priority area",
        ESCAPED.strip(),
        reads=("measure__priority_area__name",),
    ),
    Column(
        "comparison_start",
        DATE,
        "Comparison period start",
        "First day of the period the figure is compared with (the baseline), where it is.",
        order_by=(),
        on_page=False,
    ),
    Column(
        "comparison_end",
        DATE,
        "Comparison period end",
        "Last day of the period the figure is compared with.",
        order_by=(),
        on_page=False,
    ),
    Column(
        "comparison_value",
        DECIMAL,
        "Comparison value",
        "The published figure it is compared with (the baseline figure).",
        order_by=(),
        on_page=False,
    ),
    Column(
        "change",
        DECIMAL,
        "Change",
        "The change against the comparison, rounded as the pages show it (one decimal place "
        "for a change in %, unless the measure says otherwise); the status was decided on "
        "the unrounded change. Empty where figures are not compared (a series break, a "
        "period of another length).",
        order_by=(),
    ),
    Column(
        "change_unit",
        TEXT,
        "Change unit",
        "% for counts and rates, percentage points for percentages.",
        schema=_enum(ChangeUnit),
        order_by=(),
    ),
    Column(
        "method",
        TEXT,
        "Statistical method",
        "How the status was decided: poisson-exact-test (counts of events), "
        "survey-difference-test (survey estimates with 95% intervals), xmr-control-chart "
        "(Making Data Count rules), fixed-tolerance (a size rule with no test of chance).",
        reads=("verdict_method",),
        schema=_enum(Method),
        order_by=(),
        on_page=False,
    ),
    Column(
        "p_value",
        DECIMAL,
        "p-value",
        "The test's two-sided p-value, to four significant figures, where there is a test.",
        order_by=(),
        on_page=False,
    ),
    Column(
        "status",
        WORDS,
        "Status",
        "The verdict against the comparison by the measure's method: improving, worsening "
        "or no significant change (both the test and the smallest change that matters must "
        "say so); baseline for the baseline figure itself; not comparable across a series "
        "break, for a period of another length, or for overlapping figures on a control "
        "chart; an XmR chart's own verdicts.",
        reads=("verdict",),
        compute=lambda row, context: STATUS_CELLS[row.verdict],
        sql=_status_sql,
        schema=_enum(STATUS_CELLS.values()),
        order_by=(),
    ),
)


def _pick(columns: Sequence[Column], *wanted: str) -> tuple[Column, ...]:
    by_name = {column.name: column for column in columns}
    return tuple(by_name[name] for name in wanted)


# The figures for people (the readable CSV and the workbook): the same
# columns, each with its label as the header ("Measure", "Period start"),
# names first and no slugs, so that a person reads a row from the left.
READABLE_FIGURE_COLUMNS = _pick(
    FIGURE_COLUMNS,
    "measure_name",
    "area_name",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "unit",
    "lower",
    "upper",
    "provisional",
    "series_break",
    "change",
    "change_unit",
    "status",
    "method",
    "p_value",
    "comparison_start",
    "comparison_end",
    "comparison_value",
    "priority_area",
    "note",
    "source_url",
)

# The staff downloads add drafts, and so say which a figure is.
STAFF_FIGURE_COLUMNS = (
    *FIGURE_COLUMNS,
    Column("publication_status", WORDS, "Publication status", reads=("status",), on_page=False),
)


def names(columns: Sequence[Column]) -> tuple[str, ...]:
    return tuple(column.name for column in columns)


def labels(columns: Sequence[Column]) -> tuple[str, ...]:
    return tuple(column.label for column in columns)


def _area_baselines(overrides) -> str:
    """ "humberside: 2019-04-01..2020-03-31; ...", from (area slug, start, end) triples."""
    return "; ".join(
        f"{area}: {start.isoformat()}..{end.isoformat()}" for area, start, end in overrides
    )


MEASURE_COLUMNS = (
    Column("measure", TEXT, "Measure", "Short name (slug).", reads=("slug",), schema=REQUIRED),
    Column("name", TEXT, "Name"),
    Column("kind", WORDS, "Kind", schema=_enum(MeasureKind.values)),
    Column("priority_area", TEXT, "National priority area", reads=("priority_area__name",)),
    Column("definition", TEXT, "Definition"),
    Column("unit", WORDS, "Unit", schema=_enum(Unit.values)),
    Column("decimal_places", INTEGER, "Decimal places shown"),
    Column("direction", WORDS, "Desired direction", schema=_enum(Direction.values)),
    Column("baseline_start", DATE, "Baseline start"),
    Column("baseline_end", DATE, "Baseline end"),
    Column(
        "area_baselines",
        TEXT,
        "Baselines for particular areas",
        "Areas whose figures are compared with another baseline period than the measure's, "
        "each as area: first day..last day (ISO dates), separated by semicolons; empty when "
        "every area uses the measure's baseline.",
        reads=("pk",),
        compute=lambda row, context: _area_baselines(context.get(row.pk, ())),
    ),
    Column(
        "tolerance",
        DECIMAL,
        "Tolerance",
        "Smaller changes count as no significant change: % for counts and rates, "
        "percentage points for percentages.",
    ),
    Column("data_source", TEXT, "Data source", reads=("data_source__name",)),
    Column("data_source_publisher", TEXT, "Publisher", reads=("data_source__publisher",)),
    Column("data_source_url", TEXT, "Data source web address", reads=("data_source__url",)),
    Column(
        "update_frequency",
        WORDS,
        "How often the source is updated",
        reads=("data_source__update_frequency",),
    ),
)

MAPPING_COLUMNS = (
    Column("plan", TEXT, "Plan", "The plan's short name (slug).", reads=("outcome__plan__slug",)),
    Column("plan_title", TEXT, "Plan title", reads=("outcome__plan__title",)),
    Column(
        "local_outcome",
        TEXT,
        "Local outcome",
        "The outcome's short name (slug).",
        reads=("outcome__slug",),
    ),
    Column("local_outcome_title", TEXT, "Local outcome title", reads=("outcome__title",)),
    Column(
        "measure", TEXT, "Measure", "The measure's short name (slug).", reads=("measure__slug",)
    ),
    Column("measure_name", TEXT, "Measure name", reads=("measure__name",)),
    Column(
        "priority_area", TEXT, "National priority area", reads=("measure__priority_area__name",)
    ),
    Column("strength", WORDS, "Strength", schema=_enum(Strength.values)),
    Column("explanation", TEXT, "How the outcome contributes"),
)


# The revisions that official releases made to published figures
# (official.models.FigureChange), one row each: /data/revisions.csv.
REVISION_COLUMNS = (
    Column(
        "release_date",
        DATE,
        "Release date",
        "The day the publisher released the file.",
        reads=("release__release_date",),
    ),
    Column(
        "publisher",
        TEXT,
        "Release",
        "The release's source.",
        reads=("release__source",),
        schema=_enum(["home-office-pfa", "ons-pfa"]),
    ),
    Column("file_name", TEXT, "File", "The released file's name.", reads=("release__file_name",)),
    Column(
        "measure",
        TEXT,
        "Measure",
        "The measure's short name (slug), as in measures.csv.",
        reads=("figure__measure__slug",),
    ),
    Column("area", TEXT, "Area", "The area's short name (slug).", reads=("figure__area__slug",)),
    Column(
        "area_code", TEXT, "ONS code", "The area's ONS code.", reads=("figure__area__ons_code",)
    ),
    Column("period_start", DATE, "Period start", reads=("figure__period_start",)),
    Column("period_end", DATE, "Period end", reads=("figure__period_end",)),
    Column(
        "previous_value",
        DECIMAL,
        "Previous value",
        "The value before the release.",
        reads=("old_value",),
    ),
    Column("value", DECIMAL, "Revised value", "The value the release gave.", reads=("new_value",)),
)


def row_paths(columns: Sequence[Column]) -> tuple[str, ...]:
    """Every ORM path ``columns`` read, each once, in order."""
    return tuple(dict.fromkeys(path for column in columns for path in column.paths))


def csv_cells(columns: Sequence[Column], row, context=None) -> list[str | None]:
    return [column.kind.csv(column.value(row, context)) for column in columns]


# How forces compare (``opendata.comparison``): one row per force for one
# measure and period, the forces not compared included, with why.
POSITIONS = ("above", "within", "below")
# A whole number that may be missing (a force with no figure has no population used).
WHOLE = Kind(
    "integer",
    lambda value: None if value is None else str(value),
    _json,
    lambda expression: f"{expression}::text",
)
COMPARISON_COLUMNS = (
    Column("measure", TEXT, "Measure", "The measure's short name (slug).", schema=REQUIRED),
    Column("period_start", DATE, "Period start", schema=REQUIRED),
    Column("period_end", DATE, "Period end", schema=REQUIRED),
    Column("area", TEXT, "Area", "The force area's short name (slug).", schema=REQUIRED),
    Column("area_name", TEXT, "Area name"),
    Column("value", DECIMAL, "Value", "The published figure, in the measure's unit."),
    Column(
        "population",
        WHOLE,
        "Population",
        "The area's mid-year population estimate used for the rate (count measures).",
    ),
    Column(
        "rate_per",
        WHOLE,
        "Rate per",
        "Rates are per this many people: 1,000, or 100,000 for a rare event.",
    ),
    Column(
        "rate",
        DECIMAL,
        "Rate",
        "For a count measure, the count per ``rate_per`` people; otherwise the figure itself. "
        "To 4 decimal places.",
    ),
    Column("rate_lower", DECIMAL, "Rate: lower end of the 95% confidence interval"),
    Column("rate_upper", DECIMAL, "Rate: upper end of the 95% confidence interval"),
    Column(
        "funnel_95",
        WORDS,
        "Against England and Wales, 95% limits",
        "Above, within or below the funnel plot's 95% limits around the England and Wales "
        "rate (Spiegelhalter 2005, adjusted for over-dispersion when the data call for it).",
        schema=_enum(POSITIONS),
    ),
    Column("funnel_998", WORDS, "Against England and Wales, 99.8% limits", schema=_enum(POSITIONS)),
    Column("england_and_wales_rate", DECIMAL, "England and Wales rate", "Same unit as rate."),
    Column(
        "not_compared",
        WORDS,
        "Why not compared",
        "Empty for a force compared; otherwise the reason (no figure, a series break, no "
        "population).",
    ),
)
