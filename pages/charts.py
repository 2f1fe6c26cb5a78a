"""The JSON behind each chart, built on django-chartjs's class-based views.

One named URL per chart; the page hands it to the chart script in a
``data-chart-url`` attribute. Every number comes from the same summary as the
page's table, rounded the same way, so the chart, the table and the text agree.
Only published figures are read.

Charts compare like with like. A percentage or a rate of one area sits on the
same axis as England and Wales's; a count never does (a force's 0–16 against
England and Wales's 0–800), so a count is drawn as small multiples: a chart
per area, each from zero on its own axis, side by side on the page.
"""

from chartjs.views.lines import BaseLineChartView
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy

from measures.formatting import chart_number
from measures.models import NATIONAL_AREA_SLUG, Area, Measure, Unit
from measures.stats.xmr import SpcStatus
from measures.summary import summarise_all

# Each line is told apart by point shape and dash as well as by colour. The
# colours are the stylesheet's (--chart-local, --chart-national, ...), which
# the chart script reads by each dataset's role: one place for every colour.
STYLES = {
    "local": {"pointStyle": "circle"},
    "national": {"pointStyle": "triangle", "borderDash": [6, 3]},
    "baseline": {"pointRadius": 0, "pointStyle": "line", "borderDash": [2, 4], "borderWidth": 2},
    "target": {"pointStyle": "rectRot", "pointRadius": 5, "borderDash": [10, 4], "spanGaps": True},
    # The 95% confidence interval, a band between its lower and upper
    # bounds: Chart.js fills the upper line down to the line before it
    # ("-1"), the lower bound, which is drawn without a line or points.
    "interval-lower": {"pointRadius": 0, "borderWidth": 0, "fill": False},
    "interval": {"pointRadius": 0, "borderWidth": 0, "fill": "-1"},
    # An XmR chart as NHS England's Making Data Count draws it (and the NHS-R
    # community's NHSRplotthedots, its R package, in ptd_create_ggplot): the
    # mean a solid line, the process limits dashed, both carried on from the
    # reference period to every later figure of the series; a special-cause
    # point stands out by its own shape (the programme colours it too), each
    # kind in a dataset of its own so that the legend names it.
    # Chart.js draws the lowest "order" last: the lines beneath the figures,
    # the special-cause marks over them.
    # A mark at the chart's edge is drawn whole ("clip": false).
    "mean": {"pointRadius": 0, "pointStyle": "line", "borderWidth": 2, "order": 1},
    "upper-limit": {"pointRadius": 0, "pointStyle": "line", "borderDash": [6, 4], "order": 1},
    "lower-limit": {"pointRadius": 0, "pointStyle": "line", "borderDash": [6, 4], "order": 1},
    "special-improving": {
        "showLine": False,
        "pointStyle": "rect",
        "pointRadius": 6,
        "order": -1,
        "clip": False,
    },
    "special-concerning": {
        "showLine": False,
        "pointStyle": "rectRot",
        "pointRadius": 7,
        "order": -1,
        "clip": False,
    },
}

# The label of the gap a series break leaves in the area's line. The
# labels are lazy (translated when used): ``str()`` them into the JSON.
SERIES_BREAK_LABEL = gettext_lazy("Series break")
INTERVAL_LABEL = gettext_lazy("95% confidence interval")
MEAN_LABEL = gettext_lazy("Mean")
UPPER_LIMIT_LABEL = gettext_lazy("Upper process limit")
LOWER_LIMIT_LABEL = gettext_lazy("Lower process limit")
SPECIAL_LABELS = {
    "special-improving": gettext_lazy("Special cause: improvement"),
    "special-concerning": gettext_lazy("Special cause: concern"),
}

# What the value axis says, so that its numbers carry their unit: the tick
# labels of a percentage read "40%" (the chart script adds the sign).
AXIS_TITLES = {
    Unit.COUNT: gettext_lazy("Number"),
    Unit.PERCENTAGE: gettext_lazy("Per cent"),
    Unit.RATE_PER_1000: gettext_lazy("Per 1,000 people"),
    Unit.RATE_PER_100000: gettext_lazy("Per 100,000 people"),
}


def draws_areas_apart(unit: str) -> bool:
    """Counts of areas of very different sizes are not drawn on one axis."""
    return unit not in (Unit.PERCENTAGE, Unit.RATE_PER_1000, Unit.RATE_PER_100000)


def chart_area_apart(measure: Measure, summary) -> Area | None:
    """The area a page draws in a chart of its own beside the main one: the
    summary's comparison area (England and Wales), when the measure is a count
    and there are figures to draw."""
    if summary is None or not summary.national or not draws_areas_apart(measure.unit):
        return None
    return summary.national_area


def _chart_value(point) -> float | None:
    return point.chart_value if point else None


def _number(value) -> float | None:
    return float(value) if value is not None else None


class MeasureChartView(BaseLineChartView):
    """A measure in one area with its baseline, target and confidence
    interval, and England and Wales on the same axis where that compares
    like with like (``draws_areas_apart``)."""

    def get(self, request, *args, **kwargs):
        measure = get_object_or_404(Measure.objects.with_details(), slug=kwargs["slug"])
        area = get_object_or_404(Area, slug=kwargs["area"])
        national = None if draws_areas_apart(measure.unit) else Area.objects.compared_with(area)
        self.summary = summarise_all([measure], area, national)[measure.pk]
        if not self.summary.local and not self.summary.national:
            raise Http404("No published figures for this measure in this area.")
        self.series = self.build_series()
        return super().get(request, *args, **kwargs)

    def chart_rows(self) -> list:
        """The table's rows, with a gap (None) before each series break of the
        area's line after the first point: the line is not drawn across a
        break, and the gap's label says why."""
        rows = []
        for row in self.summary.rows:
            if row.local and row.local.series_break and rows:
                rows.append(None)
            rows.append(row)
        return rows

    def build_series(self):
        summary = self.summary
        rows = self.rows = self.chart_rows()

        def line(value_of) -> list:
            """One value per row, None at a break's gap or where there is none."""
            return [value_of(row) if row else None for row in rows]

        series = [(summary.area.name, "local", line(lambda r: _chart_value(r.local)))]
        if summary.national:
            series.append(
                (summary.national_area.name, "national", line(lambda r: _chart_value(r.national)))
            )
        if summary.control:
            # The chart is read against its own mean and limits, not against
            # the baseline figure: a line for that would be one more level.
            series += self.control_series(line)
        elif summary.baseline:
            baseline = summary.baseline.chart_value
            series.append(
                (
                    gettext("Baseline (%(period)s)") % {"period": summary.baseline_label},
                    "baseline",
                    line(lambda r: baseline),
                )
            )
        if summary.main_target:
            series.append(
                (gettext("Target trajectory"), "target", line(lambda r: _number(r.target)))
            )
        if summary.has_intervals and any(p.lower is not None for p in summary.local):
            series += self.interval_series()
        return series

    def control_series(self, line) -> list:
        """The XmR chart's mean and process limits over each of its points (a
        gap at a series break, where the next chart starts), and its
        special-cause points, by kind."""

        def limit(name):
            return line(lambda r: getattr(r.limits, name) if r.limits else None)

        series = [
            (str(MEAN_LABEL), "mean", limit("mean_chart")),
            (str(UPPER_LIMIT_LABEL), "upper-limit", limit("upper_chart")),
            (str(LOWER_LIMIT_LABEL), "lower-limit", limit("lower_chart")),
        ]
        for role, status in (
            ("special-improving", SpcStatus.IMPROVING),
            ("special-concerning", SpcStatus.CONCERNING),
        ):
            points = line(
                lambda r, status=status: (
                    r.local.chart_value
                    if r.local and r.local.on_chart and r.local.on_chart.status == status
                    else None
                )
            )
            if any(value is not None for value in points):
                series.append((str(SPECIAL_LABELS[role]), role, points))
        return series

    def interval_series(self) -> list:
        """The area's 95% confidence interval as two lines, lower then upper,
        with gaps where a figure has none (or at a series break)."""
        places = self.summary.places

        def bound(row, name):
            value = getattr(row.local, name) if row and row.local else None
            return chart_number(value, places) if value is not None else None

        return [
            (
                gettext("%(interval)s (lower)") % {"interval": INTERVAL_LABEL},
                "interval-lower",
                [bound(r, "lower") for r in self.rows],
            ),
            (str(INTERVAL_LABEL), "interval", [bound(r, "upper") for r in self.rows]),
        ]

    def get_labels(self):
        return [row.label if row else str(SERIES_BREAK_LABEL) for row in self.rows]

    def get_providers(self):
        return [name for name, _, _ in self.series]

    def get_data(self):
        return [data for _, _, data in self.series]

    def get_dataset_options(self, index, color):
        kind = self.series[index][1]
        options = {
            "role": kind,
            "fill": False,
            "tension": 0,
            # Chart.js leaves a gap at a null point when spanGaps is false:
            # the area's line (and its interval) is never drawn across a break.
            "spanGaps": kind in ("national", "baseline"),
            **STYLES[kind],
        }
        if kind == "local":
            # The first figure after a break is marked with its own shape.
            options["pointStyle"] = [
                "crossRot" if row and row.local and row.local.series_break else "circle"
                for row in self.rows
            ]
        return options

    def get_context_data(self, **kwargs):
        measure = self.summary.measure
        return {
            "title": f"{measure.name}: {self.summary.area.name}",
            "unit": measure.unit,
            "decimal_places": measure.decimal_places,
            "y_label": str(AXIS_TITLES.get(measure.unit, measure.get_unit_display())),
            # England and Wales in a chart of its own keeps its colour.
            "area_role": "national" if self.summary.area.slug == NATIONAL_AREA_SLUG else "local",
            "labels": self.get_labels(),
            "datasets": self.get_datasets(),
        }
