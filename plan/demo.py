"""The demo plan: Humberside's local outcomes, their mapping to the national
measures, local targets and illustrative figures.

Loaded by ``manage.py load_demo``, so that a real install can leave it out.
Everything is created only when missing, so running it twice changes nothing.
The figures are made up from a fixed seed: plausible trends, not statistics.
Their statuses are worked out by the measures' own methods (the exact Poisson
test for the counts, the survey test for the survey estimates), as a real
install's are, so that the demo shows what those methods say of figures like
these: most small counts' changes are "no significant change". Illustrative,
all the same: no status in the demo describes Humberside.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from measures.models import Area, AreaKind, Figure, Measure, PublicationStatus, Target, TargetKind
from measures.verdicts import recompute_verdicts

from .demo_frameworks import load_demo_body, load_demo_framework
from .models import Contribution, LocalOutcome, Plan, Strength

DEMO_NOTE = "Illustrative figure for demonstration only: not an official statistic."

FORCE_AREA = {"slug": "humberside", "name": "Humberside", "kind": AreaKind.POLICE_FORCE_AREA}

PLAN = {
    "slug": "police-and-crime-plan-2021-2025",
    "title": "Police and Crime Plan for Humberside",
    "commissioner": "Jonathan Evison",
    "first_year": 2021,
    "last_year": 2025,
    "summary": "The Police and Crime Commissioner's plan for keeping Humberside safe: eight "
    "local outcomes, each contributing to the Home Office National Crime and Policing "
    "Measures. (Demo data: the outcomes are the plan's own, the figures are illustrative.)",
    "statement_intro": "The Home Office has developed a range of National Crime and Policing "
    "Measures to help focus effort on key national priorities, allowing performance to be "
    "measured and help to demonstrate value for money in policing. The Government has been "
    "clear that they must achieve significant reductions in crime and restore the public’s "
    "confidence in the criminal justice system.",
}

# (slug, title verbatim from the plan, summary)
OUTCOMES = [
    (
        "reducing-the-impact-of-drugs",
        "Reducing the impact of drugs on our communities",
        "Disrupting drug supply and county lines, and getting people who use drugs into treatment.",
    ),
    (
        "reducing-high-harm-offending",
        "Reducing high-harm offending/reoffending by working together to protect the most "
        "vulnerable in society",
        "Targeting the people who cause the most harm and protecting those most at risk.",
    ),
    (
        "education-and-support-for-young-people",
        "Education and support for young people, preventing them being impacted by crime",
        "Reaching young people early, in schools and communities, before they are drawn "
        "into crime or harmed by it.",
    ),
    (
        "domestic-abuse-perpetrators",
        "Reduced harm through sustainable interventions aimed at domestic abuse perpetrators",
        "Programmes that change the behaviour of perpetrators so that fewer people are harmed.",
    ),
    (
        "trust-and-confidence",
        "Greater trust and confidence in urban, rural and coastal areas",
        "Visible, responsive policing that every community can rely on.",
    ),
    (
        "equipped-for-evolving-crime",
        "Organisations equipped to respond to evolving crime issues",
        "Skills, technology and partnerships to tackle new kinds of crime, cyber crime above all.",
    ),
    (
        "place-based-approaches",
        "Place-based approaches that respond to community safety issues",
        "Solving the problems of particular streets, estates and villages with the people "
        "who live there.",
    ),
    (
        "better-partnership-working",
        "Better partnership working",
        "Police, councils, health services and charities working as one.",
    ),
]

# outcome slug -> [(measure slug, strength, explanation)]
MAPPING = {
    "reducing-the-impact-of-drugs": [
        (
            "drug-related-homicides",
            Strength.DIRECT,
            "Disrupting county lines and drug markets removes the violence that comes with "
            "them, including killings linked to drug dealing.",
        ),
        (
            "police-referrals-into-drug-treatment",
            Strength.DIRECT,
            "Officers refer people arrested for drug-related offences into treatment, "
            "breaking the link between addiction and crime.",
        ),
        (
            "homicides",
            Strength.SUPPORTING,
            "A share of homicides is linked to drug markets, so fewer drug markets should "
            "mean fewer homicides.",
        ),
    ],
    "reducing-high-harm-offending": [
        (
            "homicides",
            Strength.DIRECT,
            "Managing the most dangerous offenders and protecting those they target "
            "prevents the most serious violence.",
        ),
        (
            "firearm-discharges",
            Strength.DIRECT,
            "Targeting organised crime groups takes firearms out of circulation.",
        ),
        (
            "hospital-admissions-sharp-object-under-25",
            Strength.SUPPORTING,
            "Work with partners on serious violence reduces knife crime against young people.",
        ),
        (
            "domestic-abuse-victim-satisfaction",
            Strength.SUPPORTING,
            "Protecting vulnerable victims well should show in how satisfied they are with "
            "the police.",
        ),
    ],
    "education-and-support-for-young-people": [
        (
            "hospital-admissions-sharp-object-under-25",
            Strength.DIRECT,
            "Knife crime education in schools and youth outreach aim to stop young people "
            "carrying knives and being hurt by them.",
        ),
        (
            "neighbourhood-crime",
            Strength.SUPPORTING,
            "Diverting young people from crime reduces burglary, robbery and vehicle crime "
            "in the long run.",
        ),
    ],
    "domestic-abuse-perpetrators": [
        (
            "domestic-abuse-victim-satisfaction",
            Strength.DIRECT,
            "Acting on perpetrators, not only supporting victims, is what victims of "
            "domestic abuse ask the police for.",
        ),
        (
            "homicides",
            Strength.SUPPORTING,
            "Domestic abuse is behind a large share of homicides; changing perpetrators' "
            "behaviour prevents some of them.",
        ),
    ],
    "trust-and-confidence": [
        (
            "victim-satisfaction",
            Strength.DIRECT,
            "Keeping victims informed and responding quickly in every kind of community "
            "is what satisfaction measures.",
        ),
        (
            "neighbourhood-crime",
            Strength.SUPPORTING,
            "Visible neighbourhood policing deters burglary, robbery and vehicle crime.",
        ),
    ],
    "equipped-for-evolving-crime": [
        (
            "cyber-crime-confidence",
            Strength.DIRECT,
            "Training officers and staff in digital investigation improves how the public "
            "sees the response to cyber crime.",
        ),
        (
            "businesses-cyber-breach-or-attack",
            Strength.DIRECT,
            "Cyber protect advice to local businesses helps them prevent breaches and attacks.",
        ),
    ],
    "place-based-approaches": [
        (
            "neighbourhood-crime",
            Strength.DIRECT,
            "Problem-solving in the places with most burglary, robbery and vehicle crime "
            "brings those crimes down where they happen.",
        ),
        (
            "firearm-discharges",
            Strength.SUPPORTING,
            "Focused work in the few places where guns are used helps prevent shootings.",
        ),
    ],
    "better-partnership-working": [
        (
            "police-referrals-into-drug-treatment",
            Strength.SUPPORTING,
            "Referral routes into treatment depend on the police and treatment services "
            "working together.",
        ),
        (
            "hospital-admissions-sharp-object-under-25",
            Strength.SUPPORTING,
            "Sharing hospital data on assaults with the police and councils helps target "
            "violence prevention.",
        ),
        (
            "victim-satisfaction",
            Strength.SUPPORTING,
            "Victim services commissioned with partners support victims through the "
            "justice system.",
        ),
    ],
}

# measure slug -> (kind, value, due, [(date, value)], description)
LOCAL_TARGETS = {
    "victim-satisfaction": (
        TargetKind.VALUE,
        Decimal("75"),
        datetime.date(2025, 3, 31),
        [
            (datetime.date(2023, 3, 31), Decimal("71")),
            (datetime.date(2024, 3, 31), Decimal("73")),
            (datetime.date(2025, 3, 31), Decimal("75")),
        ],
        "75% of victims satisfied with the police by March 2025.",
    ),
    "neighbourhood-crime": (
        TargetKind.CHANGE,
        Decimal("-10"),
        datetime.date(2025, 3, 31),
        [
            (datetime.date(2023, 3, 31), Decimal("-4")),
            (datetime.date(2024, 3, 31), Decimal("-7")),
            (datetime.date(2025, 3, 31), Decimal("-10")),
        ],
        "A 10% reduction in neighbourhood crime against the baseline by March 2025.",
    ),
    "police-referrals-into-drug-treatment": (
        TargetKind.CHANGE,
        Decimal("20"),
        datetime.date(2025, 3, 31),
        [],
        "20% more police referrals into drug treatment than in the baseline year.",
    ),
}

# measure slug -> (periods a year, England and Wales (start, end, interval half-width),
#                  Humberside (start, end, interval half-width)); half-width None: no interval
SERIES = {
    "homicides": (4, (690, 600, None), (14, 11, None)),
    "hospital-admissions-sharp-object-under-25": (4, (1020, 870, None), (30, 24, None)),
    "firearm-discharges": (4, (2550, 2150, None), (31, 24, None)),
    "drug-related-homicides": (4, (260, 225, None), (5, 4, None)),
    "police-referrals-into-drug-treatment": (4, (21000, 26500, None), (610, 780, None)),
    "neighbourhood-crime": (4, (38.0, 27.5, 1.4), (41.0, 33.0, 4.5)),
    "domestic-abuse-victim-satisfaction": (4, (60.0, 61.5, 2.0), (57.0, 64.0, 6.5)),
    "victim-satisfaction": (4, (70.0, 64.0, 1.2), (68.0, 72.5, 4.0)),
    "cyber-crime-confidence": (2, (41.0, 44.0, 1.8), (38.0, 45.0, 5.5)),
    "businesses-cyber-breach-or-attack": (1, (32.0, 39.0, 2.2), (30.0, 35.0, 7.0)),
}
FIRST_PERIOD_END = datetime.date(2019, 6, 30)
LAST_PUBLISHED_END = datetime.date(2026, 6, 30)
DRAFT_END = datetime.date(2026, 9, 30)
DRAFT_MEASURES = {"homicides", "firearm-discharges", "victim-satisfaction"}
SERIES_BREAK = ("police-referrals-into-drug-treatment", "humberside", datetime.date(2023, 3, 31))


@dataclass(frozen=True)
class DemoResult:
    areas: int = 0
    plans: int = 0
    outcomes: int = 0
    contributions: int = 0
    targets: int = 0
    figures: int = 0

    @property
    def created(self) -> int:
        return sum(vars(self).values())


def month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def rolling_year_ending(end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 12 months to the end of ``end``'s month: 1 July 2018 to 30 June 2019."""
    start = datetime.date(end.year - 1, end.month, 1) + datetime.timedelta(days=32)
    return start.replace(day=1), end


def period_ends(per_year: int, last: datetime.date) -> list[datetime.date]:
    step = 12 // per_year
    ends, year, month = [], FIRST_PERIOD_END.year, FIRST_PERIOD_END.month
    while (end := month_end(year, month)) <= last:
        ends.append(end)
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return ends


def demo_figures(measure: Measure, area: Area, series, per_year, rng) -> list[Figure]:
    start_value, end_value, half_width = series
    ends = period_ends(
        per_year, DRAFT_END if measure.slug in DRAFT_MEASURES else LAST_PUBLISHED_END
    )
    quantum = Decimal(1).scaleb(-measure.decimal_places)
    figures = []
    for index, end in enumerate(ends):
        progress = index / max(len(ends) - 1, 1)
        value = start_value + (end_value - start_value) * progress
        value *= 1 + rng.uniform(-0.04, 0.04)
        value = Decimal(str(value)).quantize(quantum)
        lower = upper = None
        if half_width is not None:
            lower = max(value - Decimal(str(half_width)), Decimal(0)).quantize(quantum)
            upper = min(value + Decimal(str(half_width)), Decimal(100)).quantize(quantum)
        period_start, period_end = rolling_year_ending(end)
        draft = end == DRAFT_END
        figures.append(
            Figure(
                measure=measure,
                area=area,
                period_start=period_start,
                period_end=period_end,
                value=value,
                lower=lower,
                upper=upper,
                unit=measure.unit,
                provisional=draft or end == LAST_PUBLISHED_END,
                series_break=(measure.slug, area.slug, end) == SERIES_BREAK,
                note=DEMO_NOTE,
                source_url=measure.data_source.url,
                status=PublicationStatus.DRAFT if draft else PublicationStatus.PUBLISHED,
            )
        )
    return figures


@transaction.atomic
def load_demo() -> DemoResult:
    england_and_wales = Area.objects.get(slug="england-and-wales")
    force, area_created = Area.objects.get_or_create(
        slug=FORCE_AREA["slug"],
        defaults={**FORCE_AREA, "parent": england_and_wales},
    )

    plan, plan_created = Plan.objects.get_or_create(
        slug=PLAN["slug"],
        defaults={
            **PLAN,
            "force_area": force,
            "is_current": not Plan.objects.filter(force_area=force, is_current=True).exists(),
        },
    )

    measures = {m.slug: m for m in Measure.objects.select_related("data_source")}

    outcomes_created = contributions_created = 0
    for order, (slug, title, summary) in enumerate(OUTCOMES, start=1):
        outcome, created = LocalOutcome.objects.get_or_create(
            plan=plan,
            slug=slug,
            defaults={"title": title, "summary": summary, "description": summary, "order": order},
        )
        outcomes_created += created
        for measure_slug, strength, explanation in MAPPING[slug]:
            _, created = Contribution.objects.get_or_create(
                outcome=outcome,
                measure=measures[measure_slug],
                defaults={"strength": strength, "explanation": explanation},
            )
            contributions_created += created

    load_demo_body(force)
    contributions_created += load_demo_framework(plan)

    targets_created = 0
    for measure_slug, (kind, value, due, steps, description) in LOCAL_TARGETS.items():
        target, created = Target.objects.get_or_create(
            measure=measures[measure_slug],
            area=force,
            defaults={"kind": kind, "value": value, "due": due, "description": description},
        )
        plan.targets.add(target)
        if created:
            targets_created += 1
            target.steps.bulk_create(
                [target.steps.model(target=target, date=d, value=v) for d, v in steps]
            )

    existing = set(
        Figure.objects.filter(area__in=[force, england_and_wales]).values_list(
            "measure_id", "area_id", "period_start", "period_end"
        )
    )
    rng = random.Random(2021)  # noqa: S311 - made-up demo numbers, not security
    new_figures = []
    for measure_slug, (per_year, national, local) in SERIES.items():
        measure = measures[measure_slug]
        for area, series in ((england_and_wales, national), (force, local)):
            for figure in demo_figures(measure, area, series, per_year, rng):
                key = (measure.pk, area.pk, figure.period_start, figure.period_end)
                if key not in existing:
                    new_figures.append(figure)
    now = timezone.now()
    for figure in new_figures:
        if figure.status == PublicationStatus.PUBLISHED:
            figure.published_at = now
    bulk_create_with_history(new_figures, Figure, batch_size=500)
    recompute_verdicts(pairs={(figure.measure_id, figure.area_id) for figure in new_figures})

    return DemoResult(
        areas=int(area_created),
        plans=int(plan_created),
        outcomes=outcomes_created,
        contributions=contributions_created,
        targets=targets_created,
        figures=len(new_figures),
    )
