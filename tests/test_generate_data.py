"""The benchmarks' synthetic dataset (``bench/generate_data.py``)."""

import pytest

from bench.generate_data import SYNTHETIC_NOTE, generate
from measures.models import Area, Figure, Measure
from plan.models import Contribution, LocalOutcome, Plan

from .commands import python

pytestmark = pytest.mark.django_db


def test_generates_the_asked_number_of_clearly_synthetic_figures():
    report = generate(figures=3000)
    assert Figure.objects.count() == 3000
    assert set(Figure.objects.values_list("note", flat=True)) == {SYNTHETIC_NOTE}
    assert Area.objects.filter(kind="police-force-area").count() == 43
    # 10 national, 40 synthetic, and the two local indicators official/ ships.
    assert Measure.objects.count() == 52
    assert Measure.objects.filter(slug__startswith="synthetic-").count() == 40
    assert Plan.objects.filter(slug__startswith="synthetic-").count() == 3
    assert LocalOutcome.objects.count() == 30
    assert Contribution.objects.count() == 150
    assert "3000 figures created" in report


def test_monthly_and_quarterly_periods_over_fifteen_years():
    generate(figures=240)
    lengths = {(f.period_end - f.period_start).days for f in Figure.objects.all()}
    assert any(27 <= days <= 30 for days in lengths)
    assert any(88 <= days <= 91 for days in lengths)
    years = {f.period_start.year for f in Figure.objects.all()}
    assert len(years) == 15


def test_running_again_adds_nothing_already_there():
    generate(figures=500)
    generate(figures=500)
    assert Figure.objects.count() == 500
    assert Plan.objects.count() == 3


def test_a_negative_count_is_refused_by_the_script():
    result = python("bench/generate_data.py", "--figures", "-1")
    assert result.returncode == 2
    assert "--figures cannot be negative" in result.stderr
