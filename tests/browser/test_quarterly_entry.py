"""A quarter's national figures entered and published as office staff would,
in a real Chromium, counting what the person does: each mouse click, each
value typed, each key pressed to move on.

Before the entry screen chose its period by label and could save and publish,
the same ten figures (five with a 95% interval) took 17 clicks, 22 typed
entries and 52 presses of Tab on the quickest path (the person below, on the
code before the change): the figure list, bulk entry, the area chosen
(2 clicks), both dates typed, the values, "Save as drafts", then the figure
list filtered to the force's drafts, all selected, the publish action chosen
(2 clicks), "Go" and the confirmation. The issue that asked for this counted
36 clicks along a slower path.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Area, Figure, Measure, PublicationStatus
from measures.periods import entry_periods

from .test_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLICKS_BEFORE = 17
KEYS_BEFORE = 52
NATIONAL = "national-crime-and-policing-measures-2021"


class Person:
    """Does what a person does on ``page``, counting it."""

    def __init__(self, page):
        self.page = page
        self.clicks = self.typed = self.keys = 0

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def type(self, text: str):
        self.page.keyboard.type(text)
        self.typed += 1

    def tab_to(self, name: str):
        """Press Tab until the input called ``name`` has the focus."""
        for _ in range(12):
            if self.page.evaluate("document.activeElement.name") == name:
                return
            self.page.keyboard.press("Tab")
            self.keys += 1
        raise AssertionError(f"Tab never reached {name}")


def quarter_to_enter():
    """The force, the newest 12 months that have ended (cleared of the demo's
    figures, as before a quarter's entry) and, per national measure, a value
    near the force's latest one, so that no entry check stops the person."""
    force = Area.objects.get(name="Humberside")
    (start, end), _ = entry_periods(timezone.localdate(), months=False)[0][1][0]
    Figure.objects.filter(area=force, period_start=start, period_end=end).delete()
    typed = {}
    # The national measures the force has figures for.
    measures = Measure.objects.filter(
        priority_area__framework__slug=NATIONAL, figures__area=force
    ).distinct()
    for measure in measures.select_related("data_source"):
        latest = Figure.objects.filter(measure=measure, area=force).order_by("-period_end")[0]
        value = round(latest.value * 101 / 100, 1)
        typed[measure] = [value, value - 2, value + 2] if measure.is_survey else [value]
    return force, start, end, typed


def test_a_quarter_s_ten_figures_take_a_third_of_the_clicks(live_site, signed_in):
    page = signed_in
    force, start, end, typed = quarter_to_enter()
    assert len(typed) == 10
    person = Person(page)
    person.click(page.get_by_role("link", name=f"Enter every measure’s figure for {force.name}"))
    rows = sorted(typed, key=lambda measure: (measure.order, measure.name))
    person.click(page.locator(f"[name=m{rows[0].pk}-value]"))
    for measure in rows:
        for name, value in zip(["value", "lower", "upper"], typed[measure], strict=False):
            person.tab_to(f"m{measure.pk}-{name}")
            person.type(str(value))
    person.click(page.get_by_role("button", name="Save and publish…"))
    page.locator("#publish-review").wait_for()
    assert page.locator("#publish-review tbody tr").count() == 10
    person.click(page.get_by_role("button", name="Yes, publish 10 figures"))
    assert "Published 10 figures" in page.locator(".messagelist").inner_text()

    published = Figure.objects.filter(
        area=force, period_start=start, period_end=end, status=PublicationStatus.PUBLISHED
    )
    assert {figure.measure: figure.value for figure in published} == {
        measure: values[0] for measure, values in typed.items()
    }
    # The link, the first value, "Save and publish…", "Yes, publish": no date
    # typed, and the national measures one after another on the screen.
    assert (person.clicks, person.typed) == (4, 20)
    assert person.clicks <= CLICKS_BEFORE // 3
    assert person.keys < KEYS_BEFORE


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_the_entry_screen_passes_axe(live_site, signed_in, width):
    page = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_site + reverse("admin:index"))
    page.get_by_role("link", name="Enter every measure’s figure for Humberside").click()
    page.locator("#bulk-entry").wait_for()
    assert page.locator("#bulk-entry tbody tr").count() > 10
    assert axe_violations(page) == []
