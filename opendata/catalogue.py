"""The mapping, the measures catalogue and the official revisions as download rows.

Small tables (tens of rows), so they take the Python path on every database,
with the same cell rules as the figures; their columns are declared in
``opendata.columns``.
"""

from collections import defaultdict
from collections.abc import Iterator

from measures.models import BaselineOverride, Measure, PublicationStatus
from official.models import ChangeKind, FigureChange
from plan.models import Contribution

from .columns import MAPPING_COLUMNS, MEASURE_COLUMNS, REVISION_COLUMNS, csv_cells, row_paths


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


def revision_rows() -> Iterator[list]:
    """Every revision an official release made to a figure that is published."""
    revisions = (
        FigureChange.objects.filter(
            kind=ChangeKind.REVISED, figure__status=PublicationStatus.PUBLISHED
        )
        .order_by(
            "-release__release_date",
            "-release_id",
            "figure__measure__order",
            "figure__measure__name",
            "figure__area__name",
            "figure__period_end",
        )
        .values_list(*row_paths(REVISION_COLUMNS), named=True)
    )
    for row in revisions.iterator(chunk_size=2000):
        yield csv_cells(REVISION_COLUMNS, row)
