import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Figure, Measure, PriorityArea
from plan.models import Contribution, LocalOutcome, Plan
from tests.factories import ContributionFactory, LocalOutcomeFactory, PlanFactory
from tests.public_helpers import PLAN_SLUG, double_demo, public_urls

pytestmark = pytest.mark.django_db

DRAFT_LABEL = "12 months to September 2026"  # only the demo's draft figures cover it


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


class TestHome:
    def test_shows_the_current_plan_its_outcomes_and_the_priority_areas(self, client, demo):
        page = get(client, reverse("pages:home"))
        assert "<h1>Police and Crime Plan for Humberside</h1>" in page
        assert "Jonathan Evison" in page
        assert "2021 to 2025" in page
        for outcome in LocalOutcome.objects.all():
            assert reverse("pages:outcome-detail", args=[outcome.slug]) in page
        assert "Serves 3 national measures" in page  # reducing the impact of drugs
        assert "Reduce murder and other homicide" in page
        assert reverse("pages:measure-detail", args=["homicides"]) in page
        assert "Figures last updated on" in page
        assert page.count("<h1") == 1

    def test_answers_how_we_are_doing(self, client, demo):
        """Each national measure with a published figure: its latest figure,
        change and status, linked to its page."""
        page = get(client, reverse("pages:home"))
        doing = page.split('id="how-we-are-doing"')[1].split('id="latest-changes"')[0]
        latest = (
            Figure.objects.published()
            .filter(measure__slug="homicides", area__slug="humberside")
            .order_by("-period_end")
            .first()
        )
        line = doing.split(">Homicides</a>")[1].split("</li>")[0]
        assert f'<strong class="figure">{int(latest.value)}</strong>' in line
        assert "Change against 12 months to June 2019" in line
        assert "badge badge--" in line
        reported = Measure.objects.filter(
            figures__status="published", figures__area__slug="humberside"
        ).distinct()
        assert doing.count('<li class="measure-line">') == reported.count()

    def test_says_what_was_published_most_recently(self, client, demo):
        page = get(client, reverse("pages:home"))
        latest = page.split('id="latest-changes"')[1].split("</ul>")[0]
        assert "Published most recently" in latest
        assert "Avon and Somerset" not in latest  # only the force area and England and Wales

    def test_says_what_changed_in_the_latest_release(self, client, demo):
        from official.models import ChangeKind, FigureChange, Release, Source

        figure = (
            Figure.objects.published()
            .filter(measure__slug="homicides", area__slug="humberside")
            .order_by("-period_end")
            .first()
        )
        release = Release.objects.create(
            source=Source.HOME_OFFICE_PFA,
            file_name="prc.ods",
            checksum="a" * 64,
            release_date=datetime.date(2026, 7, 23),
            added=3,
            revised=1,
        )
        FigureChange.objects.create(
            release=release,
            figure=figure,
            kind=ChangeKind.REVISED,
            old_value=Decimal(14),
            new_value=figure.value,
        )
        page = get(client, reverse("pages:home"))
        latest = page.split('id="latest-changes"')[1].split("</ul>")[0]
        assert "What changed in the latest release" in latest
        assert "23 July 2026 added 3 figures and revised 1" in latest
        assert "(revised; previously 14)" in latest

    def test_says_so_when_there_is_no_plan(self, client, db):
        page = get(client, reverse("pages:home"))
        assert "No Police and Crime Plan has been published" in page

    def test_lists_past_plans(self, client, demo):
        old = PlanFactory(title="The old plan", force_area=Plan.objects.get().force_area)
        page = get(client, reverse("pages:home"))
        assert reverse("pages:plan-detail", args=[old.slug]) in page


class TestOutcome:
    url = reverse("pages:outcome-detail", args=["reducing-the-impact-of-drugs"])

    def test_shows_each_measure_in_a_line_linked_to_its_page(self, client, demo):
        page = get(client, self.url)
        slugs = ("homicides", "drug-related-homicides", "police-referrals-into-drug-treatment")
        lines = page.split('<ul class="measure-lines">')[1].split("</ul>")[0]
        assert lines.count('<li class="measure-line">') == len(slugs)
        for slug in slugs:
            measure = Measure.objects.get(slug=slug)
            assert (
                f'<a href="{reverse("pages:measure-detail", args=[slug])}">{measure.name}</a>'
                in (lines)
            )
        contribution = Contribution.objects.get(
            outcome__slug="reducing-the-impact-of-drugs", measure__slug="homicides"
        )
        assert contribution.explanation in page
        assert "Supporting contribution" in page
        assert "Change against 12 months to June 2019" in page
        assert page.count("badge badge--") == len(slugs)

    def test_repeats_no_table_or_chart_of_a_measure(self, client, demo):
        page = get(client, self.url)
        assert "<table" not in page
        assert "data-chart-url" not in page

    def test_the_latest_published_figure_is_on_the_page(self, client, demo):
        latest = (
            Figure.objects.published()
            .filter(measure__slug="drug-related-homicides", area__slug="humberside")
            .order_by("-period_end")
            .first()
        )
        page = get(client, self.url)
        assert f'<strong class="figure">{int(latest.value)}</strong>' in page

    def test_a_series_break_makes_the_status_not_comparable(self, client, demo):
        page = get(client, self.url)
        line = page.split("Police referrals into drug treatment</a>")[1].split("</li>")[0]
        assert "Not comparable" in line
        assert "Not available" in line  # no change across the break

    def test_a_measure_published_only_nationally_shows_england_and_wales(self, client, demo):
        Figure.objects.filter(measure__slug="homicides", area__slug="humberside").delete()
        page = get(client, self.url)
        line = page.split("Homicides</a>")[1].split("</li>")[0]
        assert "Latest, England and Wales" in line
        assert "Not enough data" not in line

    def test_draft_figures_never_show(self, client, demo):
        assert Figure.objects.drafts().exists()
        page = get(client, reverse("pages:outcome-detail", args=["reducing-high-harm-offending"]))
        assert DRAFT_LABEL not in page

    def test_unknown_outcome_is_a_404_in_the_sites_layout(self, client, demo):
        page = get(client, reverse("pages:outcome-detail", args=["no-such-outcome"]), 404)
        assert "Page not found" in page
        assert "Skip to main content" in page
        assert 'lang="en-GB"' in page

    def test_a_past_plans_outcomes_stay_viewable(self, client, demo):
        old = PlanFactory(slug="old-plan", force_area=Plan.objects.get().force_area)
        outcome = LocalOutcomeFactory(plan=old, slug="old-outcome", title="An old outcome")
        ContributionFactory(outcome=outcome, measure=Measure.objects.get(slug="homicides"))
        page = get(client, reverse("pages:plan-outcome-detail", args=["old-plan", "old-outcome"]))
        assert "An old outcome" in page
        assert "replaced" in page
        get(client, reverse("pages:outcome-detail", args=["old-outcome"]), 404)
        page = get(client, reverse("pages:plan-detail", args=["old-plan"]))
        assert reverse("pages:plan-outcome-detail", args=["old-plan", "old-outcome"]) in page

    def test_view_on_site_opens_the_outcome_of_its_own_plan(self, admin_client, demo):
        """The admin's "View on site" for a past plan's outcome opens that
        outcome, not the current plan's outcome of the same name (or a 404)."""
        current = LocalOutcome.objects.get(slug="better-partnership-working")
        old = PlanFactory(slug="old-plan", force_area=current.plan.force_area)
        outcome = LocalOutcomeFactory(plan=old, slug=current.slug, title="An old plan outcome")
        assert outcome.get_absolute_url() == reverse(
            "pages:plan-outcome-detail", args=["old-plan", current.slug]
        )
        assert current.get_absolute_url() == reverse("pages:outcome-detail", args=[current.slug])
        change = reverse("admin:plan_localoutcome_change", args=[outcome.pk])
        view_on_site = admin_client.get(change).context["original"].get_absolute_url()
        assert "An old plan outcome" in get(admin_client, view_on_site)


class TestPlan:
    def test_plan_page(self, client, demo):
        this_year = timezone.localdate().year
        Plan.objects.filter(slug=PLAN_SLUG).update(last_year=this_year)
        page = get(client, reverse("pages:plan-detail", args=[PLAN_SLUG]))
        assert "This is the current plan." in page
        assert "Better partnership working" in page

    def test_a_current_plan_whose_years_are_over_does_not_say_it_is_current(self, client, demo):
        last_year = timezone.localdate().year - 1
        Plan.objects.filter(slug=PLAN_SLUG).update(first_year=last_year - 4, last_year=last_year)
        page = get(client, reverse("pages:plan-detail", args=[PLAN_SLUG]))
        assert "This is the current plan." not in page
        years = f"{last_year - 4} to {last_year}"
        assert f"This plan covered {years}, and those years are over." in page
        assert "No newer plan has been published on this website" in page

    def test_a_replaced_plan_names_the_current_one(self, client, demo):
        current = Plan.objects.get(slug=PLAN_SLUG)
        old = PlanFactory(slug="old-plan", force_area=current.force_area, is_current=False)
        page = get(client, reverse("pages:plan-detail", args=[old.slug]))
        assert "This is the current plan." not in page
        assert "This plan has been replaced. The current plan is" in page
        link = f'<a href="{current.get_absolute_url()}">{current.title} ({current.years})</a>'
        assert link in page

    def test_a_replaced_plan_with_no_current_one_says_so(self, client, demo):
        Plan.objects.update(is_current=False)
        page = get(client, reverse("pages:plan-detail", args=[PLAN_SLUG]))
        assert "This is the current plan." not in page
        assert "no plan is marked current on this website" in page

    def test_unknown_plan_is_a_404(self, client, demo):
        get(client, reverse("pages:plan-detail", args=["nope"]), 404)


class TestMapping:
    def test_is_a_table_of_outcomes_against_measures(self, client, demo):
        page = get(client, reverse("pages:mapping"))
        assert page.count('<th scope="col">') == Measure.objects.count()
        assert page.count('<th scope="row">') == 2 * LocalOutcome.objects.count()
        # A table per framework: the six 2021 priorities and the five pillars.
        assert page.count('<th scope="colgroup"') == PriorityArea.objects.count() == 11
        assert page.count('class="cell cell--') == Contribution.objects.count()
        contribution = Contribution.objects.first()
        anchor = f"explain-{contribution.outcome.slug}-{contribution.measure.slug}"
        assert f'href="#{anchor}"' in page
        assert f'id="{anchor}"' in page
        assert contribution.explanation in page

    def test_without_a_plan_is_a_404(self, client, db):
        get(client, reverse("pages:mapping"), 404)


class TestStatement:
    def test_is_rendered_from_the_data(self, client, demo):
        plan = Plan.objects.get()
        plan.statement_intro = "Our own introduction.\n\nIn two paragraphs."
        plan.save()
        page = get(client, reverse("pages:statement"))
        assert "<p>Our own introduction.</p>" in page
        assert "Improve satisfaction among victims" in page
        assert "Crime Survey for England and Wales (CSEW)" in page
        assert "Department for Digital, Culture, Media and Sport survey" in page
        assert "Where we are locally" in page
        assert page.count("badge badge--") == Measure.objects.count()
        assert "css/print.css" in page

    def test_without_a_plan_is_a_404(self, client, db):
        get(client, reverse("pages:statement"), 404)


def test_a_revised_figure_shows_as_a_revision(client, demo):
    figure = (
        Figure.objects.published()
        .filter(measure__slug="homicides", area__slug="humberside")
        .order_by("-period_end")
        .first()
    )
    figure.previous_value = Decimal(1234)
    figure.revised_at = timezone.make_aware(datetime.datetime(2026, 3, 3, 12))
    figure.save()
    page = get(client, reverse("pages:outcome-detail", args=["reducing-the-impact-of-drugs"]))
    assert "Revised 3 March 2026; previously 1,234" in page


# Query counts: fixed, whatever the size of the data ---------------------------

# Each page reads the publishing body once, for its wording.
QUERIES = {
    "home": 11,
    "outcome": 8,
    "plan": 8,
    "measure": 10,
    "priority": 8,
    "mapping": 8,
    "statement": 8,  # the publishing body is one of them
    "chart": 7,
}


@pytest.mark.parametrize("page", QUERIES)
def test_each_page_runs_a_fixed_number_of_queries(
    client, demo, page, django_assert_num_queries, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0  # count the page's own queries, not the cache's
    url = public_urls()[page]
    client.get(url)  # warm the caches that are not per request (content types, …)
    with django_assert_num_queries(QUERIES[page]):
        client.get(url)
    figures, outcomes = Figure.objects.count(), LocalOutcome.objects.count()
    double_demo()
    assert Figure.objects.count() >= 2 * figures
    assert LocalOutcome.objects.count() >= 2 * outcomes
    with django_assert_num_queries(QUERIES[page]):
        client.get(url)
    assert QUERIES[page] <= 12


@pytest.mark.parametrize("page", QUERIES)
def test_a_cached_page_costs_one_query_until_the_data_changes(
    client, demo, page, django_assert_num_queries
):
    url = public_urls()[page]
    first = client.get(url)
    with django_assert_num_queries(1):  # the data version
        second = client.get(url)
    assert second.content == first.content
    assert second["X-Cache"] == "hit"
    figure = Figure.objects.published().filter(area__slug="humberside").first()
    figure.note = "Corrected after the latest release."
    figure.save()
    assert client.get(url)["X-Cache"] == "miss"
