"""The admin's editable lists in a real Chromium: every input in a row has a
name a screen reader can read (axe-core found 250 unnamed inputs on the
figure list), and the lists pass axe-core."""

import pytest
from django.urls import reverse

from .conftest import settled
from .test_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "name",
    [
        "admin:measures_figure_changelist",
        "admin:measures_priorityarea_changelist",
        "admin:plan_localoutcome_changelist",
    ],
)
def test_every_editable_input_in_a_list_is_named(live_site, signed_in, name):
    page = signed_in
    page.goto(live_site + reverse(name))
    settled(page)
    value = page.locator("tbody input[type=number], tbody input[type=text]").first
    assert value.get_attribute("aria-label")  # e.g. "Value: Homicides – Humberside – …"
    rules = {rule for rule, _, _ in axe_violations(page)}
    assert not rules & {"label", "label-title-only"}, rules
