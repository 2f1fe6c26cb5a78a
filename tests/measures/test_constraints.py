"""Every rule is held twice: by a named database constraint, and by clean()
in words a member of staff understands. Each is tried with a bad value."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.models import Figure, Measure, Target, TargetKind, Unit
from plan.models import Plan

from ..factories import (
    AreaFactory,
    BaselineOverrideFactory,
    ContributionFactory,
    FigureFactory,
    LocalOutcomeFactory,
    MeasureFactory,
    PlanFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


def build_figure(**overrides):
    measure = overrides.pop("measure", None) or MeasureFactory(
        unit=overrides.pop("unit", Unit.COUNT)
    )
    return FigureFactory.build(measure=measure, area=AreaFactory(), **overrides)


def refused_twice(obj):
    """Tries ``obj`` against clean() and then against the database, expecting
    both to refuse it; returns the ValidationError and the IntegrityError, for
    the test to check the words and the constraint's name."""
    with pytest.raises(ValidationError) as invalid:
        obj.full_clean()
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        obj.save()
    return invalid.value, refused.value


BAD_FIGURES = [
    # (fields, constraint name, field with the error, words in the message)
    (
        {"period_start": datetime.date(2020, 1, 1), "period_end": datetime.date(2019, 12, 31)},
        "figure_period_end_not_before_start",
        "period_end",
        "cannot end before it starts",
    ),
    (
        {"value": D("5"), "lower": D("6"), "upper": D("9")},
        "figure_lower_not_above_value",
        "lower",
        "lower bound cannot be above",
    ),
    (
        {"value": D("5"), "lower": D("1"), "upper": D("4")},
        "figure_upper_not_below_value",
        "upper",
        "upper bound cannot be below",
    ),
    (
        {"value": D("5"), "lower": D("1")},
        "figure_bounds_both_or_neither",
        "upper",
        "both ends of the confidence interval",
    ),
    ({"value": D("-1")}, "figure_value_not_negative", "value", "cannot be negative"),
    (
        {"value": D("100.5"), "unit": Unit.PERCENTAGE},
        "figure_percentage_at_most_100",
        "value",
        "percentage cannot be more than 100",
    ),
    (
        {"value": D("99"), "lower": D("97"), "upper": D("101"), "unit": Unit.PERCENTAGE},
        "figure_percentage_at_most_100",
        "upper",
        "percentage cannot be more than 100",
    ),
]


@pytest.mark.parametrize(("fields", "constraint", "field", "words"), BAD_FIGURES)
def test_bad_figure_is_refused_by_clean_in_words(fields, constraint, field, words):
    figure = build_figure(**fields)
    with pytest.raises(ValidationError) as caught:
        figure.full_clean()
    assert words in " ".join(caught.value.message_dict[field])


@pytest.mark.parametrize(("fields", "constraint", "field", "words"), BAD_FIGURES)
def test_bad_figure_is_refused_by_the_database(fields, constraint, field, words):
    figure = build_figure(**fields)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        figure.save()
    # SQLite and PostgreSQL both name the constraint that failed.
    assert constraint in str(caught.value)


def test_a_good_percentage_figure_with_an_interval_is_accepted():
    figure = build_figure(value=D("64.5"), lower=D("60.1"), upper=D("68.9"), unit=Unit.PERCENTAGE)
    figure.full_clean()
    figure.save()
    assert figure.unit == Unit.PERCENTAGE


def test_a_negative_figure_is_refused_even_for_a_rate():
    figure = build_figure(value=D("-0.5"), unit=Unit.RATE_PER_1000)
    with pytest.raises(ValidationError):
        figure.full_clean()


def test_one_figure_per_measure_area_and_period():
    first = FigureFactory()
    twin = Figure(
        measure=first.measure,
        area=first.area,
        period_start=first.period_start,
        period_end=first.period_end,
        value=D("11"),
    )
    invalid, _ = refused_twice(twin)
    assert "already exists" in str(invalid)


def test_the_same_measure_and_area_can_have_another_period():
    first = FigureFactory()
    other = FigureFactory.build(
        measure=first.measure,
        area=first.area,
        period_start=datetime.date(2019, 7, 1),
        period_end=datetime.date(2020, 6, 30),
    )
    other.full_clean()
    other.save()


def test_measure_baseline_cannot_end_before_it_starts():
    measure = MeasureFactory.build(
        priority_area=None,
        data_source=MeasureFactory().data_source,
        baseline_start=datetime.date(2019, 6, 30),
        baseline_end=datetime.date(2018, 7, 1),
        kind="local",
    )
    invalid, refused = refused_twice(measure)
    assert "baseline cannot end before it starts" in str(invalid.message_dict["baseline_end"])
    assert "measure_baseline_end_not_before_start" in str(refused)


def test_measure_decimal_places_at_most_four():
    measure = MeasureFactory()
    measure.decimal_places = 5
    refused_twice(measure)


def test_a_national_measure_needs_a_priority_area_but_a_local_indicator_does_not():
    measure = MeasureFactory(priority_area=None, kind="local")
    measure.full_clean()
    measure.kind = "national"
    with pytest.raises(ValidationError) as caught:
        measure.full_clean()
    assert "priority_area" in caught.value.message_dict


def test_unit_cannot_change_once_a_measure_has_figures():
    figure = FigureFactory()
    measure = Measure.objects.get(pk=figure.measure_id)
    measure.unit = Unit.PERCENTAGE
    with pytest.raises(ValidationError) as caught:
        measure.full_clean()
    assert "create a new measure" in " ".join(caught.value.message_dict["unit"])


def test_baseline_override_is_one_per_measure_and_area_and_ends_after_it_starts():
    override = BaselineOverrideFactory()
    bad = BaselineOverrideFactory.build(
        measure=override.measure,
        area=AreaFactory(),
        baseline_start=datetime.date(2020, 3, 31),
        baseline_end=datetime.date(2019, 4, 1),
    )
    refused_twice(bad)
    twin = BaselineOverrideFactory.build(measure=override.measure, area=override.area)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_baseline_for_an_area_uses_its_override():
    override = BaselineOverrideFactory()
    measure = override.measure
    assert measure.baseline_for(override.area) == (override.baseline_start, override.baseline_end)
    assert measure.baseline_for(AreaFactory()) == (measure.baseline_start, measure.baseline_end)


def test_a_value_target_needs_a_value():
    target = TargetFactory.build(measure=MeasureFactory(), kind=TargetKind.VALUE, value=None)
    refused_twice(target)
    improvement = TargetFactory.build(
        measure=MeasureFactory(), kind=TargetKind.IMPROVEMENT, value=None
    )
    improvement.full_clean()
    improvement.save()
    assert Target.objects.filter(pk=improvement.pk).exists()


def test_plan_cannot_end_before_it_starts():
    plan = PlanFactory.build(force_area=AreaFactory(), first_year=2025, last_year=2021)
    invalid, _ = refused_twice(plan)
    assert "cannot end before it starts" in str(invalid)


def test_only_one_current_plan_per_force_area():
    current = PlanFactory(is_current=True)
    rival = PlanFactory.build(force_area=current.force_area, is_current=True, slug="rival")
    invalid, _ = refused_twice(rival)
    assert "already current" in " ".join(invalid.message_dict["is_current"])
    # Another force's plan can be current at the same time.
    PlanFactory(is_current=True)
    assert Plan.objects.filter(is_current=True).count() == 2


def test_outcome_slug_is_unique_within_a_plan_only():
    outcome = LocalOutcomeFactory(slug="drugs")
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalOutcomeFactory(plan=outcome.plan, slug="drugs")
    LocalOutcomeFactory(slug="drugs")


def test_one_contribution_per_outcome_and_measure():
    contribution = ContributionFactory()
    twin = ContributionFactory.build(outcome=contribution.outcome, measure=contribution.measure)
    refused_twice(twin)
