"""The JSON behind each chart, built on django-chartjs's class-based views.

One named URL per chart; the page hands it to the chart script in a
``data-chart-url`` attribute. Every number comes from the same summary as the
page's table, rounded the same way, so the chart, the table and the text agree.
Only published figures are read.
"""

from chartjs.views.lines import BaseLineChartView
from django.http import Http404
from django.shortcuts import get_object_or_404

from measures.models import Area, Measure, Unit
from measures.summary import summarise_all

# Each line is told apart by point shape and dash as well as by colour. The
# colours are the stylesheet's (--chart-local, --chart-national, ...), which
# the chart script reads by each dataset's role: one place for every colour.
STYLES = {
    "local": {"pointStyle": "circle"},
    "national": {"pointStyle": "triangle", "borderDash": [6, 3]},
    "baseline": {"pointRadius": 0, "pointStyle": "line", "borderDash": [2, 4], "borderWidth": 2},
    "target": {"pointStyle": "rectRot", "pointRadius": 5, "borderDash": [10, 4], "spanGaps": True},
}


# The label of the gap a series break leaves in the area's line.
SERIES_BREAK_LABEL = "Series break"


class MeasureChartView(BaseLineChartView):
    """A measure in one area against England and Wales, with its baseline and target."""

    def get(self, request, *args, **kwargs):
        measure = get_object_or_404(Measure.objects.with_details(), slug=kwargs["slug"])
        area = get_object_or_404(Area, slug=kwargs["area"])
        national = Area.objects.compared_with(area)
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
        series = [
            (
                summary.area.name,
                "local",
                [row.local.chart_value if row and row.local else None for row in rows],
            )
        ]
        if summary.national:
            series.append(
                (
                    summary.national_area.name,
                    "national",
                    [row.national.chart_value if row and row.national else None for row in rows],
                )
            )
        if summary.baseline:
            series.append(
                (
                    f"Baseline ({summary.baseline_label})",
                    "baseline",
                    [summary.baseline.chart_value if row else None for row in rows],
                )
            )
        if summary.main_target:
            series.append(
                (
                    "Target trajectory",
                    "target",
                    [float(row.target) if row and row.target is not None else None for row in rows],
                )
            )
        return series

    def get_labels(self):
        return [row.label if row else SERIES_BREAK_LABEL for row in self.rows]

    def get_providers(self):
        return [name for name, _, _ in self.series]

    def get_data(self):
        return [data for _, _, data in self.series]

    def separate_national_axis(self) -> bool:
        """Counts for a force and for England and Wales differ a hundredfold: the
        national line gets its own axis, or the local one would lie flat on zero."""
        return self.summary.unit == Unit.COUNT and bool(self.summary.national)

    def get_dataset_options(self, index, color):
        kind = self.series[index][1]
        options = {
            "role": kind,
            "fill": False,
            "tension": 0,
            # Chart.js leaves a gap at a null point when spanGaps is false:
            # the area's line is never drawn across a series break.
            "spanGaps": kind != "local",
            **STYLES[kind],
        }
        if kind == "local":
            # The first figure after a break is marked with its own shape.
            options["pointStyle"] = [
                "crossRot" if row and row.local and row.local.series_break else "circle"
                for row in self.rows
            ]
        options["yAxisID"] = "y2" if kind == "national" and self.separate_national_axis() else "y"
        return options

    def get_context_data(self, **kwargs):
        measure = self.summary.measure
        return {
            "title": f"{measure.name}: {self.summary.area.name}",
            "unit": measure.unit,
            "decimal_places": measure.decimal_places,
            "y_label": measure.get_unit_display()
            + (f" ({self.summary.area.name})" if self.separate_national_axis() else ""),
            "y2_label": f"{measure.get_unit_display()} ({self.summary.national_area.name})"
            if self.separate_national_axis()
            else None,
            "labels": self.get_labels(),
            "datasets": self.get_datasets(),
        }
