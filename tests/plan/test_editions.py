"""Statement editions: written by staff, published by a Publisher, kept as
published (figures, changes, verdicts and PDF), at lasting addresses."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Figure, Framework, PublicationStatus
from plan.editions import EditionNotReady, ensure_priorities, publish_edition
from plan.models import Applies, EditionStatus, Plan, StatementEdition

from ..factories import user_in_role

pytestmark = pytest.mark.django_db

NCPM = "national-crime-and-policing-measures-2021"


def draft(slug="2026-27-q2", *, answered=True, framework=NCPM, end=datetime.date(2026, 9, 30)):
    edition = StatementEdition.objects.create(
        plan=Plan.objects.get(),
        framework=Framework.objects.get(slug=framework),
        slug=slug,
        title=f"Statement {slug}",
        period_start=end.replace(day=1) - datetime.timedelta(days=60),
        period_end=end,
        comparison="12 months to September 2026 compared with the 12 months to June 2019",
        peel_url="https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/humberside-2023-25/",
    )
    ensure_priorities(edition)
    if answered:
        edition.priorities.update(applies=Applies.YES, contribution="Our contribution.")
    return edition


def publish_in_admin(client, edition):
    return client.post(
        reverse("admin:plan_statementedition_changelist"),
        {"action": "publish", "_selected_action": [edition.pk]},
        follow=True,
    )


class TestPublishing:
    def test_a_publisher_publishes_and_the_admin_log_says_so(self, client, demo, login_as):
        edition = draft()
        login_as("Publisher")
        page = publish_in_admin(client, edition).content.decode()
        assert "Published “Statement 2026-27-q2”" in page
        edition.refresh_from_db()
        assert edition.status == EditionStatus.PUBLISHED
        assert edition.published_by.username == "publisher"
        assert bytes(edition.pdf).startswith(b"%PDF-")
        assert edition.history.count() >= 2  # created, then published

    def test_publishing_without_a_7b_answer_is_refused_naming_the_priority(
        self, client, demo, login_as
    ):
        edition = draft()
        edition.priorities.filter(priority_area__slug="tackle-cyber-crime").update(applies="")
        edition.priorities.filter(priority_area__slug="reduce-serious-violence").update(
            applies=Applies.NO, reason=""
        )
        login_as("Publisher")
        page = publish_in_admin(client, edition).content.decode()
        assert "Not published" in page
        assert "Reduce serious violence; Tackle cyber crime." in page
        edition.refresh_from_db()
        assert edition.status == EditionStatus.DRAFT and edition.snapshot is None

    def test_not_applicable_with_its_reason_is_published_and_shown(self, client, demo):
        edition = draft()
        edition.priorities.filter(priority_area__slug="tackle-cyber-crime").update(
            applies=Applies.NO, reason="Cyber crime is led regionally here."
        )
        publish_edition(edition=edition, user=user_in_role("Publisher"))
        page = client.get(edition.get_absolute_url()).content.decode()
        assert "Does not apply in our area.</strong> Cyber crime is led regionally here." in page

    @pytest.mark.parametrize("role", ["Data entry", "staff"])
    def test_only_a_publisher_may_publish(self, client, demo, login_as, role):
        edition = draft()
        login_as(role)
        publish_in_admin(client, edition)
        edition.refresh_from_db()
        assert edition.status == EditionStatus.DRAFT
        with pytest.raises(Exception, match="Only a Publisher"):
            publish_edition(edition=edition, user=user_in_role(role))

    def test_a_published_edition_cannot_be_published_again_or_edited(self, admin_client, demo):
        edition = draft()
        publish_edition(edition=edition, user=user_in_role("Publisher"))
        with pytest.raises(EditionNotReady, match="already published"):
            publish_edition(edition=edition, user=user_in_role("Publisher"))
        change = reverse("admin:plan_statementedition_change", args=[edition.pk])
        page = admin_client.get(change).content.decode()
        assert 'name="title"' not in page  # every field read-only
        admin_client.post(change, {"title": "Changed"})
        assert StatementEdition.objects.get(pk=edition.pk).title == "Statement 2026-27-q2"

    def test_a_draft_is_not_public(self, client, demo):
        edition = draft()
        assert client.get(edition.get_absolute_url()).status_code == 404
        assert client.get(reverse("pages:statement-pdf", args=[edition.slug])).status_code == 404


def homicides_latest():
    return (
        Figure.objects.published()
        .filter(measure__slug="homicides", area__slug="humberside")
        .order_by("-period_end")
        .first()
    )


class TestAsPublished:
    def test_new_figures_move_nothing_and_a_revision_is_flagged(self, client, demo):
        edition = publish_edition(edition=draft(), user=user_in_role("Publisher"))
        url = edition.get_absolute_url()
        before = client.get(url).content.decode()
        pdf = client.get(reverse("pages:statement-pdf", args=[edition.slug])).content
        figure = homicides_latest()
        old = figure.value
        shown = edition.snapshot["priorities"][0]["measures"][0]["latest"]
        assert shown["figure_id"] == figure.pk and Decimal(shown["value"]) == old
        assert "revised since publication" not in before.lower()

        # New figures arrive: a later period, and the figure the edition used revised.
        Figure.objects.create(
            measure=figure.measure,
            area=figure.area,
            period_start=figure.period_start + datetime.timedelta(days=365),
            period_end=figure.period_end + datetime.timedelta(days=365),
            value=old * 3,
            status=PublicationStatus.PUBLISHED,
        )
        figure.previous_value, figure.value = old, old + 7
        figure.save()

        after = client.get(url).content.decode()
        assert shown["display"] in after and str(old * 3) not in after
        assert "1 figure it used has been revised" in after
        current = reverse("pages:measure-detail", args=["homicides"])
        assert f'Revised since publication: <a href="{current}">' in after
        # Everything else as published.
        notice = re.compile(r'<p class="notice".*?</p>| ?<span class="revised">.*?</span>', re.S)
        assert notice.sub("", after) == notice.sub("", before)
        assert client.get(reverse("pages:statement-pdf", args=[edition.slug])).content == pdf
        assert pdf == bytes(StatementEdition.objects.get(pk=edition.pk).pdf)

    def test_the_page_prints_with_its_dates_and_period(self, client, demo):
        edition = draft()
        publish_edition(edition=edition, user=user_in_role("Publisher"))
        page = client.get(edition.get_absolute_url()).content.decode()
        for text in ("Reporting period", "Figures as at", "Published", "css/print.css"):
            assert text in page
        assert "1 June 2026 to 30 September 2026" in page or "September 2026" in page
        response = client.get(reverse("pages:statement-pdf", args=[edition.slug]))
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="statement-2026-27-q2.pdf"' in response["Content-Disposition"]


class TestAddresses:
    def test_statement_shows_the_newest_and_the_archive_lists_all(self, client, demo):
        older = draft("2025-26-q4", end=datetime.date(2026, 3, 31))
        newer = draft("2026-27-q2")
        for edition in (older, newer):
            publish_edition(edition=edition, user=user_in_role("Publisher"))
        page = client.get(reverse("pages:statement")).content.decode()
        assert "<h1>Statement 2026-27-q2</h1>" in page
        archive = client.get(reverse("pages:statement-archive")).content.decode()
        assert archive.index("Statement 2026-27-q2") < archive.index("Statement 2025-26-q4")
        assert client.get("/statement/2025-26-q4/").status_code == 200

    def test_before_any_edition_the_statement_is_the_live_one(self, client, demo):
        page = client.get(reverse("pages:statement")).content.decode()
        assert "Where we are locally" in page
        assert (
            "No edition has been published yet"
            in client.get(reverse("pages:statement-archive")).content.decode()
        )


def test_the_demo_has_two_frameworks_and_an_archive(client, demo_editions):
    archive = client.get(reverse("pages:statement-archive")).content.decode()
    assert "Neighbourhood Policing Guarantee" in archive
    assert "National Crime and Policing Measures" in archive
    page = client.get(reverse("pages:statement")).content.decode()
    assert "Neighbourhood Policing Guarantee: statement, July to September 2026" in page
    assert "Illustrative edition" in page


# Query counts: fixed whatever the number of frameworks, editions and figures.

# Each page: its edition(s), the figures an edition used (to flag revisions,
# none for an edition without figures) and the publishing body.
PAGES = {"statement": 2, "edition": 3, "archive": 2, "pdf": 1}


def urls():
    return {
        "statement": reverse("pages:statement"),
        "edition": reverse("pages:statement-edition", args=["2024-25"]),
        "archive": reverse("pages:statement-archive"),
        "pdf": reverse("pages:statement-pdf", args=["2024-25"]),
    }


@pytest.mark.parametrize("page", PAGES)
def test_edition_pages_run_a_fixed_number_of_queries(
    client, demo_editions, page, django_assert_num_queries, settings
):
    from tests.public_helpers import double_demo

    settings.PUBLIC_CACHE_SECONDS = 0
    url = urls()[page]
    client.get(url)
    with django_assert_num_queries(PAGES[page]):
        assert client.get(url).status_code == 200
    double_demo()  # more figures, measures, priority areas and frameworks
    for n in range(3):
        draft(f"extra-{n}", end=datetime.date(2020 + n, 3, 31))
        publish_edition(
            edition=StatementEdition.objects.get(slug=f"extra-{n}"),
            user=user_in_role("Publisher"),
        )
    assert Framework.objects.count() > 3 and StatementEdition.objects.count() == 5
    with django_assert_num_queries(PAGES[page]):
        assert client.get(url).status_code == 200
