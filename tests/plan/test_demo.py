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
    # figures are not yet published anywhere. The local indicators official/
    # ships get their figures from imports.
    national = Measure.objects.filter(kind="national")
    for measure in national.filter(priority_area__framework__slug=FIRST_FRAMEWORK):
        assert measure.contributions.exists(), measure
    for contribution in Contribution.objects.all():
        assert 20 < len(contribution.explanation) < 300


def test_at_least_three_local_targets(demo):
    local = Target.objects.filter(area__slug="humberside", plans__is_current=True)
    assert local.count() >= 3
    assert local.filter(steps__isnull=False).distinct().exists()


def test_published_figures_for_every_measure_in_both_areas_over_eight_periods(demo):
    national = Measure.objects.filter(kind="national")
    for measure in national.filter(priority_area__framework__slug=FIRST_FRAMEWORK):
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


# The demo's statement editions: 7B (the PEEL inspection and its grades) and
# 7C (complaints), with their sources, on the page and in the PDF.

PEEL_REPORT = "https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/humberside-2023-25/"
COMPLAINT_LINKS = (
    "https://www.policeconduct.gov.uk/node/5616",
    "https://www.policeconduct.gov.uk/complaint-statistics-24-25/introduction",
    "https://humberside-pcc.gov.uk/Your-Police/Police-Complaints.aspx",
)


@pytest.mark.parametrize("slug", ["2024-25", "2026-27-q2"])
def test_each_demo_edition_links_its_inspection_grades_and_complaints(client, demo_editions, slug):
    from django.template.loader import render_to_string
    from django.urls import reverse

    from plan.editions import edition_context
    from plan.models import StatementEdition

    edition = StatementEdition.objects.get(slug=slug)
    assert edition.is_published
    page = client.get(reverse("pages:statement-edition", args=[slug])).content.decode()
    # The PDF is made from this document, once, at publication.
    pdf_html = render_to_string("pages/edition_pdf.html", edition_context(edition, revised={}))
    for html in (page, pdf_html):
        assert (
            f'<a href="{PEEL_REPORT}">PEEL 2023–25: an inspection of Humberside Police</a>' in html
        )
        assert "published 16 October 2024" in html
        assert '<th scope="row">Investigating crime</th><td>Requires improvement</td>' in html
        assert html.count("<td>Outstanding</td>") == 3
        # Reported, not checked: the page says so, and calls none of it official.
        assert "not checked against the report itself" in html
        for url in COMPLAINT_LINKS:
            assert f'<a href="{url}">' in html
        assert "Demo data" in html
        inspection_and_complaints = html[html.index("(paragraph 7B)") : html.index("</article>")]
        assert "official" not in inspection_and_complaints.lower()
    assert bytes(edition.pdf).startswith(b"%PDF-")


def test_the_demo_edition_for_2024_25_states_march_2025_not_the_newest(client, demo_editions):
    from django.urls import reverse

    from plan.models import StatementEdition

    edition = StatementEdition.objects.get(slug="2024-25")
    newest = Figure.objects.published().filter(area__slug="humberside").latest("period_end")
    assert newest.period_end.year == 2026
    labels = {
        m["latest"]["label"]
        for p in edition.snapshot["priorities"]
        for m in p["measures"]
        if m["latest"]
    }
    assert labels == {"12 months to March 2025"}
    page = client.get(reverse("pages:statement-edition", args=["2024-25"])).content.decode()
    assert "(12 months to June 2026)" not in page
    assert "No figure for this period" in page  # the surveys that end in June or December
