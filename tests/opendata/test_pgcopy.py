"""The PostgreSQL path (COPY ... TO STDOUT WITH CSV) gives the same bytes as
the Python path, for awkward data: every formatting rule lives in both."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.urls import reverse

from measures.models import Figure, Measure, PublicationStatus, Unit
from measures.periods import EARLIEST, LATEST
from measures.status import Status
from opendata import pgcopy
from opendata.columns import (
    FIGURE_COLUMNS,
    READABLE_FIGURE_COLUMNS,
    STAFF_FIGURE_COLUMNS,
    labels,
    names,
)
from opendata.exports import stream_csv
from opendata.figures import figure_rows
from opendata.filters import FigureFilter, StaffFigureFilter
from opendata.views import figure_csv_chunks

from ..factories import (
    AreaFactory,
    BaselineOverrideFactory,
    ContributionFactory,
    FigureFactory,
    LocalOutcomeFactory,
    MeasureFactory,
    PlanFactory,
    PriorityAreaFactory,
)
from .helpers import BOM, content

EXPORT_COLUMNS = names(FIGURE_COLUMNS)
STAFF_EXPORT_COLUMNS = names(STAFF_FIGURE_COLUMNS)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

D = datetime.date

NOTES = [
    "",
    "plain",
    '=HYPERLINK("http://evil.example","x")',
    "+44 1234",
    "-5",
    "-5.25",
    "-5 people",
    "-",
    "@SUM(A1)",
    "\tTabbed",
    "\rCarriage",
    "a, comma",
    'a "quoted" word',
    "two\nlines",
    "cr\rinside",
    "café – naïve “quotes” 😀",
    " leading space",
    "\\.",
]

PERIODS = [
    (D(2018, 7, 1), D(2019, 6, 30)),  # 12 months to June
    (D(2023, 1, 1), D(2023, 12, 31)),  # calendar year
    (D(2023, 4, 1), D(2024, 3, 31)),  # financial year
    (D(1999, 4, 1), D(2000, 3, 31)),  # financial year across a century
    (D(2024, 1, 1), D(2024, 3, 31)),  # Q4
    (D(2024, 4, 1), D(2024, 6, 30)),  # Q1
    (D(2024, 2, 1), D(2024, 4, 30)),  # 3 months, not a quarter
    (D(2024, 2, 1), D(2024, 2, 29)),  # a month
    (D(2024, 1, 1), D(2024, 6, 30)),  # six months
    (D(2024, 1, 15), D(2024, 2, 14)),  # odd dates
    (D(2024, 5, 5), D(2024, 5, 5)),  # one day
    (D(2020, 1, 1), D(2021, 12, 31)),  # two years
]

VALUES = [
    (Decimal("0"), None, None),
    (Decimal("100"), None, None),
    (Decimal("12.3400"), Decimal("10"), Decimal("14.5")),
    (Decimal("0.0001"), Decimal("0"), Decimal("0.001")),
    (Decimal("1234567.8900"), None, None),
    (Decimal("99.9999"), Decimal("99.0001"), Decimal("100")),
]


@pytest.fixture
def awkward():
    priority = PriorityAreaFactory(name="=Priority, with comma", slug="priority")
    count = MeasureFactory(name="Count, measure", priority_area=priority, slug="-count")
    percentage = MeasureFactory(
        name="Percentage", unit=Unit.PERCENTAGE, priority_area=None, direction="up"
    )
    areas = [
        AreaFactory(name='Åre "a"'),
        AreaFactory(name="@area"),
        AreaFactory(name="Z", slug="z"),
    ]
    BaselineOverrideFactory(measure=count, area=areas[1])
    n = 0
    for measure in (count, percentage):
        for area in areas:
            for p, (start, end) in enumerate(PERIODS):
                value, lower, upper = VALUES[n % len(VALUES)]
                if measure.unit == Unit.PERCENTAGE and value > 100:
                    value = Decimal("55.5")
                FigureFactory(
                    measure=measure,
                    area=area,
                    period_start=start,
                    period_end=end,
                    value=value,
                    lower=lower,
                    upper=upper,
                    provisional=n % 2 == 0,
                    series_break=(p == 2 and area == areas[0]),
                    note=NOTES[n % len(NOTES)],
                    source_url="" if n % 3 else "https://example.org/a?b=1,2",
                    status=PublicationStatus.DRAFT if n % 5 == 0 else PublicationStatus.PUBLISHED,
                )
                n += 1
    # baselines for the override and for the others, to exercise every status
    FigureFactory(
        measure=count,
        area=areas[1],
        period_start=D(2019, 4, 1),
        period_end=D(2020, 3, 31),
        value=Decimal("50"),
    )
    return Figure.objects.count()


def python_path(queryset, *, staff=False):
    header = STAFF_EXPORT_COLUMNS if staff else EXPORT_COLUMNS
    return b"".join(stream_csv(header, figure_rows(queryset, staff=staff)))


def copy_path(queryset, *, staff=False):
    assert connection.vendor == "postgresql"
    return b"".join(figure_csv_chunks(queryset, staff=staff, bom=False))


def test_both_paths_give_the_same_bytes_for_the_public_download(awkward):
    queryset = Figure.objects.published()
    python = python_path(queryset)
    assert python.count(b"\n") > queryset.count()  # multi-line notes are in there
    assert copy_path(queryset) == python


def test_both_paths_give_the_same_bytes_for_staff_with_drafts(awkward):
    queryset = Figure.objects.all()
    python = python_path(queryset, staff=True)
    assert b",draft\n" in python
    assert copy_path(queryset, staff=True) == python


def test_both_paths_give_the_same_bytes_with_filters(awkward):
    filterset = FigureFilter(
        {"measure": "-count", "period_from": "2023-01-01"}, queryset=Figure.objects.published()
    )
    assert filterset.is_valid()
    python = python_path(filterset.qs)
    assert 1 < python.count(b"\n'-count,") < awkward  # a slug can start with -
    assert copy_path(filterset.qs) == python


# Each filter of the download, alone and together: the COPY reads each pair's
# figures through the filtered queryset's own conditions.
FILTERS = [
    *({"status": status.value} for status in Status),
    {"status": "improving", "area": "z"},
    {"status": "not-comparable", "measure": "-count", "period_to": "2023-12-31"},
    {"area": "z"},
    {"period_from": "2024-01-01", "period_to": "2024-03-31"},
    {"priority_area": "priority"},
    {"outcome": "safer-homes"},
    {"outcome": "safer-homes", "status": "baseline"},
]


@pytest.mark.parametrize("staff", [False, True], ids=["public", "staff"])
def test_both_paths_give_the_same_bytes_for_every_filter(awkward, staff):
    count = Measure.objects.get(slug="-count")
    outcome = LocalOutcomeFactory(plan=PlanFactory(is_current=True), slug="safer-homes")
    ContributionFactory(outcome=outcome, measure=count)
    # One set of figures for every filter: making them is the slow part.
    for query in FILTERS:
        filterset = (StaffFigureFilter if staff else FigureFilter)(
            query, queryset=Figure.objects.all() if staff else Figure.objects.published()
        )
        assert filterset.is_valid(), filterset.errors
        python = python_path(filterset.qs, staff=staff)
        assert copy_path(filterset.qs, staff=staff) == python, query


def test_both_paths_give_the_same_bytes_for_a_selection_by_subquery(awkward):
    """The admin's actions export any queryset the change list makes, which
    may select by a subquery (select across, a search that could repeat
    rows): each pair's reading carries it as it is."""
    noted = Figure.objects.exclude(note="")
    for queryset in (
        Figure.objects.filter(pk__in=noted.values("pk")),
        Figure.objects.filter(Exists(noted.filter(pk=OuterRef("pk")))),
        Figure.objects.filter(measure__priority_area__slug="priority", provisional=True),
    ):
        python = python_path(queryset, staff=True)
        assert 1 < queryset.count() < awkward
        assert copy_path(queryset, staff=True) == python


def test_a_status_filter_selects_the_figures_as_each_pair_is_read(awkward):
    """A status keeps figures in nearly every measure and area pair, so the
    COPY must not read all of a pair's figures and test each one afterwards:
    the status is a condition of the pair's own reading, on the index that
    holds both (figure_published_verdict)."""
    filterset = FigureFilter({"status": "improving"}, queryset=Figure.objects.published())
    assert filterset.is_valid()
    sql, params = pgcopy.figures_select(filterset.qs)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE measures_figure")
        # As PostgreSQL would plan it for a large table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    pair_reads = [line for line in plan if "measure_id = " in line and "area_id = " in line]
    assert pair_reads, "\n".join(plan)
    assert all("verdict" in line for line in pair_reads), "\n".join(plan)
    assert any("figure_published_verdict" in line for line in plan), "\n".join(plan)


def test_both_paths_give_the_same_bytes_for_the_readable_download(awkward):
    queryset = Figure.objects.published()
    header = labels(READABLE_FIGURE_COLUMNS)
    python = b"".join(
        stream_csv(header, figure_rows(queryset, columns=READABLE_FIGURE_COLUMNS), bom=True)
    )
    assert python.startswith(BOM + b"Measure,Area,Period,")
    copy = b"".join(figure_csv_chunks(queryset, staff=False, bom=True, readable=True))
    assert copy == python


RULES = [
    # unit, direction, decimal places, tolerance, baseline value
    (Unit.COUNT, "down", 0, "5", "200"),
    (Unit.COUNT, "up", 1, "2.5", "333.3333"),
    (Unit.RATE_PER_1000, "down", 2, "0.25", "7.7777"),
    (Unit.PERCENTAGE, "up", 1, "2", "55.5"),
    (Unit.PERCENTAGE, "down", 0, "0", "40"),
    (Unit.COUNT, "down", 4, "1", "0"),
]


def _near_the_line(rng, base, unit, places, tolerance):
    """A value whose change against ``base`` falls on, or just either side of,
    the tolerance once rounded to ``places``: where two rules could disagree."""
    step = Decimal(1).scaleb(-places)
    change = tolerance + rng.choice([-step, -step / 2, 0, step / 2, step, rng.randint(-20, 20)])
    change *= rng.choice([-1, 1])
    points = unit == Unit.PERCENTAGE or base == 0
    value = base + change if points else base * (1 + change / 100)
    value = max(Decimal(0), value.quantize(Decimal("0.0001")))
    return min(value, Decimal(100)) if unit == Unit.PERCENTAGE else value


def test_both_paths_give_every_figure_the_same_status(db):
    """The stored verdicts (status, change, p-value, comparison) written by
    both paths, on figures placed around each measure's tolerance, with and
    without intervals, the survey ones by the survey test."""
    rng = random.Random(20261125)  # noqa: S311 - repeatable test data
    area = AreaFactory()
    for unit, direction, places, tolerance, base in RULES:
        survey = unit == Unit.PERCENTAGE and direction == "up"
        measure = MeasureFactory(
            unit=unit,
            direction=direction,
            decimal_places=places,
            tolerance=Decimal(tolerance),
            method="survey-difference-test" if survey else "fixed-tolerance",
        )
        base = Decimal(base)
        FigureFactory(
            measure=measure,
            area=area,
            period_start=D(2018, 7, 1),
            period_end=D(2019, 6, 30),
            value=base,
            lower=base - 2 if survey else None,
            upper=base + 2 if survey else None,
        )
        for i in range(120):
            start = D(2000 + i // 12, i % 12 + 1, 1)
            end = D(start.year + 1, start.month, 1) - datetime.timedelta(days=1)
            value = _near_the_line(rng, base, unit, places, Decimal(tolerance))
            width = Decimal(rng.choice(["0", "1", "2", "3.5"]))
            interval = survey and rng.random() < 0.7
            FigureFactory(
                measure=measure,
                area=area,
                period_start=start,
                period_end=end,
                value=value,
                lower=max(value - width, Decimal(0)) if interval else None,
                upper=min(value + width, Decimal(100)) if interval else None,
            )
    queryset = Figure.objects.published()
    python = python_path(queryset)
    statuses = {line.rsplit(b",", 1)[-1] for line in python.splitlines()[1:]}
    assert statuses >= {b"improving", b"worsening", b"no significant change"}
    assert copy_path(queryset) == python


def test_every_status_and_period_label_is_exercised(awkward):
    text = python_path(Figure.objects.published()).decode()
    for status in (
        "improving",
        "worsening",
        "no significant change",
        "not comparable",
        "not enough data",
    ):
        assert status in text
    for label in (
        "12 months to March 2024",
        "12 months to March 2000",
        "Q4 2023/24",
        "Q1 2024/25",
        "February 2024",
        "12 months to June 2019",
        "15 January 2024 to 14 February 2024",
        "January 2024 to June 2024",
        "12 months to December 2023",
    ):
        assert label in text


def test_the_download_on_postgresql_is_the_copy_path(client, awkward, monkeypatch):
    calls = []
    real = pgcopy.copy_blocks

    def spy(sql, params=()):
        calls.append(sql)
        return real(sql, params)

    monkeypatch.setattr(pgcopy, "copy_blocks", spy)
    response = client.get(
        reverse("opendata:figures-csv"), {"area": Figure.objects.first().area.slug}
    )
    assert response.status_code == 200
    body = content(response)
    assert len(calls) == 1
    queryset = FigureFilter(
        {"area": Figure.objects.first().area.slug}, queryset=Figure.objects.published()
    ).qs
    assert body == python_path(queryset)


def test_the_download_leaves_the_connection_as_it_found_it(client, awkward):
    """The COPY turns PostgreSQL's JIT compilation off for itself only."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        before = cursor.fetchone()[0]
    content(client.get(reverse("opendata:figures-csv")))
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == before


def test_the_copy_writes_iso_dates_in_any_date_style(awkward):
    """The cells' dates are dates as text in the ISO style, which the COPY
    sets for itself: a session in another style gets them in ISO all the
    same, and its own style back."""
    queryset = Figure.objects.published()
    sql, params = pgcopy.figures_select(queryset)
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        body = b"".join(pgcopy.copy_blocks(sql, params))
        with connection.cursor() as cursor:
            cursor.execute("SHOW DateStyle")
            assert cursor.fetchone()[0] == "SQL, DMY"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET DateStyle")
    assert b",2024-03-31," in body
    assert python_path(queryset).split(b"\n", 1)[1] == body


# The range's edges: the period key overflowed a 4-byte integer before 1941
# and after 2058.
EDGE_PERIODS = [
    (EARLIEST, EARLIEST),
    (EARLIEST, D(1850, 12, 31)),
    (D(1940, 12, 1), D(1940, 12, 31)),
    (D(2059, 1, 1), D(2059, 12, 31)),
    (D(2100, 1, 1), LATEST),
    (LATEST, LATEST),
    (EARLIEST, LATEST),  # as long as a period can be
]


@pytest.mark.parametrize("staff", [False, True], ids=["public", "staff"])
def test_both_paths_give_the_same_bytes_at_the_edges_of_the_dates_taken(staff):
    measure, area = MeasureFactory(), AreaFactory()
    for start, end in EDGE_PERIODS:
        FigureFactory(measure=measure, area=area, period_start=start, period_end=end)
    queryset = Figure.objects.all() if staff else Figure.objects.published()
    python = python_path(queryset, staff=staff)
    assert python.count(b"\n") == len(EDGE_PERIODS) + 1
    for label in (
        b",12 months to December 1850,",
        b",12 months to December 2100,",
        b",January 1850 to December 2100,",
        b",December 1940,",
    ):
        assert label in python
    assert copy_path(queryset, staff=staff) == python
