import datetime

import pytest

from measures.periods import (
    entry_periods,
    financial_year,
    period_label,
    same_length,
    whole_months,
    within_range,
)

d = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (d(2024, 1, 1), d(2024, 12, 31), "12 months to December 2024"),
        (d(2023, 4, 1), d(2024, 3, 31), "12 months to March 2024"),
        (d(1999, 4, 1), d(2000, 3, 31), "12 months to March 2000"),
        (d(2024, 7, 1), d(2024, 9, 30), "Q2 2024/25"),  # July to September
        (d(2023, 7, 1), d(2024, 6, 30), "12 months to June 2024"),
        (d(2024, 4, 1), d(2024, 6, 30), "Q1 2024/25"),
        (d(2024, 10, 1), d(2024, 12, 31), "Q3 2024/25"),
        (d(2025, 1, 1), d(2025, 3, 31), "Q4 2024/25"),
        (d(2024, 3, 1), d(2024, 3, 31), "March 2024"),
        (d(2024, 2, 1), d(2024, 2, 29), "February 2024"),
        (d(2023, 4, 1), d(2024, 9, 30), "April 2023 to September 2024"),
        (d(2024, 2, 1), d(2024, 4, 30), "February 2024 to April 2024"),
        # Three months that are not a financial quarter.
        (d(2024, 8, 1), d(2024, 10, 31), "August 2024 to October 2024"),
        (d(2024, 3, 1), d(2024, 5, 31), "March 2024 to May 2024"),
        (d(2023, 4, 2), d(2024, 3, 31), "2 April 2023 to 31 March 2024"),
    ],
)
def test_period_label(start, end, label):
    assert period_label(start, end) == label


def test_a_label_depends_on_the_figure_s_own_dates_only():
    """A financial year inside a rolling series and on its own reads the same."""
    year = (d(2023, 4, 1), d(2024, 3, 31))
    alone = period_label(*year)
    rolling = [period_label(*p) for p in [(d(2023, 1, 1), d(2023, 12, 31)), year]]
    assert rolling == ["12 months to December 2023", alone]
    assert alone == "12 months to March 2024"


def test_whole_months():
    assert whole_months(d(2024, 1, 1), d(2024, 1, 31)) == 1
    assert whole_months(d(2023, 7, 1), d(2024, 6, 30)) == 12
    assert whole_months(d(2023, 7, 2), d(2024, 6, 30)) is None
    assert whole_months(d(2024, 6, 30), d(2024, 6, 1)) is None
    # Month bounds the wrong way round: no months, not zero or fewer.
    assert whole_months(d(2024, 6, 1), d(2024, 5, 31)) is None
    assert whole_months(d(2024, 7, 1), d(2024, 5, 31)) is None


def test_periods_as_long_as_the_baseline():
    january = (d(2023, 1, 1), d(2023, 1, 31))
    assert same_length((d(2023, 2, 1), d(2023, 2, 28)), january)  # 3 days fewer
    assert not same_length((d(2023, 1, 1), d(2023, 1, 27)), january)  # 4 days fewer
    year = (d(2018, 7, 1), d(2019, 6, 30))
    assert same_length((d(2019, 7, 1), d(2020, 6, 30)), year)  # a leap day more
    assert not same_length((d(2019, 7, 1), d(2020, 5, 31)), year)  # a month fewer
    assert not same_length(january, year)


def test_the_dates_the_site_takes():
    assert within_range(d(1850, 1, 1))
    assert within_range(d(2100, 12, 31))
    assert not within_range(d(1849, 12, 31))
    assert not within_range(d(2101, 1, 1))


def test_financial_year_turns_in_april():
    assert financial_year(d(2024, 3, 31)) == "2023/24"
    assert financial_year(d(2024, 4, 1)) == "2024/25"


def test_a_series_ending_in_several_months_is_rolling():
    from measures.periods import is_rolling

    quarterly = [(d(2023, 4, 1), d(2024, 3, 31)), (d(2023, 7, 1), d(2024, 6, 30))]
    assert is_rolling(quarterly)
    assert not is_rolling([(d(2022, 4, 1), d(2023, 3, 31)), (d(2023, 4, 1), d(2024, 3, 31))])
    assert not is_rolling([(d(2024, 4, 1), d(2024, 6, 30)), (d(2024, 7, 1), d(2024, 9, 30))])


def offered(today, **options):
    return dict(entry_periods(today, **options))


@pytest.mark.parametrize(
    ("today", "newest_year", "newest_quarter", "newest_month"),
    [
        # The first of a month: the month before has just ended.
        (d(2026, 12, 1), (d(2025, 10, 1), d(2026, 9, 30)), "Q2 2026/27", "November 2026"),
        # The last day of a quarter: that quarter has not ended yet.
        (d(2026, 9, 30), (d(2025, 7, 1), d(2026, 6, 30)), "Q1 2026/27", "August 2026"),
        (d(2026, 1, 1), (d(2025, 1, 1), d(2025, 12, 31)), "Q3 2025/26", "December 2025"),
        (d(2024, 4, 15), (d(2023, 4, 1), d(2024, 3, 31)), "Q4 2023/24", "March 2024"),
        # The month just ended is a quarter's first: two months back to its end.
        (d(2026, 5, 10), (d(2025, 4, 1), d(2026, 3, 31)), "Q4 2025/26", "April 2026"),
        (d(2026, 8, 1), (d(2025, 7, 1), d(2026, 6, 30)), "Q1 2026/27", "July 2026"),
    ],
)
def test_entry_offers_the_newest_periods_that_have_ended_first(
    today, newest_year, newest_quarter, newest_month
):
    periods = offered(today)
    assert periods["12 months"][0][0] == newest_year
    assert periods["Quarters"][0][1] == newest_quarter
    assert periods["Months"][0][1] == newest_month
    for group in periods.values():
        assert all(end < today for (_, end), _ in group)


def test_entry_periods_step_back_a_quarter_or_a_month_at_a_time():
    periods = offered(d(2026, 12, 1))
    assert [label for _, label in periods["12 months"]] == [
        "12 months to September 2026",
        "12 months to June 2026",
        "12 months to March 2026 (financial year 2025/26)",
        "12 months to December 2025",
        "12 months to September 2025",
        "12 months to June 2025",
        "12 months to March 2025 (financial year 2024/25)",
        "12 months to December 2024",
    ]
    assert [label for _, label in periods["Quarters"]][:5] == [
        "Q2 2026/27",
        "Q1 2026/27",
        "Q4 2025/26",
        "Q3 2025/26",
        "Q2 2025/26",
    ]
    assert len(periods["12 months"]) == 8
    assert len(periods["Quarters"]) == 8
    assert [label for _, label in periods["Quarters"]][5:] == [
        "Q1 2025/26",
        "Q4 2024/25",
        "Q3 2024/25",
    ]
    assert periods["Quarters"][2][0] == (d(2026, 1, 1), d(2026, 3, 31))
    assert len(periods["Months"]) == 12
    assert periods["Months"][-1][0] == (d(2025, 12, 1), d(2025, 12, 31))


def test_entry_periods_offer_months_only_when_asked():
    assert list(offered(d(2026, 12, 1), months=False)) == ["12 months", "Quarters"]
