"""The measure page's period selects are written in Python, for speed: they
must give exactly what Django's own select gives, escaping included."""

import pytest
from django import forms

from pages.forms import PeriodSelect

CHOICES = [
    ("", "Choose a period"),
    ("2025-07-01..2026-06-30", "12 months to June 2026"),
    ("2024-07-01..2025-06-30", "12 months to June 2025"),
    ('x"<&>', "Tom & Jerry <b>\u201cquoted\u201d</b>"),
]


@pytest.mark.parametrize("value", [None, "", "2024-07-01..2025-06-30", 'x"<&>', "not one"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "choose-from"}, {"id": 'a"b', "required": True, "hidden": False}]
)
def test_the_same_html_as_djangos_select(value, attrs):
    django_select = forms.Select(choices=CHOICES).render("from", value, attrs=attrs)
    ours = PeriodSelect(choices=CHOICES).render("from", value, attrs=attrs)
    assert ours == django_select
    assert str(ours).count("<option") == len(CHOICES)
