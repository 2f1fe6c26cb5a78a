"""A comparison as the page, its charts and its downloads show it: every
number formatted once, here, from ``rules``' unrounded results.

Rates per 1,000 people (per 100,000 for a rare event) are shown to two
decimal places; other units to the measure's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy

from measures.formatting import COUNT, chart_number, format_number, format_short
from measures.periods import period_label
from measures.stats.funnel import Position

from .rules import ForceResult, MissingForce
from .selectors import ForceComparison

RATE_PLACES = 2

POSITION_WORDS = {
    (Position.ABOVE, Position.ABOVE): gettext_lazy("Above: beyond the 99.8% limit"),
    (Position.ABOVE, Position.WITHIN): gettext_lazy("Above the 95% limit, within 99.8%"),
    (Position.WITHIN, Position.WITHIN): gettext_lazy("Within the limits"),
    (Position.BELOW, Position.WITHIN): gettext_lazy("Below the 95% limit, within 99.8%"),
    (Position.BELOW, Position.BELOW): gettext_lazy("Below: beyond the 99.8% limit"),
}
POSITION_ICONS = {Position.ABOVE: "▲", Position.WITHIN: "●", Position.BELOW: "▼"}


def _places(comparison: ForceComparison) -> int:
    return (
        RATE_PLACES if comparison.comparison.per_population else comparison.measure.decimal_places
    )


def _number(value: float | None) -> Decimal | None:
    """The shortest decimal that reads back as the float: no binary noise."""
    return None if value is None else Decimal(repr(value))


@dataclass(frozen=True)
class ForceRow:
    result: ForceResult
    rank: int  # 1 for the lowest rate
    places: int
    unit: str

    @property
    def name(self) -> str:
        return self.result.name

    @property
    def rate(self) -> str:
        return format_short(_number(self.result.rate), self.unit, self.places)

    @property
    def chart_rate(self) -> float | None:
        return chart_number(_number(self.result.rate), self.places)

    @property
    def value(self) -> str:
        return format_number(self.result.value, 0)

    @property
    def population(self) -> str:
        return format_number(self.result.population, 0) if self.result.population else ""

    @property
    def interval(self) -> str:
        lower, upper = self.result.lower, self.result.upper
        if lower is None or upper is None:
            return ""
        return (
            f"{format_short(_number(lower), self.unit, self.places)} to "
            f"{format_short(_number(upper), self.unit, self.places)}"
        )

    @property
    def position(self) -> str:
        r = self.result
        if r.position_95 is None:
            return gettext("Not assessed")
        return str(POSITION_WORDS[(r.position_95, r.position_998)])

    @property
    def position_code(self) -> str:
        """above-998, above-95, within, below-95, below-998: for the downloads."""
        r = self.result
        if r.position_95 is None:
            return ""
        if r.position_95 == Position.WITHIN:
            return "within"
        strength = "998" if r.position_998 != Position.WITHIN else "95"
        return f"{r.position_95.value}-{strength}"

    @property
    def position_icon(self) -> str:
        return POSITION_ICONS.get(self.result.position_95, "")

    @property
    def tags(self) -> list[str]:
        tags = []
        if self.result.is_focus:
            tags.append(gettext("This force"))
        if self.result.in_group:
            tags.append(gettext("Most similar group"))
        return tags


@dataclass(frozen=True)
class MissingRow:
    missing: MissingForce

    @property
    def name(self) -> str:
        return self.missing.name

    @property
    def reason(self) -> str:
        return self.missing.reason.label


def per_words(per: int) -> str:
    """ "per 1,000 people" """
    return gettext("per %(per)s people") % {"per": f"{per:,}"}


class ComparisonDisplay:
    """What the comparison page, its charts and the downloads show."""

    def __init__(self, found: ForceComparison):
        self.found = found
        self.measure = found.measure
        self.comparison = found.comparison
        self.places = _places(found)
        self.unit = COUNT if self.comparison.per_population else self.measure.unit
        self.rows = [
            ForceRow(result, rank, self.places, self.measure.unit)
            for rank, result in enumerate(self.comparison.results, start=1)
        ]
        self.missing = [MissingRow(m) for m in self.comparison.missing]

    @property
    def period_label(self) -> str:
        return period_label(self.found.start, self.found.end)

    @property
    def period_value(self) -> str:
        return f"{self.found.start.isoformat()}/{self.found.end.isoformat()}"

    @property
    def per_words(self) -> str:
        return per_words(self.comparison.per)

    @property
    def rate_label(self) -> str:
        if self.comparison.per_population:
            return gettext("Rate %(per)s") % {"per": self.per_words}
        return self.measure.get_unit_display()

    def _format(self, value: float | None) -> str:
        return format_short(_number(value), self.measure.unit, self.places)

    @property
    def national_rate(self) -> str:
        return self._format(self.comparison.national_rate)

    @property
    def group_rate(self) -> str:
        return self._format(self.comparison.group_rate)

    @property
    def chart_national(self) -> float | None:
        return chart_number(_number(self.comparison.national_rate), self.places)

    @property
    def chart_group(self) -> float | None:
        return chart_number(_number(self.comparison.group_rate), self.places)

    @property
    def focus_row(self) -> ForceRow | None:
        return next((row for row in self.rows if row.result.is_focus), None)

    @property
    def group(self):
        return self.found.group

    @property
    def overdispersion(self) -> str:
        """The funnel's method in a sentence."""
        drawn = self.comparison.funnel
        if drawn is None:
            return ""
        if drawn.overdispersion and drawn.overdispersion.adjusted:
            return gettext(
                "The forces differ more than chance alone would make them, so the limits "
                "allow for that spread (Spiegelhalter's additive over-dispersion adjustment, "
                "τ² = %(tau2)s)."
            ) % {"tau2": f"{drawn.overdispersion.tau2:.2g}"}
        return gettext(
            "The forces differ no more than chance would make them: the limits are exact "
            "Poisson limits."
        )

    @property
    def counts(self) -> dict[str, int]:
        """How many forces are above, within and below the 99.8% limits."""
        tally = {"above": 0, "within": 0, "below": 0}
        for row in self.rows:
            if row.result.position_998 is not None:
                tally[row.result.position_998.value] += 1
        return tally
