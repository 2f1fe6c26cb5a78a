"""The demo's publishing body, second framework and statement editions: kept
apart from plan/demo.py (the plan, its mapping and figures) so that each can
change on its own. Called by ``load_demo``; running it again adds nothing."""

from pathlib import Path

from measures.frameworks.loader import load_framework
from measures.models import Area, Framework, Measure

from .models import BodyKind, Contribution, LocalOutcome, Plan, PublishingBody, Strength

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
