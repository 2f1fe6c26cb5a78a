"""Every input in an admin table row is named by its field and its row: the
tabular inlines' rows here (the change lists' in tests/browser/test_admin_lists.py)."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin_rows import NamedListRowsAdmin, NamedRowsInline
from measures.models import Figure, Measure

pytestmark = pytest.mark.django_db


class Controls(HTMLParser):
    """The visible form controls of a page, by name: their aria-label."""

    def __init__(self):
        super().__init__()
        self.labels = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            self.labels[attrs.get("name")] = attrs.get("aria-label")


def controls(html: str) -> dict[str, str | None]:
    parser = Controls()
    parser.feed(html)
    return parser.labels


def test_every_tabular_inline_names_its_inputs():
    tabular = [
        inline
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        if issubclass(inline, admin.TabularInline)
    ]
    assert len(tabular) >= 8
    for inline in tabular:
        assert issubclass(inline, NamedRowsInline), inline


def test_every_editable_list_names_its_inputs():
    editable = [
        model_admin for model_admin in admin.site._registry.values() if model_admin.list_editable
    ]
    assert len(editable) >= 3
    for model_admin in editable:
        assert isinstance(model_admin, NamedListRowsAdmin), model_admin


def test_an_inline_rows_inputs_are_named_by_field_and_row(admin_client, demo):
    measure = Measure.objects.get(slug="homicides")
    drafts = list(Figure.objects.drafts().filter(measure=measure).order_by("pk"))
    assert len(drafts) == 2
    page = admin_client.get(reverse("admin:measures_measure_change", args=[measure.pk]))
    labels = controls(page.content.decode())
    rows = {
        name: label
        for name, label in labels.items()
        if re.fullmatch(r"figures-(\d+|__prefix__)-\w+", name or "")
    }
    assert rows and None not in rows.values(), rows
    # Each saved draft's own record, the area's autocomplete included: the
    # admin's wrapper around it shares one set of attributes between forms.
    assert rows["figures-0-value"] == f"Value: {drafts[0]}"
    assert rows["figures-1-area"] == f"Area: {drafts[1]}"
    assert rows["figures-0-area"] != rows["figures-1-area"]
    assert rows["figures-1-DELETE"] == f"Delete: {drafts[1]}"
    # The empty rows, and the template row that "Add another" copies.
    assert rows["figures-2-value"] == "Value: new figure"
    assert rows["figures-__prefix__-period_end"] == "Period end: new figure"
    # The header of the record's own column says what it is.
    assert '<th class="original"><span class="visually-hidden">Record</span></th>' in (
        page.content.decode()
    )
