"""The bulk entry screen: a quarter for every measure in one form."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Area, Figure, Measure, PublicationStatus
from measures.services import save_figure
from tests.factories import FigureFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:measures_figure_bulk_entry")
START, END = datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)


@pytest.fixture
def area():
    return Area.objects.get(slug="england-and-wales")


def homicides_figure(area, **fields):
    """The homicides figure for the screen's area and quarter."""
    return FigureFactory(
        measure=Measure.objects.get(slug="homicides"),
        area=area,
        period_start=START,
        period_end=END,
        **fields,
    )


def screen_url(area):
    return f"{URL}?area={area.pk}&period_start={START}&period_end={END}"


def form_data(page):
    """What the browser would send back: every row's current values."""
    data = {}
    for row in page.context["rows"]:
        for name, field in row.fields.items():
            value = row.initial.get(name, field.initial)
            key = row.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = str(value)
    return data


def prefix(measure_slug):
    return f"m{Measure.objects.get(slug=measure_slug).pk}"


@pytest.mark.parametrize(
    "role, status",
    [
        ("anonymous", 302),
        ("staff", 403),
        ("Data entry", 200),
        ("Publisher", 200),
        ("superuser", 200),
    ],
)
def test_who_may_use_bulk_entry(client, login_as, role, status, area):
    login_as(role)
    assert client.get(screen_url(area)).status_code == status
    response = client.post(screen_url(area), {f"{prefix('homicides')}-value": "5"})
    assert response.status_code == (302 if role != "staff" else 403)
    assert Figure.objects.filter(area=area).exists() is (status == 200)


def test_one_row_per_measure_with_bounds_only_for_surveys(client, login_as, area):
    login_as("Data entry")
    page = client.get(screen_url(area))
    rows = page.context["rows"]
    assert [row.measure for row in rows] == list(Measure.objects.order_by("order", "name"))
    for row in rows:
        assert ("lower" in row.fields) is row.measure.is_survey
    text = page.content.decode()
    assert f'name="{prefix("victim-satisfaction")}-lower"' in text
    assert f'name="{prefix("homicides")}-lower"' not in text


def test_a_choice_that_does_not_make_sense_is_explained(client, login_as, area):
    login_as("Data entry")
    page = client.get(f"{URL}?area={area.pk}&period_start=2024-06-30&period_end=2024-04-01")
    assert "The period cannot end before it starts." in page.content.decode()
    assert "rows" not in page.context


def test_saves_every_measure_as_drafts_and_leaves_empty_rows_alone(client, login_as, area):
    user = login_as("Data entry")
    data = {
        f"{prefix('homicides')}-value": "12",
        f"{prefix('victim-satisfaction')}-value": "70.5",
        f"{prefix('victim-satisfaction')}-lower": "68",
        f"{prefix('victim-satisfaction')}-upper": "73",
        f"{prefix('victim-satisfaction')}-provisional": "on",
    }
    response = client.post(screen_url(area), data)
    assert response.status_code == 302
    figures = Figure.objects.filter(area=area, period_start=START, period_end=END)
    assert figures.count() == 2
    satisfaction = figures.get(measure__slug="victim-satisfaction")
    assert (satisfaction.value, satisfaction.lower, satisfaction.upper) == (Decimal("70.5"), 68, 73)
    assert satisfaction.provisional
    assert {f.status for f in figures} == {PublicationStatus.DRAFT}
    assert {f.created_by for f in figures} == {user}
    assert satisfaction.history.get().history_change_reason == "Bulk entry"


def test_existing_values_are_shown_and_can_be_corrected(client, login_as, area):
    login_as("Data entry")
    figure = homicides_figure(area, value=Decimal("9"), status=PublicationStatus.DRAFT)
    page = client.get(screen_url(area))
    assert 'value="9.0000"' in page.content.decode()
    data = form_data(page)
    data[f"{prefix('homicides')}-value"] = "10"
    assert client.post(screen_url(area), data).status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.version) == (10, 2)


def test_one_bad_row_saves_nothing_and_says_which(client, login_as, area):
    login_as("Data entry")
    data = {
        f"{prefix('homicides')}-value": "12",
        f"{prefix('victim-satisfaction')}-value": "120",
    }
    page = client.post(screen_url(area), data)
    assert page.status_code == 200
    assert "A percentage cannot be more than 100." in page.content.decode()
    assert not Figure.objects.filter(area=area, period_end=END).exists()


def test_data_entry_sees_published_figures_locked_a_publisher_can_revise_them(
    client, login_as, area
):
    figure = homicides_figure(area, value=Decimal("9"))
    login_as("Data entry")
    page = client.get(screen_url(area))
    assert "only a publisher can change it" in page.content.decode()
    client.post(screen_url(area), {f"{prefix('homicides')}-value": "99"})
    figure.refresh_from_db()
    assert figure.value == 9

    login_as("Publisher")
    data = form_data(client.get(screen_url(area)))
    data[f"{prefix('homicides')}-value"] = "11"
    refused = client.post(screen_url(area), data)  # a public revision needs its reason
    assert "Say why the published value changes" in refused.content.decode()
    data["reason_for_revision"] = "The force recounted."
    assert client.post(screen_url(area), data).status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.previous_value, figure.is_published) == (11, 9, True)
    assert figure.revision_reason == "The force recounted."


def test_a_row_changed_by_someone_else_meanwhile_is_refused(client, login_as, area):
    login_as("Data entry")
    figure = homicides_figure(area, value=Decimal("9"), status=PublicationStatus.DRAFT)
    data = form_data(client.get(screen_url(area)))
    other = UserFactory(username="other", first_name="Ola", is_staff=True, is_superuser=True)
    figure.value = Decimal("30")
    save_figure(figure=figure, user=other, expected_version=1)

    data[f"{prefix('homicides')}-value"] = "10"
    data[f"{prefix('firearm-discharges')}-value"] = "4"
    page = client.post(screen_url(area), data)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Someone else changed this figure" in text and "Ola" in text
    figure.refresh_from_db()
    assert figure.value == 30
    assert not Figure.objects.filter(measure__slug="firearm-discharges", area=area).exists()

    # Saving again, having seen the other change, overwrites it deliberately.
    (row,) = [r for r in page.context["rows"] if r.measure.slug == "homicides"]
    resend = dict(row.data.items())
    assert client.post(screen_url(area), resend).status_code == 302
    figure.refresh_from_db()
    assert figure.value == 10
