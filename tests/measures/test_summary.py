"""The figures a summary reads: published ones, of periods as long as the
baseline that applies to each measure in each area."""

import datetime

import pytest

from measures.models import Figure, Measure, PublicationStatus
from measures.summary import latest_all, summarise_all
from tests.factories import AreaFactory, BaselineOverrideFactory, FigureFactory, MeasureFactory

pytestmark = pytest.mark.django_db

YEAR = (datetime.date(2018, 7, 1), datetime.date(2019, 6, 30))  # the default baseline
LATER_YEAR = (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
LEAP_YEAR = (datetime.date(2019, 7, 1), datetime.date(2020, 6, 30))  # 366 days
QUARTER = (datetime.date(2019, 4, 1), datetime.date(2019, 6, 30))
LATER_QUARTER = (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
MONTH = (datetime.date(2024, 3, 1), datetime.date(2024, 3, 31))


def figure(measure, area, period, **kwargs):
    return FigureFactory(
        measure=measure, area=area, period_start=period[0], period_end=period[1], **kwargs
    )


def periods(figures, measure, area):
    return [
        (f.period_start, f.period_end)
        for f in figures
        if f.measure_id == measure.pk and f.area_id == area.pk
    ]


@pytest.fixture
def every_length():
    """Two measures in two areas, each with a year, a leap year, a quarter and a month."""
    measures = [MeasureFactory(), MeasureFactory()]
    areas = [AreaFactory(), AreaFactory()]
    for measure in measures:
        for area in areas:
            for period in (LATER_YEAR, YEAR, LEAP_YEAR, QUARTER, LATER_QUARTER, MONTH):
                figure(measure, area, period)
    return measures, areas


def test_only_periods_as_long_as_the_baseline_oldest_first(every_length):
    measures, areas = every_length
    found = list(Figure.objects.comparable(Measure.objects.with_details(), areas))
    for measure in measures:
        for area in areas:
            assert periods(found, measure, area) == [YEAR, LEAP_YEAR, LATER_YEAR]


def test_an_override_of_another_length_applies_to_its_area_only(every_length):
    measures, areas = every_length
    BaselineOverrideFactory(
        measure=measures[0], area=areas[1], baseline_start=QUARTER[0], baseline_end=QUARTER[1]
    )
    found = list(Figure.objects.comparable(Measure.objects.with_details(), areas))
    assert periods(found, measures[0], areas[1]) == [QUARTER, LATER_QUARTER]
    assert periods(found, measures[0], areas[0]) == [YEAR, LEAP_YEAR, LATER_YEAR]
    assert periods(found, measures[1], areas[1]) == [YEAR, LEAP_YEAR, LATER_YEAR]


def test_an_override_of_the_same_length_changes_nothing_read(every_length):
    measures, areas = every_length
    BaselineOverrideFactory(measure=measures[0], area=areas[1])  # 12 months to March 2020
    found = list(Figure.objects.comparable(Measure.objects.with_details(), areas))
    assert periods(found, measures[0], areas[1]) == [YEAR, LEAP_YEAR, LATER_YEAR]


def test_drafts_and_other_measures_and_areas_are_left_out(every_length):
    measures, areas = every_length
    figure(measures[0], areas[0], (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
           status=PublicationStatus.DRAFT)  # fmt: skip
    figure(MeasureFactory(), areas[0], YEAR)
    figure(measures[0], AreaFactory(), YEAR)
    found = list(
        Figure.objects.comparable(
            Measure.objects.with_details().filter(pk=measures[0].pk), areas[:1]
        )
    )
    assert periods(found, measures[0], areas[0]) == [YEAR, LEAP_YEAR, LATER_YEAR]
    assert len(found) == 3


def test_no_measures_or_no_areas_read_nothing(every_length):
    _, areas = every_length
    assert list(Figure.objects.comparable([], areas)) == []
    assert list(Figure.objects.comparable(Measure.objects.with_details(), [None])) == []


def test_a_summary_compares_with_its_areas_own_baseline(every_length):
    measures, areas = every_length
    BaselineOverrideFactory(
        measure=measures[0], area=areas[1], baseline_start=QUARTER[0], baseline_end=QUARTER[1]
    )
    summaries = summarise_all(Measure.objects.with_details(), areas[1], areas[0])
    summary = summaries[measures[0].pk]
    assert (summary.baseline.period_start, summary.baseline.period_end) == QUARTER
    assert (summary.latest.period_start, summary.latest.period_end) == LATER_QUARTER
    # England and Wales, here areas[0], keeps the measure's own 12-month baseline.
    assert [(p.period_start, p.period_end) for p in summary.national] == [
        YEAR,
        LEAP_YEAR,
        LATER_YEAR,
    ]


def test_the_latest_alone_is_the_summarys_latest(every_length):
    """A force's page reads each measure's latest figure alone
    (``latest_all``): the same figure, status and change as the whole
    summary's, with an area's own baseline length, drafts left out and a
    measure with no figure."""
    measures, areas = every_length
    BaselineOverrideFactory(
        measure=measures[0], area=areas[1], baseline_start=QUARTER[0], baseline_end=QUARTER[1]
    )
    figure(measures[1], areas[1], (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
           status=PublicationStatus.DRAFT)  # fmt: skip
    calendar_2024 = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    figure(measures[1], areas[1], calendar_2024)
    empty = MeasureFactory()
    chosen = Measure.objects.with_details()
    for area in areas:
        whole = summarise_all(chosen, area, targets=False)
        alone = latest_all(chosen, area)
        assert alone.keys() == whole.keys() >= {*(m.pk for m in measures), empty.pk}
        for pk, summary in whole.items():
            latest = alone[pk].latest
            if summary.latest is None:
                assert latest is None
            else:
                shown = (summary.latest.pk, summary.latest.display, summary.latest.label)
                assert (latest.pk, latest.display, latest.label) == shown
            assert alone[pk].status == summary.status
            assert alone[pk].change_display == summary.change_display
    latest = latest_all(chosen, areas[1])
    assert (
        latest[measures[0].pk].latest.period_start,
        latest[measures[0].pk].latest.period_end,
    ) == LATER_QUARTER
    assert latest[measures[1].pk].latest.period_end == calendar_2024[1]
    assert latest[empty.pk].latest is None
