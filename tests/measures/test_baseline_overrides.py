"""A measure's baseline for one area: set by publishers in the admin, kept in
history, used by the area's page and listed in the measures download."""

import datetime

import pytest
from django.urls import reverse

from measures.models import Area, BaselineOverride, Measure
from tests.opendata.helpers import csv_rows

pytestmark = pytest.mark.django_db

ADD = "admin:measures_baselineoverride_add"


def form(measure, area, start="2019-04-01", end="2020-03-31", reason="As the force publishes"):
    return {
        "measure": measure.pk,
        "area": area.pk,
        "baseline_start": start,
        "baseline_end": end,
        "reason": reason,
    }


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("Data entry", False), ("Publisher", True), ("superuser", True)],
)
def test_who_may_set_a_baseline_for_an_area(client, login_as, demo, role, allowed):
    login_as(role)
    measure, area = Measure.objects.get(slug="homicides"), Area.objects.get(slug="humberside")
    response = client.post(reverse(ADD), form(measure, area))
    assert BaselineOverride.objects.filter(measure=measure, area=area).exists() is allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)  # the sign-in page, or refused
        if role != "anonymous":
            assert response.status_code == 403


def test_every_change_is_kept_in_its_history_and_shown(client, login_as, demo):
    user = login_as("Publisher")
    measure, area = Measure.objects.get(slug="homicides"), Area.objects.get(slug="humberside")
    client.post(reverse(ADD), form(measure, area))
    override = BaselineOverride.objects.get(measure=measure, area=area)
    change = reverse("admin:measures_baselineoverride_change", args=[override.pk])
    client.post(change, form(measure, area, start="2019-01-01", end="2019-12-31"))
    history = list(override.history.order_by("history_date"))
    assert [(h.baseline_start, h.history_user) for h in history] == [
        (datetime.date(2019, 4, 1), user),
        (datetime.date(2019, 1, 1), user),
    ]
    page = client.get(reverse("admin:measures_baselineoverride_history", args=[override.pk]))
    assert page.status_code == 200
    assert user.get_username() in page.content.decode()


def test_a_bad_baseline_writes_nothing(client, login_as, demo):
    login_as("Publisher")
    measure, area = Measure.objects.get(slug="homicides"), Area.objects.get(slug="humberside")
    response = client.post(reverse(ADD), form(measure, area, start="2020-03-31", end="2019-04-01"))
    assert response.status_code == 200
    assert "The baseline cannot end before it starts." in response.content.decode()
    assert not BaselineOverride.objects.exists()


def test_the_area_page_compares_with_its_own_baseline(client, demo):
    measure, area = Measure.objects.get(slug="homicides"), Area.objects.get(slug="humberside")
    BaselineOverride.objects.create(
        measure=measure,
        area=area,
        baseline_start=datetime.date(2019, 4, 1),
        baseline_end=datetime.date(2020, 3, 31),
    )
    page = client.get(reverse("pages:measure-detail", args=["homicides"])).content.decode()
    assert 'Baseline <span class="period">12 months to March 2020</span>' in page
    national = client.get(
        reverse("pages:measure-detail", args=["homicides"]), {"area": "england-and-wales"}
    ).content.decode()
    assert 'Baseline <span class="period">12 months to June 2019</span>' in national


def test_the_measures_download_lists_each_area_s_baseline(client, demo):
    measure = Measure.objects.get(slug="homicides")
    for slug, year in (("humberside", 2020), ("england-and-wales", 2019)):
        BaselineOverride.objects.create(
            measure=measure,
            area=Area.objects.get(slug=slug),
            baseline_start=datetime.date(year - 1, 4, 1),
            baseline_end=datetime.date(year, 3, 31),
        )
    rows = {r["measure"]: r for r in csv_rows(client.get(reverse("opendata:measures-csv")))}
    assert rows["homicides"]["area_baselines"] == (
        "england-and-wales: 2018-04-01..2019-03-31; humberside: 2019-04-01..2020-03-31"
    )
    assert rows["firearm-discharges"]["area_baselines"] == ""
