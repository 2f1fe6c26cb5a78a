"""The mapping and the measures catalogue as download rows.

Small tables (tens of rows), so they take the Python path on every database,
with the same cell rules as the figures; their columns are declared in
``opendata.columns``.
"""

from collections import defaultdict
from collections.abc import Iterator

from measures.models import BaselineOverride, Measure
from plan.models import Contribution

from .columns import MAPPING_COLUMNS, MEASURE_COLUMNS, csv_cells, row_paths


def mapping_rows() -> Iterator[list]:
    contributions = Contribution.objects.order_by(
        "-outcome__plan__first_year", "outcome__plan__title", "outcome__order", "measure"
    ).values_list(*row_paths(MAPPING_COLUMNS), named=True)
    for row in contributions.iterator(chunk_size=500):
        yield csv_cells(MAPPING_COLUMNS, row)


def measure_rows() -> Iterator[list]:
    measures = Measure.objects.order_by("order", "name").values_list(
        *row_paths(MEASURE_COLUMNS), named=True
    )
    # Each measure's baselines for particular areas, by measure: one query.
    overrides = defaultdict(list)
    for measure_id, *override in BaselineOverride.objects.order_by(
        "measure", "area__slug"
    ).values_list("measure_id", "area__slug", "baseline_start", "baseline_end"):
        overrides[measure_id].append(tuple(override))
    for row in measures.iterator(chunk_size=500):
        yield csv_cells(MEASURE_COLUMNS, row, overrides)
