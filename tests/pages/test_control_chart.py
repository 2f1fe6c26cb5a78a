"""A measure read on an XmR control chart: the mean and process limits on its
chart and in its table, its special-cause figures marked, its reference
period stated; and, for rolling figures or too few, the page says why none
is drawn.

The expected limits are worked out here by hand from the figures (the mean,
the mean moving range, 2.66 times it either side), not with the rule module.
"""

import datetime
import re
from statistics import fmean

import pytest
from django.urls import reverse

from measures.display import NOT_CHARTED_OVERLAPPING, NOT_CHARTED_TOO_FEW
from measures.models import NATIONAL_AREA_SLUG, Area, StatisticalMethod
from tests.factories import AreaFactory, FigureFactory, MeasureFactory, monthly_figures

pytestmark = pytest.mark.django_db

# Twelve months to set the limits (April 2019 to March 2020), then four more:
# 35 is above the upper limit (a concern, down being better), 9 below the
# lower one (an improvement).
REFERENCE = [20, 23, 19, 22, 25, 21, 18, 22, 24, 20, 23, 21]
LATER = [22, 35, 21, 9]


def limits(values):
    """(lower limit, mean, upper limit) of an XmR chart of ``values``."""
    mean = fmean(values)
    moving_range = fmean(abs(values[i] - values[i - 1]) for i in range(1, len(values)))
    return mean - 2.66 * moving_range, mean, mean + 2.66 * moving_range


def xmr_measure(**fields):
    return MeasureFactory(
        method=StatisticalMethod.XMR,
        direction="down",
        # A month, so that the page's figures are the monthly ones.
        baseline_start=datetime.date(2019, 4, 1),
        baseline_end=datetime.date(2019, 4, 30),
        **fields,
    )


@pytest.fixture
def charted():
    measure, area = xmr_measure(), AreaFactory()
    monthly_figures(measure=measure, area=area, values=REFERENCE + LATER)
    return measure, area


def chart_of(client, measure, area):
    response = client.get(reverse("pages:measure-chart", args=[measure.slug, area.slug]))
    assert response.status_code == 200
    return response.json()


def page_of(client, measure, area):
    response = client.get(reverse("pages:measure-detail", args=[measure.slug]), {"area": area.slug})
    assert response.status_code == 200
    return response.content.decode()


def dataset(chart, role):
    [found] = [d for d in chart["datasets"] if d["role"] == role]
    return found["data"]


def test_the_hand_worked_limits():
    lower, mean, upper = limits(REFERENCE)
    assert mean == 21.5
    assert (lower, upper) == (pytest.approx(13.0364, abs=1e-4), pytest.approx(29.9636, abs=1e-4))


class TestTheChart:
    def test_draws_the_mean_and_limits_of_the_reference_period_over_every_figure(
        self, client, charted
    ):
        chart = chart_of(client, *charted)
        lower, mean, upper = limits(REFERENCE)
        everywhere = len(REFERENCE + LATER)
        # To one decimal place more than the figures (which have none).
        assert dataset(chart, "mean") == [round(mean, 1)] * everywhere
        assert dataset(chart, "upper-limit") == [round(upper, 1)] * everywhere
        assert dataset(chart, "lower-limit") == [round(lower, 1)] * everywhere
        assert dataset(chart, "local") == REFERENCE + LATER

    def test_marks_each_special_cause_figure_by_kind(self, client, charted):
        chart = chart_of(client, *charted)
        before = [None] * len(REFERENCE)
        assert dataset(chart, "special-concerning") == [*before, None, 35, None, None]
        assert dataset(chart, "special-improving") == [*before, None, None, None, 9]
        styles = {d["role"]: d["pointStyle"] for d in chart["datasets"]}
        # Told apart by shape, not colour alone, and from the area's own points.
        assert styles["special-concerning"] != styles["special-improving"]
        assert {styles["special-concerning"], styles["special-improving"]}.isdisjoint(
            {"circle", "crossRot"}
        )

    def test_leaves_out_the_baseline_line(self, client, charted):
        roles = [d["role"] for d in chart_of(client, *charted)["datasets"]]
        assert roles == [
            "local",
            "mean",
            "upper-limit",
            "lower-limit",
            "special-improving",
            "special-concerning",
        ]

    def test_each_run_between_series_breaks_has_its_own_limits(self, client):
        measure, area = xmr_measure(), AreaFactory()
        after = [v + 10 for v in REFERENCE]
        monthly_figures(
            measure=measure, area=area, values=REFERENCE + after, breaks={len(REFERENCE)}
        )
        chart = chart_of(client, measure, area)
        means = dataset(chart, "mean")
        # A gap (the break) between the two charts' means.
        assert (
            means
            == [round(limits(REFERENCE)[1], 1)] * 12 + [None] + [round(limits(after)[1], 1)] * 12
        )
        assert dataset(chart, "upper-limit")[13:] == [round(limits(after)[2], 1)] * 12
        assert chart["labels"][12] == "Series break"
        assert (
            "Reference period for the mean and process limits: April 2020 to March 2021 (the "
            "first 12 figures since the series break)."
        ) in page_of(client, measure, area)

    def test_england_and_wales_drawn_apart_has_its_own_limits(self, client, charted):
        measure, area = charted
        national = Area.objects.get(slug=NATIONAL_AREA_SLUG)
        national_values = [v * 40 for v in REFERENCE]
        monthly_figures(measure=measure, area=national, values=national_values)
        page = page_of(client, measure, area)
        national_url = reverse("pages:measure-chart", args=[measure.slug, national.slug])
        assert national_url in page  # a count: a chart of its own
        chart = chart_of(client, measure, national)
        assert dataset(chart, "mean") == [round(limits(national_values)[1], 1)] * 12
        assert dataset(chart_of(client, measure, area), "mean")[0] == 21.5


class TestThePage:
    def test_the_table_gives_the_mean_and_limits_and_says_which_figures_are_special(
        self, client, charted
    ):
        page = page_of(client, *charted)
        table = page.split('id="table-chart"')[1].split("</table>")[0]
        headings = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
        assert headings[-5:] == [
            "Mean",
            "Lower process limit",
            "Upper process limit",
            "Control chart",
            "Notes",
        ]
        lower, mean, upper = limits(REFERENCE)
        rows = {
            re.search(r'<th scope="row">([^<]+)', row).group(1): re.findall(
                r"<td[^>]*>([^<]*)</td>", row
            )
            for row in table.split("<tbody>")[1].split("</tr>")[:-1]
        }
        cells = [f"{mean:.1f}", f"{lower:.1f}", f"{upper:.1f}"]
        assert rows["May 2020"] == [
            "35",
            *cells,
            f"Concerning: special cause: above the upper process limit of {upper:.1f}",
            "",
        ]
        assert rows["July 2020"] == [
            "9",
            *cells,
            f"Improving: special cause: below the lower process limit of {lower:.1f}",
            "",
        ]
        assert rows["June 2020"][:5] == ["21", *cells, "Common cause variation"]

    def test_states_the_reference_period_and_how_the_chart_is_drawn(self, client, charted):
        page = page_of(client, *charted)
        reference = "April 2019 to March 2020 (the first 12 figures)"
        about = page.split('id="about"')[1]
        assert f"Reference period for the mean and process limits: {reference}." in about
        note = page.split('id="control-chart-note"')[1].split("</p>")[0]
        assert reference in note
        assert "2.66 × the mean moving range" in note
        assert "Improving: special cause" in page  # the latest figure's verdict

    def test_a_rolling_series_says_why_it_is_not_charted(self, client):
        measure = MeasureFactory(method=StatisticalMethod.XMR)  # a 12-month baseline
        area = AreaFactory()
        for quarter in range(13):  # 12 months to each quarter's end from June 2019
            months = 2019 * 12 + 6 + 3 * quarter  # the month after the period
            end = datetime.date(months // 12, months % 12 + 1, 1) - datetime.timedelta(days=1)
            start = datetime.date((months - 12) // 12, (months - 12) % 12 + 1, 1)
            FigureFactory(measure=measure, area=area, period_start=start, period_end=end)
        page = page_of(client, measure, area)
        assert "12 months to June 2022" in page
        assert page.count(str(NOT_CHARTED_OVERLAPPING)) == 2  # the chart's tab and About
        roles = [d["role"] for d in chart_of(client, measure, area)["datasets"]]
        assert "mean" not in roles
        assert "Mean</th>" not in page

    def test_too_few_figures_say_when_limits_come(self, client):
        measure, area = xmr_measure(), AreaFactory()
        monthly_figures(measure=measure, area=area, values=REFERENCE[:11])
        page = page_of(client, measure, area)
        assert str(NOT_CHARTED_TOO_FEW) in page
        assert "mean" not in [d["role"] for d in chart_of(client, measure, area)["datasets"]]

    def test_another_method_says_nothing_of_control_charts(self, client):
        measure, area = MeasureFactory(), AreaFactory()
        monthly_figures(measure=measure, area=area, values=REFERENCE)
        page = page_of(client, measure, area)
        assert "control-chart-note" not in page
        assert "process limit" not in page
