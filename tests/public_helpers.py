"""Helpers for the public page tests: the pages, and a demo twice its size."""

import datetime
from decimal import Decimal

from django.urls import reverse

from measures.models import Area, Figure, PublicationStatus
from measures.verdicts import recompute_verdicts
from plan.models import Plan

from .factories import ContributionFactory, LocalOutcomeFactory, MeasureFactory

PLAN_SLUG = "police-and-crime-plan-2021-2025"


def public_urls() -> dict[str, str]:
    """One address of every public page, with the demo data."""
    return {
        "home": reverse("pages:home"),
        "outcome": reverse("pages:outcome-detail", args=["reducing-the-impact-of-drugs"]),
        "plan": reverse("pages:plan-detail", args=[PLAN_SLUG]),
        "measure": reverse("pages:measure-detail", args=["neighbourhood-crime"]),
        "priority": reverse("pages:priority-detail", args=["reduce-serious-violence"]),
        "mapping": reverse("pages:mapping"),
        "statement": reverse("pages:statement"),
        "releases": reverse("pages:releases"),
        "upcoming": reverse("releases:upcoming"),
        "chart": reverse("pages:measure-chart", args=["neighbourhood-crime", "humberside"]),
        "data": reverse("opendata:index") + "?area=humberside&measure=victim-satisfaction",
    }


def double_demo():
    """As many outcomes, measures and figures again as the demo has."""
    plan = Plan.objects.get(slug=PLAN_SLUG)
    force = plan.force_area
    national = Area.objects.get(slug="england-and-wales")
    outcomes = list(plan.outcomes.all())
    measures = [MeasureFactory(tolerance=Decimal(5)) for _ in range(10)]
    figures_before = Figure.objects.count()
    per_measure = figures_before // len(measures) // 2 + 1
    new = []
    for index, (outcome, measure) in enumerate(zip(outcomes, measures, strict=False)):
        ContributionFactory(outcome=outcome, measure=measure)
        extra = LocalOutcomeFactory(plan=plan, slug=f"extra-outcome-{index}")
        ContributionFactory(outcome=extra, measure=measure)
    for measure in measures:
        for area in (force, national):
            for step in range(per_measure):
                end = datetime.date(2019 + step // 4, 3 * (step % 4) + 3, 1)
                end = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
                end -= datetime.timedelta(days=1)
                new.append(
                    Figure(
                        measure=measure,
                        area=area,
                        period_start=end.replace(year=end.year - 1) + datetime.timedelta(days=1),
                        period_end=end,
                        value=Decimal(100 + step),
                        unit=measure.unit,
                        status=PublicationStatus.PUBLISHED,
                    )
                )
    Figure.objects.bulk_create(new)
    recompute_verdicts(measure_ids=[measure.pk for measure in measures])
    for _ in range(len(outcomes) - len(measures)):
        LocalOutcomeFactory(plan=plan)
    return measures
