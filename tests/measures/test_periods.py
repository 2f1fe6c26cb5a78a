import datetime

import pytest

from measures.periods import financial_year, period_label, whole_months

d = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (d(2024, 1, 1), d(2024, 12, 31), "12 months to December 2024"),
        (d(2023, 4, 1), d(2024, 3, 31), "12 months to March 2024"),
        (d(1999, 4, 1), d(2000, 3, 31), "12 months to March 2000"),
        (d(2024, 7, 1), d(2024, 9, 30), "Q2 2024/25"),
        (d(2023, 7, 1), d(2024, 6, 30), "12 months to June 2024"),
        (d(2024, 4, 1), d(2024, 6, 30), "Q1 2024/25"),
        (d(2024, 10, 1), d(2024, 12, 31), "Q3 2024/25"),
        (d(2025, 1, 1), d(2025, 3, 31), "Q4 2024/25"),
        (d(2024, 3, 1), d(2024, 3, 31), "March 2024"),
        (d(2024, 2, 1), d(2024, 2, 29), "February 2024"),
        (d(2023, 4, 1), d(2024, 9, 30), "April 2023 to September 2024"),
        (d(2024, 2, 1), d(2024, 4, 30), "February 2024 to April 2024"),
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


def test_financial_year_turns_in_april():
    assert financial_year(d(2024, 3, 31)) == "2023/24"
    assert financial_year(d(2024, 4, 1)) == "2024/25"


def test_a_series_ending_in_several_months_is_rolling():
    from measures.periods import is_rolling

    quarterly = [(d(2023, 4, 1), d(2024, 3, 31)), (d(2023, 7, 1), d(2024, 6, 30))]
    assert is_rolling(quarterly)
    assert not is_rolling([(d(2022, 4, 1), d(2023, 3, 31)), (d(2023, 4, 1), d(2024, 3, 31))])
    assert not is_rolling([(d(2024, 4, 1), d(2024, 6, 30)), (d(2024, 7, 1), d(2024, 9, 30))])
