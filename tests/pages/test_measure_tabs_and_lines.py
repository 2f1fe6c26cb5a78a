"""The measure page's latest periods, and the tables that fit a phone."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from pages.views import RECENT_PERIODS, recent_rows
from plan.models import StatementEdition


def line(local=None, national=None, label=""):
    return SimpleNamespace(local=local, national=national, label=label)


class TestRecentRows:
    def test_keeps_the_latest_periods_with_a_figure_and_the_target_after_them(self):
        rows = [line(local=f"x{i}", label=f"p{i}") for i in range(12)] + [
            line(label="Target by 2027")
        ]
        shown = recent_rows(rows)
        assert [r.label for r in shown] == [f"p{i}" for i in range(4, 12)] + ["Target by 2027"]

    def test_counts_a_period_with_only_the_national_figure(self):
        rows = [line(local="x", label="a")] + [
            line(national=f"x{i}", label=f"n{i}") for i in range(8)
        ]
        assert [r.label for r in recent_rows(rows)] == [f"n{i}" for i in range(8)]

    @pytest.mark.parametrize("count", [0, 1, RECENT_PERIODS])
    def test_a_short_series_is_shown_whole(self, count):
        rows = [line(local=f"x{i}") for i in range(count)]
        assert recent_rows(rows) == rows

    def test_one_more_than_shown_leaves_the_oldest_out(self):
        rows = [line(local=f"x{i}", label=str(i)) for i in range(RECENT_PERIODS + 1)]
        assert [r.label for r in recent_rows(rows)] == [str(i) for i in range(1, 9)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "labels"),
    [
        (reverse("pages:statement"), ["Latest figure", "Baseline", "Change", "Status"]),
        (
            reverse("pages:priority-detail", args=["tackle-cyber-crime"]),
            ["Period", "Latest figure", "Baseline", "Change", "Status"],
        ),
    ],
)
def test_the_tables_of_latest_figures_stack_on_a_phone(client, demo, url, labels):
    """Their change and status are never off screen: each row becomes a
    block, each cell labelled; the roles keep it a table for a screen reader."""
    StatementEdition.objects.all().delete()  # the statement as the figures make it
    page = client.get(url).content.decode()
    table = page.split('<table class="data-table stack-table" role="table">')[1]
    first_row = table.split('<tr role="row">')[2].split("</tr>")[0]
    assert re.findall(r'data-label="([^"]+)"', first_row) == labels
    assert first_row.count('role="cell"') == len(labels)
    assert '<th scope="row" role="rowheader">' in first_row
