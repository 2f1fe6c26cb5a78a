"""The JSON behind the comparison's two charts (django-chartjs's JSON view):
a bar chart of every force's rate, lowest first, and a funnel plot. Each
number is the one the page's table shows, rounded the same way
(``compare.display``). The chart script draws them by ``type``."""

from chartjs.views.base import JSONView
from django.http import Http404
from django.utils.translation import gettext

from compare.display import ComparisonDisplay
from compare.rules import funnel_curve

from .forces import BadPeriod, chosen_comparison


def _role(row) -> str:
    if row.result.is_focus:
        return "focus"
    return "group" if row.result.in_group else "force"


def _label(row) -> str:
    """The force's name with what picks it out, so that colour is not the only cue."""
    if row.result.is_focus:
        return gettext("%(force)s (this force)") % {"force": row.name}
    if row.result.in_group:
        return gettext("%(force)s (group)") % {"force": row.name}
    return row.name


class ComparisonChartView(JSONView):
    kind = "bar"

    def get(self, request, *args, **kwargs):
        try:
            _, _, _, found, _ = chosen_comparison(request, kwargs["slug"])
        except BadPeriod:
            raise Http404("Not a period.") from None
        if found is None or not found.comparison.results:
            raise Http404("No figures for this period.")
        self.view = ComparisonDisplay(found)
        if self.kind == "funnel" and found.comparison.funnel is None:
            raise Http404("A funnel plot needs counts and populations.")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return self.funnel() if self.kind == "funnel" else self.bars()

    def _lines(self) -> list[dict]:
        view, lines = self.view, []
        if view.chart_national is not None:
            national = view.found.national
            name = national.name if national else gettext("England and Wales")
            lines.append({"label": name, "role": "national", "value": view.chart_national})
        if view.chart_group is not None:
            lines.append(
                {
                    "label": gettext("Most similar group"),
                    "role": "group-average",
                    "value": view.chart_group,
                }
            )
        return lines

    def bars(self) -> dict:
        view = self.view
        return {
            "type": "bar",
            "title": gettext("%(measure)s: every force, %(period)s")
            % {"measure": view.measure.name, "period": view.period_label},
            "x_label": view.rate_label,
            "unit": view.unit,
            "decimal_places": view.places,
            "labels": [_label(row) for row in view.rows],
            "roles": [_role(row) for row in view.rows],
            "values": [row.chart_rate for row in view.rows],
            "lines": self._lines(),
        }

    def funnel(self) -> dict:
        view = self.view
        drawn = view.comparison.funnel
        curve = funnel_curve(drawn)

        def line(attribute):
            return [
                {"x": round(n), "y": round(getattr(limits, attribute), 4)} for n, limits in curve
            ]

        return {
            "type": "funnel",
            "title": gettext("%(measure)s: funnel plot, %(period)s")
            % {"measure": view.measure.name, "period": view.period_label},
            "x_label": gettext("Population (log scale)"),
            "y_label": view.rate_label,
            "decimal_places": view.places,
            # The legend's names for the points that are not the chosen force.
            "legend": {"group": gettext("Similar group"), "force": gettext("Other forces")},
            "points": [
                {
                    "x": row.result.population,
                    "y": row.chart_rate,
                    "label": _label(row),
                    "role": _role(row),
                }
                for row in view.rows
            ],
            "target": {"label": gettext("England and Wales rate"), "y": view.chart_national},
            "limits": [
                {
                    "label": gettext("99.8% limits"),
                    "role": "limit-998",
                    "upper": line("upper_998"),
                    "lower": line("lower_998"),
                },
                {
                    "label": gettext("95% limits"),
                    "role": "limit-95",
                    "upper": line("upper_95"),
                    "lower": line("lower_95"),
                },
            ],
        }
