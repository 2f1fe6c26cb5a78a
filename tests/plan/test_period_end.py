"""What an edition states of one measure, on plain rows (no database): the
figure for the period ending on the edition's last day, never a later one,
never another in place of a missing one."""

import datetime
from collections import namedtuple
from decimal import Decimal

from measures.models import POINT_FIELDS, Direction, Measure, StatisticalMethod, Unit
from plan.editions import SNAPSHOT_VERSION, at_period_end, readable

Row = namedtuple("Row", POINT_FIELDS, defaults=[None] * len(POINT_FIELDS))

BASELINE = (datetime.date(2018, 7, 1), datetime.date(2019, 6, 30))


def year_to(end: datetime.date, value: int, pk: int) -> Row:
    start = datetime.date(end.year - 1, end.month % 12 + 1, 1)
    if end.month == 12:
        start = datetime.date(end.year, 1, 1)
    return Row(
        id=pk,
        period_start=start,
        period_end=end,
        value=Decimal(value),
        series_break=False,
        provisional=False,
        verdict="not-enough-data",
    )


MEASURE = Measure(
    unit=Unit.COUNT,
    direction=Direction.DOWN,
    method=StatisticalMethod.TOLERANCE,
    tolerance=Decimal(0),
    decimal_places=0,
)
SERIES = [
    year_to(BASELINE[1], 100, 1),
    year_to(datetime.date(2023, 3, 31), 80, 2),
    year_to(datetime.date(2025, 3, 31), 60, 3),
    year_to(datetime.date(2026, 3, 31), 500, 4),  # after the edition's period
]


def state(period_end, comparison_end=None, rows=SERIES):
    return at_period_end(
        MEASURE,
        rows,
        [],
        period_end=period_end,
        comparison_end=comparison_end,
        baseline_period=BASELINE,
    )


def test_the_figure_ending_on_the_period_end_against_the_stated_comparison():
    found = state(datetime.date(2025, 3, 31), datetime.date(2023, 3, 31))
    assert (found.latest.pk, found.comparison.pk) == (3, 2)
    assert found.comparison_label == "12 months to March 2023"
    assert found.change == Decimal("-25.0") and found.status == "improving"


def test_without_a_stated_comparison_the_baseline():
    found = state(datetime.date(2025, 3, 31))
    assert (found.latest.pk, found.comparison.pk) == (3, 1)
    assert found.change == Decimal("-40.0")


def test_a_later_figure_is_never_used_even_when_given():
    found = state(datetime.date(2025, 6, 30), datetime.date(2023, 3, 31))
    assert found.latest is None and found.change is None
    assert found.status == "not-enough-data"
    assert found.sentence.startswith("No figure for the period ending 30 June 2025")


def test_a_missing_comparison_is_said_not_replaced():
    found = state(datetime.date(2025, 3, 31), datetime.date(2024, 3, 31))
    assert found.latest.pk == 3 and found.comparison is None
    assert found.comparison_label == "the period ending 31 March 2024"
    assert "No figure for the period ending 31 March 2024" in found.sentence


def test_a_version_1_snapshot_reads_as_the_current_one():
    measure = {"baseline": {"figure_id": 1}, "baseline_label": "12 months to June 2019"}
    old = {"version": 1, "priorities": [{"name": "P", "measures": [measure]}]}
    (shown,) = readable(old)["priorities"][0]["measures"]
    assert shown["comparison"] == {"figure_id": 1}
    assert shown["comparison_label"] == "12 months to June 2019"
    current = {"version": SNAPSHOT_VERSION, "priorities": []}
    assert readable(current) is current
