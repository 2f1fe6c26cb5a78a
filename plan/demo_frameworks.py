"""The demo's publishing body, second framework and statement editions: kept
apart from plan/demo.py (the plan, its mapping and figures) so that each can
change on its own. Called by ``load_demo``; running it again adds nothing."""

import datetime
from pathlib import Path

from measures.frameworks.loader import load_framework
from measures.models import Area, Framework, Measure

from .editions import ensure_priorities, record_publication
from .models import (
    Applies,
    BodyKind,
    Contribution,
    LocalOutcome,
    Plan,
    PublishingBody,
    StatementEdition,
    Strength,
)

FRAMEWORKS = Path(__file__).resolve().parent.parent / "measures" / "frameworks"
NPG_FILE = FRAMEWORKS / "neighbourhood-policing-guarantee-2025.toml"
NPG_SLUG = "neighbourhood-policing-guarantee-2025"

# The office that publishes the Humberside statement (docs/sources.md,
# "Humberside"); no contact details are invented: staff add them in the admin.
BODY = {
    "kind": BodyKind.PCC,
    "name": "Humberside Police and Crime Commissioner",
    "holder_title": "Police and Crime Commissioner for Humberside",
    "holder_name": "Jonathan Evison",
    "website": "https://humberside-pcc.gov.uk/",
}

# Illustrative links from the demo plan's outcomes to the second framework's
# measures: (outcome slug, measure slug, strength, explanation).
NPG_MAPPING = [
    (
        "trust-and-confidence",
        "npg-visible-foot-patrols",
        Strength.DIRECT,
        "Visible foot patrols in urban, rural and coastal neighbourhoods are how most people "
        "see the police at work, and seeing them builds trust.",
    ),
    (
        "place-based-approaches",
        "npg-asb-experienced-or-witnessed",
        Strength.DIRECT,
        "Place-based work with councils and communities targets the streets and estates "
        "where anti-social behaviour is worst.",
    ),
    (
        "trust-and-confidence",
        "npg-seen-or-heard-police-action",
        Strength.SUPPORTING,
        "Telling communities what the police are doing about their priorities is part of "
        "building confidence.",
    ),
]


def load_demo_body(force: Area) -> bool:
    _, created = PublishingBody.objects.get_or_create(
        force_area=force, defaults={**BODY, "force_area": force}
    )
    return created


def load_demo_framework(plan: Plan) -> int:
    """The Neighbourhood Policing Guarantee, and the demo plan's links to it."""
    if not Framework.objects.filter(slug=NPG_SLUG).exists():
        load_framework(data=NPG_FILE.read_bytes())
    measures = {m.slug: m for m in Measure.objects.filter(priority_area__framework__slug=NPG_SLUG)}
    outcomes = {o.slug: o for o in LocalOutcome.objects.filter(plan=plan)}
    created = 0
    for outcome_slug, measure_slug, strength, explanation in NPG_MAPPING:
        _, new = Contribution.objects.get_or_create(
            outcome=outcomes[outcome_slug],
            measure=measures[measure_slug],
            defaults={"strength": strength, "explanation": explanation},
        )
        created += new
    return created


# Humberside's PEEL 2023-25 report (docs/sources.md, section 9: checked). Its
# graded areas' names were not checked, so the demo lists no grades.
PEEL = {
    "peel_title": "PEEL 2023–25: an inspection of Humberside Police",
    "peel_url": "https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/humberside-2023-25/",
}
FIRST_SLUG = "national-crime-and-policing-measures-2021"
ILLUSTRATIVE = (
    "Illustrative edition for the demonstration: the text is made up to show how an "
    "edition reads, and its figures are the demo's illustrative figures."
)

EDITIONS = [
    {
        "slug": "2024-25",
        "framework": FIRST_SLUG,
        "title": "Statement on the national priorities for policing, 2024/25",
        "period": (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
        "comparison": "The latest 12 months published compared with the 12 months to June "
        "2019 (the national baseline)",
        "introduction": None,  # the plan's own statement introduction, as today
    },
    {
        "slug": "2026-27-q2",
        "framework": NPG_SLUG,
        "title": "Neighbourhood Policing Guarantee: statement, July to September 2026",
        "period": (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        "comparison": "Not yet comparable: no figures for the Guarantee's headline measures "
        "have been published",
        "introduction": ILLUSTRATIVE,
    },
]


def _contribution_text(plan: Plan, priority) -> str:
    """What the plan's mapping says about a priority's measures, as the
    statement page says it today."""
    lines = [
        f"{c.outcome.title}: {c.explanation}"
        for c in Contribution.objects.filter(outcome__plan=plan, measure__priority_area=priority)
        .select_related("outcome")
        .order_by("outcome__order", "measure__order")
    ]
    return (
        "\n\n".join(lines) or "No local outcome of the plan maps to this priority's measures yet."
    )


def load_demo_editions(plan: Plan) -> int:
    """Two published editions, one per framework, so that the archive has both."""
    created = 0
    for spec in EDITIONS:
        if StatementEdition.objects.filter(slug=spec["slug"]).exists():
            continue
        start, end = spec["period"]
        edition = StatementEdition.objects.create(
            plan=plan,
            framework=Framework.objects.get(slug=spec["framework"]),
            slug=spec["slug"],
            title=spec["title"],
            period_start=start,
            period_end=end,
            comparison=spec["comparison"],
            introduction=spec["introduction"] or plan.statement_intro,
            **PEEL,
        )
        ensure_priorities(edition)
        for row in edition.priorities.select_related("priority_area"):
            row.contribution = _contribution_text(plan, row.priority_area)
            row.applies = Applies.YES
            row.save()
        record_publication(edition=edition, user=None)
        created += 1
    return created
