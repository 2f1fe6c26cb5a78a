"""Every figure's verdict, worked out once and stored on the figure.

The rules are ``measures.status`` (which figure is compared with which, by
which method) and ``measures.stats`` (the methods). This module loads the
plain values they need, one measure and area at a time, and writes back what
changed: the status, the comparison (period and value), the change (rounded
as published), its unit, the method, the p-value and the sentence that says
why. The services call it in the same transaction as every write to figures;
the measure and baseline admin calls it when a measure's method, tolerance,
unit, decimal places, direction or baseline changes; ``manage.py
recompute_verdicts`` recomputes everything (after an upgrade that changes a
rule or its words). Pages, the /data/ table, the CSV (Python and COPY) and
the JSON read the stored columns, so no rule lives twice.

The models are parameters so that a migration can run it on its own
historical models.
"""

from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby

from django.apps import apps as installed_apps
from django.db.models import Q

from .display import verdict_sentence
from .formatting import quantize
from .stats.verdict import Method
from .status import FigureVerdict, Reading, Rule, change_decimal_places, judge_all

# Figures written back per UPDATE batch.
BATCH = 500
PUBLISHED = "published"  # measures.models.PublicationStatus.PUBLISHED
_READ = (
    "pk",
    "area_id",
    "period_start",
    "period_end",
    "value",
    "lower",
    "upper",
    "series_break",
    "status",
)
_STORED = (
    "verdict",
    "verdict_method",
    "comparison_start",
    "comparison_end",
    "comparison_value",
    "change",
    "change_unit",
    "p_value",
    "verdict_text",
)


def p_value_stored(p_value: float | None) -> Decimal | None:
    """A p-value to four significant figures, as the figure stores it."""
    if p_value is None:
        return None
    # Decimal reads an exponent's "e" and "E" alike.
    return Decimal(format(p_value, ".4g")).quantize(Decimal("1e-20"))  # pragma: no mutate


def stored_fields(verdict: FigureVerdict, *, places: int, change_places: int) -> dict:
    """What a figure stores of its verdict."""
    comparison = verdict.comparison
    compared = comparison is not None and (
        verdict.change is not None or (verdict.verdict is not None and verdict.verdict.comparable)
    )
    change = verdict.change
    return {
        "verdict": verdict.status.value,
        "verdict_method": verdict.method.value,
        "comparison_start": comparison.period_start if compared else None,
        "comparison_end": comparison.period_end if compared else None,
        "comparison_value": comparison.value if compared else None,
        "change": quantize(change, change_places) if change is not None else None,
        "change_unit": verdict.change_unit.value if change is not None else "",
        "p_value": p_value_stored(verdict.p_value),
        "verdict_text": verdict_sentence(verdict, places=places, change_places=change_places),
    }


def _rule(measure, area_id: int, overrides: dict) -> Rule:
    return Rule(
        unit=measure.unit,
        direction=measure.direction,
        method=Method(measure.method),
        smallest_change=measure.tolerance,
        baseline_period=overrides.get(
            (measure.pk, area_id), (measure.baseline_start, measure.baseline_end)
        ),
    )


def _reading(row) -> Reading:
    return Reading(
        row.pk,
        row.period_start,
        row.period_end,
        row.value,
        row.lower,
        row.upper,
        row.series_break,
    )


def _pair_updates(measure, rule: Rule, rows: list) -> Iterable[tuple[int, dict]]:
    """The stored fields of each of one measure and area's figures that changed."""
    published = [_reading(row) for row in rows if row.status == PUBLISHED]
    verdicts = judge_all([_reading(row) for row in rows], published, rule)
    places = measure.decimal_places
    change_places = change_decimal_places(measure.unit, places, measure.change_places)
    # judge_all gives one verdict per figure: strict only guards that promise.
    for row, verdict in zip(rows, verdicts, strict=True):  # pragma: no mutate
        fields = stored_fields(verdict, places=places, change_places=change_places)
        if any(getattr(row, name) != value for name, value in fields.items()):
            yield row.pk, fields


# Mutation testing leaves the rest of this module alone: it selects, reads and
# writes rows, which tests/measures/test_verdicts_public.py checks against a
# database; the rules it applies are above and in measures.status.
# pragma: no mutate block
def recompute_verdicts(
    *,
    measure_ids: Iterable[int] | None = None,
    pairs: Iterable[tuple[int, int]] | None = None,
    apps=installed_apps,
) -> int:
    """Recompute and store the verdicts of the figures of ``measure_ids`` (all
    their areas), of the (measure, area) ``pairs``, or of every figure when
    neither is given. Returns how many figures changed."""
    Figure = apps.get_model("measures", "Figure")
    Measure = apps.get_model("measures", "Measure")
    BaselineOverride = apps.get_model("measures", "BaselineOverride")
    selection = Q()
    if measure_ids is not None or pairs is not None:
        selection = Q(pk__in=[])
        if measure_ids is not None:
            selection |= Q(measure_id__in=list(measure_ids))
        for measure_id, area_id in set(pairs or ()):
            selection |= Q(measure_id=measure_id, area_id=area_id)
    figures = Figure.objects.filter(selection)
    measures = {m.pk: m for m in Measure.objects.all()}
    overrides = {
        (m, a): (start, end)
        for m, a, start, end in BaselineOverride.objects.values_list(
            "measure_id", "area_id", "baseline_start", "baseline_end"
        )
    }
    changed = 0
    # One measure at a time: its figures read whole, then written back, so
    # that no read is open while the table is written.
    measure_ids = figures.order_by("measure_id").values_list("measure_id", flat=True)
    for measure_id in measure_ids.distinct():
        measure = measures[measure_id]
        rows = (
            figures.filter(measure_id=measure_id)
            .order_by("area_id", "period_end", "period_start")
            .values_list(*_READ, *_STORED, named=True)
        )
        batch = []
        for area_id, pair_rows in groupby(rows, key=lambda row: row.area_id):
            rule = _rule(measure, area_id, overrides)
            batch += [
                Figure(pk=pk, **fields)
                for pk, fields in _pair_updates(measure, rule, list(pair_rows))
            ]
        changed += _write(Figure, batch)
    return changed


def _write(Figure, batch: list) -> int:
    Figure.objects.bulk_update(batch, _STORED, batch_size=BATCH)
    return len(batch)
