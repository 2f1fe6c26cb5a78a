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
    EditionPeelGrade,
    LocalOutcome,
    PeelGrade,
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


# 7B: Humberside's latest PEEL report, PEEL 2023-25 (docs/sources.md,
# section 9). Its address is checked: the report "assessed how good
# Humberside Police is in nine areas of policing. We make graded judgments in
# eight of these nine"
# (https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/humberside-2023-25/).
# Its date and grades are reported, not read in the report (its table of
# grades could not be read): released on Wednesday 16 October 2024 (Police
# Professional, https://policeprofessional.com/?p=141249); three areas
# outstanding, four good and one requires improvement (Hits Radio,
# https://hellorayo.co.uk/hits-radio/east-yorkshire/news/humberside-police-complacent-inspector-report),
# six of them by name (BBC News, https://feeds.bbci.co.uk/news/articles/c1m9177gk15o).
# The two graded areas no report names with their grade are left out, and
# the edition says all this under the grades.
PEEL = {
    "peel_title": "PEEL 2023–25: an inspection of Humberside Police",
    "peel_url": "https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/humberside-2023-25/",
    "peel_published": datetime.date(2024, 10, 16),
    "peel_note": "Demo data. The report grades eight areas of policing: three outstanding, four "
    "good and one requires improvement. The six grades above are as BBC News and Hits Radio "
    "reported them on 15 and 16 October 2024, and the publication date as Police "
    "Professional reported it; they were not checked against the report itself. The two "
    "graded areas those reports do not name are left out: read the report for every grade. "
    "It is the latest PEEL report on Humberside Police found when the demo was written.",
}
PEEL_GRADES = [
    ("Preventing crime", PeelGrade.OUTSTANDING),
    ("Protecting vulnerable people", PeelGrade.OUTSTANDING),
    ("Developing a positive workplace", PeelGrade.OUTSTANDING),
    ("Responding to the public", PeelGrade.GOOD),
    ("Managing offenders", PeelGrade.GOOD),
    ("Investigating crime", PeelGrade.REQUIRES_IMPROVEMENT),
]

# 7C: complaints (docs/sources.md, section 9).
COMPLAINTS = {
    # The IOPC's statistics page, where its quarterly bulletins for every
    # force are listed ("We also produce quarterly bulletins for all police
    # forces"): checked. The address of Humberside's own bulletin was not
    # found, so the link is to that page.
    "complaints_quarterly_url": "https://www.policeconduct.gov.uk/node/5616",
    # "Police complaints: statistics for England and Wales 2024/25", released
    # 27 November 2025 (https://www.policeconduct.gov.uk/node/11795): checked.
    "complaints_annual_url": "https://www.policeconduct.gov.uk/complaint-statistics-24-25/introduction",
    # The commissioner's page on holding the Chief Constable to account for
    # complaint handling, which links both IOPC publications: checked.
    "complaints_report_url": "https://humberside-pcc.gov.uk/Your-Police/Police-Complaints.aspx",
    "complaints_note": "Demo data: the quarterly link is the Independent Office for Police "
    "Conduct's statistics page, which lists its quarterly bulletin for each force; the annual "
    "statistics are those for 2024/25, published on 27 November 2025.",
}
FIRST_SLUG = "national-crime-and-policing-measures-2021"
ILLUSTRATIVE = (
    "Illustrative edition for the demonstration: the text is made up to show how an "
    "edition reads, and its figures are the demo's illustrative figures."
)

DEMO_FIGURES = (
    "Demo edition: its figures are the demo's illustrative figures, not official statistics."
)

EDITIONS = [
    {
        "slug": "2024-25",
        "framework": FIRST_SLUG,
        "title": "Statement on the national priorities for policing, 2024/25",
        "period": (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
        "comparison": "12 months to March 2025 compared with the 12 months to June 2019 "
        "(the national baseline)",
        # The plan's own statement introduction, as today, and what is made up.
        "introduction": None,
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
            introduction=spec["introduction"] or f"{plan.statement_intro}\n\n{DEMO_FIGURES}",
            **PEEL,
            **COMPLAINTS,
        )
        edition.peel_grades.bulk_create(
            EditionPeelGrade(edition=edition, area=area, grade=grade, order=order)
            for order, (area, grade) in enumerate(PEEL_GRADES, start=1)
        )
        ensure_priorities(edition)
        for row in edition.priorities.select_related("priority_area"):
            row.contribution = _contribution_text(plan, row.priority_area)
            row.applies = Applies.YES
            row.save()
        record_publication(edition=edition, user=None)
        created += 1
    return created
