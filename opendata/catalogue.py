"""The mapping and the measures catalogue as download rows.

Small tables (tens of rows), so they take the Python path on every database,
with the same cell rules as the figures.
"""

from collections.abc import Iterator

from measures.models import Measure
from plan.models import Contribution

from .exports import format_date, format_decimal, format_text

MAPPING_COLUMNS = (
    "plan",
    "plan_title",
    "local_outcome",
    "local_outcome_title",
    "measure",
    "measure_name",
    "priority_area",
    "strength",
    "explanation",
)

MEASURE_COLUMNS = (
    "measure",
    "name",
    "kind",
    "priority_area",
    "definition",
    "unit",
    "decimal_places",
    "direction",
    "baseline_start",
    "baseline_end",
    "tolerance",
    "data_source",
    "data_source_publisher",
    "data_source_url",
    "update_frequency",
)


def mapping_rows() -> Iterator[list]:
    contributions = Contribution.objects.select_related(
        "outcome__plan", "measure__priority_area"
    ).order_by("-outcome__plan__first_year", "outcome__plan__title", "outcome__order", "measure")
    for c in contributions.iterator(chunk_size=500):
        yield [
            format_text(c.outcome.plan.slug),
            format_text(c.outcome.plan.title),
            format_text(c.outcome.slug),
            format_text(c.outcome.title),
            format_text(c.measure.slug),
            format_text(c.measure.name),
            format_text(c.measure.priority_area.name if c.measure.priority_area else None),
            c.strength,
            format_text(c.explanation),
        ]


def measure_rows() -> Iterator[list]:
    measures = Measure.objects.select_related("priority_area", "data_source").order_by(
        "order", "name"
    )
    for m in measures.iterator(chunk_size=500):
        yield [
            format_text(m.slug),
            format_text(m.name),
            m.kind,
            format_text(m.priority_area.name if m.priority_area else None),
            format_text(m.definition),
            m.unit,
            str(m.decimal_places),
            m.direction,
            format_date(m.baseline_start),
            format_date(m.baseline_end),
            format_decimal(m.tolerance),
            format_text(m.data_source.name),
            format_text(m.data_source.publisher),
            format_text(m.data_source.url),
            m.data_source.update_frequency,
        ]
