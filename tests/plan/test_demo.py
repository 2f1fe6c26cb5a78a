import pytest
from django.core.management import call_command

from measures.models import Area, Figure, Measure, PublicationStatus, Target, Unit
from plan.demo import DEMO_NOTE
from plan.models import Contribution, LocalOutcome, Plan

pytestmark = pytest.mark.django_db

SEED_OUTCOMES = [
    "Reducing the impact of drugs on our communities",
    "Reducing high-harm offending/reoffending by working together to protect the most "
    "vulnerable in society",
    "Education and support for young people, preventing them being impacted by crime",
    "Reduced harm through sustainable interventions aimed at domestic abuse perpetrators",
    "Greater trust and confidence in urban, rural and coastal areas",
    "Organisations equipped to respond to evolving crime issues",
    "Place-based approaches that respond to community safety issues",
    "Better partnership working",
]

MODELS = [Area, Plan, LocalOutcome, Contribution, Target, Figure, Figure.history.model]


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_load_demo_twice_gives_the_same_rows(capsys):
    call_command("load_demo")
    first = snapshot()
    values = list(Figure.objects.order_by("pk").values_list("value", "status", "updated_at"))
    call_command("load_demo")
    assert snapshot() == first
    assert list(Figure.objects.order_by("pk").values_list("value", "status", "updated_at")) == (
        values
    )
    assert "nothing to add" in capsys.readouterr().out


def test_current_plan_for_humberside_has_the_seed_outcomes_verbatim(demo):
    plan = Plan.objects.get(is_current=True)
    assert plan.force_area.name == "Humberside"
    assert list(plan.outcomes.values_list("title", flat=True)) == SEED_OUTCOMES


FIRST_FRAMEWORK = "national-crime-and-policing-measures-2021"


def test_every_outcome_serves_a_measure_and_every_measure_an_outcome(demo):
    for outcome in LocalOutcome.objects.all():
        assert outcome.contributions.exists(), outcome
    # The 2021 measures; the demo maps a few of the later framework's, whose
    # figures are not yet published anywhere.
    for measure in Measure.objects.filter(priority_area__framework__slug=FIRST_FRAMEWORK):
        assert measure.contributions.exists(), measure
    for contribution in Contribution.objects.all():
        assert 20 < len(contribution.explanation) < 300


def test_at_least_three_local_targets(demo):
    local = Target.objects.filter(area__slug="humberside", plans__is_current=True)
    assert local.count() >= 3
    assert local.filter(steps__isnull=False).distinct().exists()


def test_published_figures_for_every_measure_in_both_areas_over_eight_periods(demo):
    for measure in Measure.objects.filter(priority_area__framework__slug=FIRST_FRAMEWORK):
        for area in ("humberside", "england-and-wales"):
            published = Figure.objects.published().filter(measure=measure, area__slug=area)
            assert published.count() >= 8, (measure, area)
            assert published.filter(
                period_start=measure.baseline_start, period_end=measure.baseline_end
            ).exists(), (measure, area)


def test_demo_figures_cover_intervals_percentages_series_breaks_and_drafts(demo):
    figures = Figure.objects.all()
    assert figures.filter(lower__isnull=False, measure__data_source__is_survey=True).exists()
    assert figures.filter(unit=Unit.PERCENTAGE).exists()
    assert figures.filter(series_break=True).count() == 1
    drafts = figures.filter(status=PublicationStatus.DRAFT)
    assert 0 < drafts.count() < 10
    assert set(figures.values_list("note", flat=True)) == {DEMO_NOTE}
    assert "not an official statistic" in DEMO_NOTE
