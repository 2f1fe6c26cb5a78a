"""The comparison page, its charts and a force's page, through HTTP: the
bar chart's order, the group's rate and the table agree with the data; bad
input is a 404 or 400 or a clear message; the query count does not grow."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compare.models import Population, SimilarGroup
from measures.models import Area, Measure
from pages.forces import MEASURES_PER_PAGE
from tests.factories import (
    AreaFactory,
    FigureFactory,
    FrameworkFactory,
    MeasureFactory,
    PlanFactory,
    PriorityAreaFactory,
)

pytestmark = pytest.mark.django_db

START, END = datetime.date(2023, 4, 1), datetime.date(2024, 3, 31)
PERIOD = "2023-04-01/2024-03-31"


def build(size: int):
    """``size`` forces with counts and mid-2023 populations, the first the
    plan's, a group of the next three; one force without a figure."""
    measure = MeasureFactory(slug="offences", baseline_start=START, baseline_end=END)
    national = Area.objects.get(slug="england-and-wales")
    forces = [AreaFactory(name=f"Force {i:02d}", slug=f"force-{i:02d}") for i in range(size)]
    PlanFactory(force_area=forces[0], is_current=True)
    group = SimilarGroup.objects.create(force=forces[0], source="Made up", illustrative=True)
    group.members.set(forces[1:4])
    data = {}
    for i, force in enumerate(forces[:-1]):
        people = 100_000 + 37_000 * ((i * 7) % size)
        count = 20 + (i * 13) % 50
        Population.objects.create(area=force, year=2023, population=people)
        FigureFactory(measure=measure, area=force, period_start=START, period_end=END, value=count)
        data[force.name] = (count, people)
    Population.objects.create(area=forces[-1], year=2023, population=50_000)
    total_count = sum(c for c, _ in data.values())
    total_people = sum(p for _, p in data.values())
    Population.objects.create(area=national, year=2023, population=total_people)
    FigureFactory(
        measure=measure, area=national, period_start=START, period_end=END, value=total_count
    )
    return measure, forces, data


def rate(count, people):
    return round(count / people * 1000, 2)


def test_bar_chart_order_group_rate_and_table_agree_with_the_data(client):
    measure, _forces, data = build(12)
    expected = sorted(data, key=lambda name: (data[name][0] / data[name][1], name))
    url = reverse("pages:measure-compare-bars", args=[measure.slug])
    payload = json.loads(client.get(url, {"period": PERIOD}).content)
    names = [label.split(" (")[0] for label in payload["labels"]]
    assert names == expected
    assert payload["values"] == [rate(*data[name]) for name in expected]
    assert payload["labels"][names.index("Force 00")] == "Force 00 (this force)"
    assert payload["labels"][names.index("Force 02")] == "Force 02 (group)"
    group = [data[f"Force {i:02d}"] for i in range(4)]
    lines = {line["label"]: line["value"] for line in payload["lines"]}
    assert lines["Most similar group"] == rate(sum(c for c, _ in group), sum(p for _, p in group))
    total = (sum(c for c, _ in data.values()), sum(p for _, p in data.values()))
    assert lines["England and Wales"] == rate(*total)

    page = client.get(reverse("pages:measure-compare", args=[measure.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="compare-table"') :]
    positions = [table.index(f">{name}</a>") for name in expected]
    assert positions == sorted(positions)  # the table lists them in the chart's order
    assert f"{rate(*data[expected[0]]):.2f}" in table
    assert "Force 11" in html[html.index("Forces not compared") :]
    assert "No figure for this period" in html
    assert "Illustrative" in html and "not the published list" in html


def test_the_funnel_chart_has_each_force_and_its_limits(client):
    measure, _forces, data = build(12)
    url = reverse("pages:measure-compare-funnel", args=[measure.slug])
    payload = json.loads(client.get(url, {"period": PERIOD}).content)
    assert sorted(p["x"] for p in payload["points"]) == sorted(p for _, p in data.values())
    assert payload["legend"] == {"group": "Similar group", "force": "Other forces"}
    for limit in payload["limits"]:
        assert all(
            lo["y"] <= hi["y"] for lo, hi in zip(limit["lower"], limit["upper"], strict=True)
        )


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("pages:measure-compare", {"area": "nowhere"}, 404),
        ("pages:measure-compare", {"period": "2023-04-01"}, 400),
        ("pages:measure-compare", {"period": "2024-03-31/2023-04-01"}, 400),
        ("pages:measure-compare-bars", {"period": "not-a-period"}, 404),
        ("pages:measure-compare-bars", {"period": "2001-01-01/2001-12-31"}, 404),
    ],
)
def test_bad_input(client, path, query, status):
    measure, _, _ = build(5)
    assert client.get(reverse(path, args=[measure.slug]), query).status_code == status


def test_unknown_measure_and_force_are_404(client):
    build(5)
    assert client.get(reverse("pages:measure-compare", args=["nope"])).status_code == 404
    assert client.get(reverse("pages:area-detail", args=["nope"])).status_code == 404
    assert client.get(reverse("pages:area-detail", args=["england-and-wales"])).status_code == 404


def test_a_period_with_no_figures_says_so(client):
    measure, _, _ = build(5)
    page = client.get(
        reverse("pages:measure-compare", args=[measure.slug]), {"period": "2001-01-01/2001-12-31"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "No force has a published figure for this period." in html
    assert "data-chart-url" not in html


def test_a_forces_page_places_it_among_all_forces_and_in_its_group(client):
    measure, _forces, data = build(12)
    assert client.get(reverse("pages:areas")).url == reverse("pages:area-detail", args=["force-00"])
    html = client.get(reverse("pages:area-detail", args=["force-00"])).content.decode()
    ordered = sorted(data, key=lambda name: data[name][0] / data[name][1])
    group = sorted(
        (f"Force {i:02d}" for i in range(4)), key=lambda name: data[name][0] / data[name][1]
    )
    assert f"{ordered.index('Force 00') + 1} of 11 from the lowest" in html
    assert f"{group.index('Force 00') + 1} of 4 from the lowest" in html
    assert measure.name in html


def queries(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query or {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "args", "query", "count"),
    [
        ("pages:measure-compare", ["offences"], {}, 10),
        ("pages:measure-compare-bars", ["offences"], {"period": PERIOD}, 8),
        ("pages:measure-compare-funnel", ["offences"], {"period": PERIOD}, 8),
        ("pages:area-detail", ["force-00"], {}, 12),
    ],
)
def test_query_counts_do_not_grow(client, name, args, query, count):
    measure, _, _ = build(6)
    url = reverse(name, args=args)
    small = queries(client, url, query)
    other = MeasureFactory(slug="offences-2", baseline_start=START, baseline_end=END)
    for i in range(30):
        force = AreaFactory(name=f"Extra {i:02d}", slug=f"extra-{i:02d}")
        for year in (2022, 2023):
            Population.objects.create(area=force, year=year, population=200_000 + i)
        for m in (measure, other):
            FigureFactory(measure=m, area=force, period_start=START, period_end=END, value=30 + i)
            FigureFactory(
                measure=m,
                area=force,
                period_start=datetime.date(2022, 4, 1),
                period_end=datetime.date(2023, 3, 31),
                value=20 + i,
            )
    assert queries(client, url, query) == small == count


def measure_rows(html: str) -> list[str]:
    """The names of the measures a force's page lists, in its order."""
    table = html[html.index('id="area-caption"') : html.index("</table>")]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


def many_measures():
    """A page and a half of measures in a scrambled order: two frameworks'
    (the older one's second priority area holding the lowest-ordered
    measures), and local indicators that serve no priority area; each with
    a figure for the plan's force, so that each is compared."""
    _measure, forces, _data = build(6)
    older, newer = FrameworkFactory(), FrameworkFactory()
    older_second = PriorityAreaFactory(framework=older, order=2, name="B older second")
    older_first = PriorityAreaFactory(framework=older, order=1, name="C older first")
    newer_first = PriorityAreaFactory(framework=newer, order=0, name="A newer first")
    expected = {}
    for priority, key in ((newer_first, 3), (older_second, 2), (older_first, 1)):
        for i in range(15):
            expected[(key, i)] = MeasureFactory(
                priority_area=priority, name=f"Measure {key}-{i:02d}", order=i
            )
    for i in range(10):
        expected[(4, i)] = MeasureFactory(
            priority_area=None, kind="local", name=f"Local {9 - i}", order=0
        )
    for measure in expected.values():
        FigureFactory(measure=measure, area=forces[0], period_start=START, period_end=END)
    ordered = [expected[key].name for key in sorted(expected)]
    ordered[-10:] = sorted(ordered[-10:])  # local indicators by name
    return ordered


def test_a_forces_page_lists_its_measures_a_page_at_a_time_in_reading_order(client):
    ordered = many_measures()
    url = reverse("pages:area-detail", args=["force-00"])
    total = Measure.objects.count()
    pages = -(-total // MEASURES_PER_PAGE)
    assert pages > 1
    html = [client.get(url, {"page": str(n)}).content.decode() for n in range(1, pages + 1)]
    first = html[0]
    everything = [name for page in html for name in measure_rows(page)]
    assert len(measure_rows(first)) == MEASURES_PER_PAGE
    assert len(everything) == len(set(everything)) == total
    # Those of the migrations' framework (2021) and build()'s come first;
    # then these, in their frameworks' order; the local indicators last.
    assert everything[-len(ordered) :] == ordered
    assert f"measures 1 to {MEASURES_PER_PAGE} of {total}" in first
    assert f"measures {(pages - 1) * MEASURES_PER_PAGE + 1} to {total} of {total}" in html[-1]
    pager = first[first.index('<nav class="pager"') :]
    assert 'aria-label="Pages of measures"' in pager
    assert 'href="?page=2#measures" rel="next"' in pager
    assert 'href="?page=1#measures" aria-current="page"' in pager


@pytest.mark.parametrize("asked", ["abc", "0", "-1", "99", "", "1e309", "99999999999999999999"])
def test_a_page_that_is_not_there_is_the_first_or_the_last(client, asked):
    many_measures()
    url = reverse("pages:area-detail", args=["force-00"])
    last = -(-Measure.objects.count() // MEASURES_PER_PAGE)
    # As every table of the site: not a number, the first; past either end, the last.
    shown = 1 if asked in ("abc", "", "1e309") else last
    html = client.get(url, {"page": asked}).content.decode()
    assert f'href="?page={shown}#measures" aria-current="page"' in html


def test_every_page_of_a_forces_measures_runs_as_many_queries(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    many_measures()
    url = reverse("pages:area-detail", args=["force-00"])
    assert queries(client, url) == queries(client, url, {"page": "2"}) == 11
