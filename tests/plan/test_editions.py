"""Statement editions: written by staff, published by a Publisher, kept as
published (figures, changes, verdicts and PDF), at lasting addresses."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from measures.formatting import format_change
from measures.models import Figure, Framework, PublicationStatus, Unit
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
        # The demo's last published period: the edition states its figures.
        edition = draft(end=datetime.date(2026, 6, 30))
        edition = publish_edition(edition=edition, user=user_in_role("Publisher"))
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


def figure_ending(slug: str, end: datetime.date) -> Figure:
    return Figure.objects.published().get(
        measure__slug=slug, area__slug="humberside", period_end=end
    )


def row_of(page: str, measure: str) -> str:
    """The edition table's row for ``measure``."""
    rows = re.findall(r'<tr role="row">.*?</tr>', page, re.S)
    return next(row for row in rows if f">{measure} <" in row)


MARCH_2025, MARCH_2023 = datetime.date(2025, 3, 31), datetime.date(2023, 3, 31)


class TestFiguresCutAtPeriodEnd:
    """An edition states the figures of its own period and its comparison,
    however much newer figures exist when it is published."""

    @pytest.fixture
    def earlier(self, demo):
        edition = draft("2024-25-q4", end=MARCH_2025)
        edition.comparison = "12 months to March 2025 compared with the 12 months to March 2023"
        edition.comparison_end = MARCH_2023
        edition.save()
        return publish_edition(edition=edition, user=user_in_role("Publisher"))

    def test_the_page_and_snapshot_state_the_periods_figures_and_change(self, client, earlier):
        newest = homicides_latest()
        assert newest.period_end > MARCH_2025  # newer figures exist at publication
        then, before = (
            figure_ending("homicides", MARCH_2025),
            figure_ending("homicides", MARCH_2023),
        )
        stated = earlier.snapshot["priorities"][0]["measures"][0]
        assert stated["slug"] == "homicides"
        assert stated["latest"]["figure_id"] == then.pk
        assert stated["comparison"]["figure_id"] == before.pk
        change = (then.value - before.value) / before.value * 100
        expected = format_change(change, Unit.COUNT, 1)
        # Not the change against the baseline that the figure itself stores.
        assert expected != format_change(then.change, Unit.COUNT, 1)
        assert stated["change"] == expected

        row = row_of(client.get(earlier.get_absolute_url()).content.decode(), "Homicides")
        assert f'{then.value:.0f} <span class="period">(12 months to March 2025)' in row
        assert f'{before.value:.0f} <span class="period">(12 months to March 2023)' in row
        assert expected in row
        assert "June 2026" not in row and "June 2019" not in row

    def test_a_measure_without_a_figure_for_the_period_says_so(self, client, earlier):
        # An annual survey (12 months to June): no figure ends in March.
        slug = "businesses-cyber-breach-or-attack"
        assert (
            Figure.objects.published()
            .filter(measure__slug=slug, period_end__lt=MARCH_2025)
            .exists()
        )
        stated = next(
            m for p in earlier.snapshot["priorities"] for m in p["measures"] if m["slug"] == slug
        )
        assert stated["latest"] is None and stated["comparison"] is None
        assert stated["status"] == "not-enough-data" and stated["change"] == "Not available"
        page = client.get(earlier.get_absolute_url()).content.decode()
        row = row_of(page, stated["name"])
        assert "No figure for this period" in row
        assert "No figure for the period ending 31 March 2025 had been published" in row
        assert "No figure for the period ending 31 March 2023" in row
        assert "12 months to June" not in row  # no other period in its place

    def test_without_a_stated_comparison_the_baseline_is_used(self, demo):
        edition = publish_edition(
            edition=draft("2024-25-q4", end=MARCH_2025), user=user_in_role("Publisher")
        )
        stated = edition.snapshot["priorities"][0]["measures"][0]
        then = figure_ending("homicides", MARCH_2025)
        assert stated["latest"]["figure_id"] == then.pk
        assert stated["comparison_label"] == "12 months to June 2019"
        # The same verdict the figure stores against its baseline.
        assert stated["change"] == format_change(then.change, Unit.COUNT, 1)
        assert stated["status"] == then.verdict

    @pytest.mark.parametrize("day", [datetime.date(2026, 9, 30), datetime.date(2026, 10, 1)])
    def test_the_comparison_must_end_before_the_period(self, demo, day):
        edition = draft()
        edition.comparison_end = day
        with pytest.raises(ValidationError, match="must end before the reporting period ends"):
            edition.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            edition.save()


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
    client, demo_editions, page, django_assert_num_queries, settings, monkeypatch
):
    from tests.public_helpers import double_demo

    settings.PUBLIC_CACHE_SECONDS = 0
    url = urls()[page]
    client.get(url)
    with django_assert_num_queries(PAGES[page]):
        assert client.get(url).status_code == 200
    double_demo()  # more figures, measures, priority areas and frameworks
    # The extra editions' PDFs are never read here: a stand-in for each
    # rather than a second or two of WeasyPrint.
    monkeypatch.setattr("plan.editions.render_pdf", lambda html: b"%PDF-1.7 stand-in")
    for n in range(3):
        draft(f"extra-{n}", end=datetime.date(2020 + n, 3, 31))
        publish_edition(
            edition=StatementEdition.objects.get(slug=f"extra-{n}"),
            user=user_in_role("Publisher"),
        )
    assert Framework.objects.count() > 3 and StatementEdition.objects.count() == 5
    with django_assert_num_queries(PAGES[page]):
        assert client.get(url).status_code == 200


def test_the_admin_refuses_a_comparison_ending_after_the_period_and_writes_nothing(
    admin_client, demo
):
    form = {
        "plan": Plan.objects.get().pk,
        "framework": Framework.objects.get(slug=NCPM).pk,
        "title": "Statement, Q4 2024/25",
        "slug": "2024-25-q4",
        "period_start": "2025-01-01",
        "period_end": "2025-03-31",
        "comparison": "12 months to March 2025 compared with the 12 months to March 2026",
        "comparison_end": "2026-03-31",
        **{
            f"{prefix}-{key}": value
            for prefix in ("priorities", "peel_grades")
            for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        },
    }
    page = admin_client.post(reverse("admin:plan_statementedition_add"), form)
    assert page.status_code == 200
    assert "must end before the reporting period ends" in page.content.decode()
    assert not StatementEdition.objects.exists()
    form["comparison_end"] = "2023-03-31"
    assert admin_client.post(reverse("admin:plan_statementedition_add"), form).status_code == 302
    assert StatementEdition.objects.get().comparison_end == MARCH_2023
