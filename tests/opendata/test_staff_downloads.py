"""Staff downloads: drafts included, with a publication_status column, for
users with the export permission only; as a page with the filters and as an
admin action on a selection."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from measures.admin import FigureAdmin
from measures.models import Figure, PublicationStatus
from opendata.admin_actions import export_figures_csv, export_figures_csv_for_excel
from opendata.columns import STAFF_FIGURE_COLUMNS, names

from ..factories import FigureFactory, UserFactory
from .helpers import BOM, content, csv_header, csv_rows

STAFF_EXPORT_COLUMNS = names(STAFF_FIGURE_COLUMNS)

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures():
    published = FigureFactory(measure__slug="burglaries", value=Decimal("12.5"))
    draft = FigureFactory(
        measure=published.measure,
        area=published.area,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        value=Decimal("11"),
        status=PublicationStatus.DRAFT,
        note="=cmd|' /C calc'!A0",
    )
    return published, draft


@pytest.fixture
def publisher(login_as):
    return login_as("Publisher")


# The roles as the roles migration makes them: publishers may export, data
# entry staff may not.
EXPECTED = {"anonymous": 302, "staff": 403, "Data entry": 403, "Publisher": 200, "superuser": 200}


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize(
    "name", ["opendata:staff", "opendata:staff-figures-csv", "opendata:staff-figures-json"]
)
def test_only_users_with_the_export_permission_get_in(client, login_as, figures, who, name):
    login_as(who)
    response = client.get(reverse(name))
    assert response.status_code == EXPECTED[who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("admin:login"))


def test_the_staff_csv_has_drafts_and_their_status(client, publisher, figures):
    response = client.get(reverse("opendata:staff-figures-csv"))
    assert csv_header(response) == list(STAFF_EXPORT_COLUMNS)
    assert STAFF_EXPORT_COLUMNS[-1] == "publication_status"
    rows = csv_rows(response)
    assert [(r["period_end"], r["publication_status"]) for r in rows] == [
        ("2019-06-30", "published"),
        ("2025-03-31", "draft"),
    ]
    assert rows[1]["note"] == "'=cmd|' /C calc'!A0"
    assert "figures-with-drafts-" in response["Content-Disposition"]


def test_the_staff_filters_include_publication_status(client, publisher, figures):
    rows = csv_rows(
        client.get(reverse("opendata:staff-figures-csv"), {"publication_status": "draft"})
    )
    assert [r["publication_status"] for r in rows] == ["draft"]
    response = client.get(
        reverse("opendata:staff-figures-json"), {"publication_status": "published"}
    )
    assert response.status_code == 200
    assert b'"publication_status": "published"' in content(response)
    assert b'"draft"' not in content(response)


@pytest.mark.parametrize(
    "name", ["opendata:staff", "opendata:staff-figures-csv", "opendata:staff-figures-json"]
)
def test_a_bad_staff_filter_is_a_400(client, publisher, figures, name):
    response = client.get(reverse(name), {"publication_status": "approved"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_staff_page_has_the_filters_in_the_admin_look(client, publisher, figures):
    response = client.get(reverse("opendata:staff"))
    page = response.content.decode()
    assert response.templates[0].name == "opendata/staff.html"
    assert "admin/base_site.html" in [t.name for t in response.templates]
    assert 'name="publication_status"' in page
    assert 'name="measure"' in page
    assert f'action="{reverse("opendata:staff-figures-csv")}"' in page
    assert f'formaction="{reverse("opendata:staff-figures-json")}"' in page


def test_the_public_download_still_hides_drafts_from_a_publisher(client, publisher, figures):
    rows = csv_rows(client.get(reverse("opendata:figures-csv")))
    assert len(rows) == 1


@pytest.fixture
def figure_admin_with_actions(monkeypatch):
    """The figure admin with the export actions, as the admin wires them."""
    monkeypatch.setattr(FigureAdmin, "actions", [export_figures_csv, export_figures_csv_for_excel])


def run_action(client, action, figures):
    return client.post(
        reverse("admin:measures_figure_changelist"),
        {"action": action, "_selected_action": [f.pk for f in figures]},
    )


def test_the_admin_action_downloads_the_selection_with_drafts(
    client, login_as, figures, figure_admin_with_actions
):
    published, draft = figures
    FigureFactory()  # not selected
    login_as("superuser")
    response = run_action(client, "export_figures_csv", [draft])
    assert response.status_code == 200
    rows = csv_rows(response)
    assert [(r["measure"], r["publication_status"]) for r in rows] == [("burglaries", "draft")]
    excel = run_action(client, "export_figures_csv_for_excel", [published, draft])
    body = content(excel)
    assert body.startswith(BOM)
    assert body.count(b"\n") == 3


def test_the_admin_action_refuses_staff_without_the_permission(
    client, figures, figure_admin_with_actions
):
    user = UserFactory(username="clerk", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_figure", "change_figure"])
    )
    client.force_login(user)
    response = run_action(client, "export_figures_csv", list(figures))
    assert response.status_code == 302  # back to the list, with a message
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("permission to export" in m for m in messages)
    assert Figure.objects.count() == 2
