"""How forces compare, as download rows: one per force of one measure and
period, from ``compare``'s comparison (the page's own numbers), in the
columns ``opendata.columns.COMPARISON_COLUMNS`` declares."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace

from django.http import Http404

from compare.rules import parse_period
from compare.selectors import ForceComparison, compare_period, opening_period, periods_of
from measures.models import Measure

from .columns import COMPARISON_COLUMNS, csv_cells, names

PLACES = Decimal("0.0001")


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).quantize(PLACES)


def measure_comparison(measure, period: str | None) -> ForceComparison:
    """The comparison of ``period`` (``2023-04-01/2024-03-31``), or of the
    period the page opens on; ValueError for a period that is not one, 404
    for one with no figures."""
    periods = periods_of(measure)
    if period:
        start, end = parse_period(period)
        if not any((p.start, p.end) == (start, end) for p in periods):
            raise Http404("No force has a published figure for this period.")
    else:
        chosen = opening_period(measure, periods)
        if chosen is None:
            raise Http404("No force has a published figure for this measure yet.")
        start, end = chosen.start, chosen.end
    return compare_period(measure, start, end, focus=None)


def comparison_rows(found: ForceComparison) -> Iterator[SimpleNamespace]:
    comparison = found.comparison
    common = {
        "measure": found.measure.slug,
        "period_start": found.start,
        "period_end": found.end,
        "rate_per": comparison.per if comparison.per_population else None,
        "england_and_wales_rate": _decimal(comparison.national_rate),
    }
    for r in comparison.results:
        yield SimpleNamespace(
            **common,
            area=r.slug,
            area_name=r.name,
            value=r.value,
            population=r.population,
            rate=_decimal(r.rate),
            rate_lower=_decimal(r.lower),
            rate_upper=_decimal(r.upper),
            funnel_95=r.position_95.value if r.position_95 else None,
            funnel_998=r.position_998.value if r.position_998 else None,
            not_compared=None,
        )
    for m in comparison.missing:
        yield SimpleNamespace(
            **common,
            area=m.slug,
            area_name=m.name,
            value=None,
            population=None,
            rate=None,
            rate_lower=None,
            rate_upper=None,
            funnel_95=None,
            funnel_998=None,
            not_compared=m.reason.label,
        )


def comparison_csv_rows(found: ForceComparison) -> Iterator[list]:
    for row in comparison_rows(found):
        yield csv_cells(COMPARISON_COLUMNS, row)


def comparison_json_chunks(found: ForceComparison, *, metadata: dict) -> Iterator[str]:
    head = json.dumps({**metadata, "columns": list(names(COMPARISON_COLUMNS))}, ensure_ascii=False)
    yield head[:-1] + ', "forces": ['
    separator = "\n"
    for row in comparison_rows(found):
        body = ", ".join(
            json.dumps(c.name) + ": " + c.kind.json(c.value(row)) for c in COMPARISON_COLUMNS
        )
        yield separator + "{" + body + "}"
        separator = ",\n"
    yield "\n]}\n"


def every_comparison_rows() -> Iterator[list]:
    """For the data package: every measure's comparison, for the period its
    page opens on (measures without any force's figure are left out)."""
    for measure in Measure.objects.order_by("order", "name"):
        try:
            found = measure_comparison(measure, None)
        except Http404:
            continue
        yield from comparison_csv_rows(found)
