"""The bulk entry screen: a quarter for every measure in one form."""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from measures.models import Area, Figure, Framework, Measure, PublicationStatus
from measures.services import save_figure
from tests.factories import FigureFactory, MeasureFactory, UserFactory

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
    MeasureFactory(order=0)  # of a newer framework, ordered before every national measure
    page = client.get(screen_url(area))
    rows = page.context["rows"]
    assert sorted(row.measure.pk for row in rows) == sorted(
        Measure.objects.values_list("pk", flat=True)
    )
    # Each framework's measures together, the oldest framework's first.
    frameworks = [row.measure.priority_area.framework for row in rows]
    assert len(list(itertools.groupby(frameworks))) == len(set(frameworks)) > 1
    assert frameworks[0] == Framework.objects.order_by("date_communicated").first()
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
    assert 'value="9"' in page.content.decode()
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


# Choosing the period by its label -------------------------------------------


def last_quarter_end(today: datetime.date) -> datetime.date:
    """The end of the last quarter (March, June, September, December) that has ended."""
    day = today.replace(day=1) - datetime.timedelta(days=1)
    while day.month % 3:
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return day


def newest_year() -> tuple[datetime.date, datetime.date]:
    end = last_quarter_end(timezone.localdate())
    return end.replace(year=end.year - 1, day=1) + relativedelta(months=1), end


def option(text: str, value: str) -> re.Match | None:
    return re.search(rf'<option value="{re.escape(value)}"( selected)?>([^<]*)</option>', text)


def test_the_period_is_chosen_by_its_label_the_newest_by_default(client, login_as, area):
    login_as("Data entry")
    start, end = newest_year()
    value = f"{start.isoformat()}/{end.isoformat()}"
    first = option(client.get(URL).content.decode(), value)
    assert first and first.group(1) == " selected"
    assert first.group(2).startswith(f"12 months to {end:%B %Y}")
    page = client.get(f"{URL}?area={area.pk}&period={value}")
    assert f"{area}, 12 months to {end:%B %Y}" in page.content.decode()
    data = form_data(page)
    data[f"{prefix('homicides')}-value"] = "41"
    assert client.post(f"{URL}?area={area.pk}&period={value}", data).status_code == 302
    saved = Figure.objects.get(measure__slug="homicides", area=area)
    assert (saved.period_start, saved.period_end, saved.value) == (start, end, 41)


def test_typed_dates_take_the_place_of_the_chosen_period(client, login_as, area):
    login_as("Data entry")
    start, end = newest_year()
    page = client.get(
        f"{URL}?area={area.pk}&period={start}/{end}&period_start={START}&period_end={END}"
    )
    assert (page.context["period_start"], page.context["period_end"]) == (START, END)
    assert "Q1 2024/25" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"period_start={START}", "Give both dates, or neither"),
        (f"period_end={END}", "Give both dates, or neither"),
        ("period=2024-04-01/2024-06-30x", "Select a valid choice"),
        ("period=2099-01-01/2099-12-31", "Select a valid choice"),
        ("period=", "Choose a period, or type its dates."),
    ],
)
def test_a_period_that_cannot_be_used_is_explained(client, login_as, area, query, message):
    login_as("Data entry")
    page = client.get(f"{URL}?area={area.pk}&{query}")
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "rows" not in page.context


def test_values_are_shown_as_typed_without_trailing_zeros(client, login_as, area):
    login_as("Data entry")
    homicides_figure(area, value=Decimal("2.5"), status=PublicationStatus.DRAFT)
    FigureFactory(
        measure=Measure.objects.get(slug="victim-satisfaction"),
        area=area,
        period_start=START,
        period_end=END,
        value=Decimal("70"),
        lower=Decimal("68.25"),
        upper=Decimal("72"),
        status=PublicationStatus.DRAFT,
    )
    text = client.get(screen_url(area)).content.decode()
    for shown in ('value="2.5"', 'value="70"', 'value="68.25"', 'value="72"'):
        assert shown in text
    assert "0000" not in text


def test_the_area_last_used_is_chosen_next_time(client, login_as, area):
    login_as("Data entry")
    client.get(screen_url(area))
    assert option(client.get(URL).content.decode(), str(area.pk)).group(1) == " selected"


def hidden_fields(text: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text)


def test_a_publisher_saves_and_publishes_after_confirming_what_goes_public(client, login_as, area):
    login_as("Publisher")
    homicides_figure(area, value=Decimal("30"), status=PublicationStatus.DRAFT)
    page = client.get(screen_url(area))
    assert 'name="_publish" value="Save and publish…"' in page.content.decode()
    data = form_data(page)
    data[f"{prefix('victim-satisfaction')}-value"] = "70.5"
    data["_publish"] = "Save and publish…"
    confirmation = client.post(screen_url(area), data)
    text = confirmation.content.decode()
    assert confirmation.status_code == 200 and "Publish these figures?" in text
    # Both drafts of the screen, the one saved before and the one just typed.
    assert "Yes, publish 2 figures" in text
    changelist = reverse("admin:measures_figure_changelist")
    assert f'<form method="post" action="{changelist}">' in text
    figures = Figure.objects.filter(area=area, period_start=START, period_end=END)
    assert {f.status for f in figures} == {PublicationStatus.DRAFT}
    response = client.post(
        changelist,
        dict(hidden_fields(text))
        | {
            "_selected_action": [
                pk for name, pk in hidden_fields(text) if name == "_selected_action"
            ]
        },
    )
    assert response.status_code == 302
    assert {f.status for f in figures.all()} == {PublicationStatus.PUBLISHED}
    assert figures.get(measure__slug="victim-satisfaction").value == Decimal("70.5")


def test_data_entry_cannot_publish_from_the_screen(client, login_as, area):
    login_as("Data entry")
    page = client.get(screen_url(area))
    assert "_publish" not in page.content.decode()
    data = {f"{prefix('homicides')}-value": "12", "_publish": "Save and publish…"}
    assert client.post(screen_url(area), data).status_code == 302
    assert Figure.objects.get(area=area).status == PublicationStatus.DRAFT


def test_the_admin_home_links_to_the_force_s_newest_figures(client, login_as, demo):
    login_as("Data entry")
    start, end = newest_year()
    page = client.get(reverse("admin:index")).content.decode()
    link = re.search(r'<a href="([^"]+)">Enter every measure’s figure for ([^<]+)</a>', page)
    assert link and link.group(2) == f"Humberside, 12 months to {end:%B %Y}"
    screen = client.get(link.group(1).replace("&amp;", "&"))
    assert screen.context["area"].name == "Humberside"
    assert (screen.context["period_start"], screen.context["period_end"]) == (start, end)


def test_the_admin_home_has_no_entry_link_for_those_who_cannot_enter(client, login_as):
    login_as("staff")
    assert "Enter every measure" not in client.get(reverse("admin:index")).content.decode()


def test_the_figure_forms_show_values_without_trailing_zeros(client, login_as, area):
    login_as("Data entry")
    figure = homicides_figure(area, value=Decimal("11"), status=PublicationStatus.DRAFT)
    change = client.get(reverse("admin:measures_figure_change", args=[figure.pk]))
    assert 'name="value" value="11"' in change.content.decode()
    login_as("superuser")  # who may change a measure, and so its draft figures
    measure = client.get(reverse("admin:measures_measure_change", args=[figure.measure_id]))
    assert re.search(r'name="figures-0-value" value="11"', measure.content.decode())
