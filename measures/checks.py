"""The validation rules a value is checked against when it is entered.

Statistics systems check each value against what is plausible for its
measure before anyone relies on it: a plausible range, and the largest
change expected against the previous period. A value outside them is not
refused (a real change can be large) but it is a warning that the person
entering it must confirm ("I have checked these values"); the confirmation
is kept in the figure's history.

One rule, here, on plain values; every entry path uses it: the figure form,
the figure list, the measure's inline, bulk entry, the upload and its
command, the official import, and the publish confirmation.

- The range is the measure's ``plausible_min`` and ``plausible_max``; either
  may be empty.
- The change is against the previous period: the latest figure of the same
  measure and area whose period is as long and ends before this one's. The
  measure's ``largest_change`` is in % for counts and rates and in
  percentage points for a percentage, as the public pages give changes;
  without one, the check is the upload's long-standing "more than half the
  previous value". A figure marked as a series break is not compared with
  the period before (it starts a new series), and a previous value of 0 has
  no change in %.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .formatting import PERCENTAGE, format_change, format_number
from .periods import period_label, same_length

# The history keeps a change reason of at most this many characters
# (django-simple-history's ``history_change_reason``).
REASON_MAX = 100

# The check when a measure sets no largest change: the upload's long-standing
# "more than half the previous value", whatever the unit.
DEFAULT_SHARE = Decimal("0.5")

BELOW = "below-range"
ABOVE = "above-range"
CHANGE = "large-change"


@dataclass(frozen=True)
class Limits:
    """A measure's rules, as plain values."""

    unit: str
    places: int = 0
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    largest_change: Decimal | None = None  # % or percentage points; None: the default

    @classmethod
    def of(cls, measure) -> Limits:
        """The rules of a measure (anything with the measure's attributes)."""
        return cls(
            unit=measure.unit,
            places=measure.decimal_places,
            minimum=measure.plausible_min,
            maximum=measure.plausible_max,
            largest_change=measure.largest_change,
        )


@dataclass(frozen=True)
class Period:
    """A figure of the series a value is compared with."""

    start: datetime.date
    end: datetime.date
    value: Decimal

    @property
    def key(self) -> tuple[datetime.date, datetime.date]:
        return self.start, self.end

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)


@dataclass(frozen=True)
class ValueWarning:
    """A value outside its measure's rules: ``message`` for the screen,
    ``short`` for the history."""

    kind: str
    value: Decimal
    message: str
    short: str

    def __str__(self):
        return self.message


def previous_period(
    series: Iterable[Period], start: datetime.date, end: datetime.date
) -> Period | None:
    """The latest figure of ``series`` as long as ``start``–``end`` that ends
    before it: what a value for that period is compared with."""
    best = None
    for other in series:
        if (
            other.end < end
            and same_length((other.start, other.end), (start, end))
            and (best is None or other.end > best.end)
        ):
            best = other
    return best


def change(value: Decimal, before: Decimal, unit: str) -> Decimal | None:
    """The change from ``before`` to ``value``: in percentage points for a
    percentage, else in %; None from 0, which has no change in %."""
    if unit == PERCENTAGE:
        return value - before
    if before == 0:
        return None
    return (value - before) / before * 100


def as_typed(value: Decimal, unit: str, places: int) -> str:
    """A value for someone checking it: with the measure's decimal places,
    or more if it was typed with more (42.42 is not shown as 42)."""
    text = format_number(value, max(places, _places(value)))
    return f"{text}%" if unit == PERCENTAGE else text


def _number(value: Decimal, limits: Limits) -> str:
    return as_typed(value, limits.unit, limits.places)


def _places(value: Decimal) -> int:
    """The decimal places ``value`` was typed with (at most 4), so that a
    warning shows what was typed, not a rounding of it."""
    exponent = value.normalize().as_tuple().exponent
    return min(max(-exponent, 0), 4) if isinstance(exponent, int) else 0


def _range_warnings(value: Decimal, limits: Limits) -> list[ValueWarning]:
    shown = _number(value, limits)
    if limits.minimum is not None and value < limits.minimum:
        low = _number(limits.minimum, limits)
        return [
            ValueWarning(
                BELOW,
                value,
                f"{shown} is below {low}, the smallest value this measure expects.",
                f"{shown} below minimum {low}",
            )
        ]
    if limits.maximum is not None and value > limits.maximum:
        high = _number(limits.maximum, limits)
        return [
            ValueWarning(
                ABOVE,
                value,
                f"{shown} is above {high}, the largest value this measure expects.",
                f"{shown} above maximum {high}",
            )
        ]
    return []


def _expected(limits: Limits, value: Decimal, before: Decimal) -> str | None:
    """What the change from ``before`` to ``value`` exceeds, in words; None
    when it is within what the measure expects."""
    if limits.largest_change is None:
        if before == 0 or abs(value - before) <= DEFAULT_SHARE * before:
            return None
        return "more than half the previous value"
    moved = change(value, before, limits.unit)
    if moved is None or abs(moved) <= limits.largest_change:
        return None
    largest = format_change(limits.largest_change, limits.unit, _places(limits.largest_change))
    return f"more than {largest.lstrip('+')}, the largest change this measure expects"


def _change_warning(value: Decimal, limits: Limits, previous: Period) -> ValueWarning | None:
    exceeds = _expected(limits, value, previous.value)
    if exceeds is None:
        return None
    moved = change(value, previous.value, limits.unit)
    # In percentage points to the values' own places, as the pages give it.
    places = limits.places if limits.unit == PERCENTAGE else (0 if abs(moved) >= 10 else 1)
    said = format_change(moved, limits.unit, places)
    shown, before = _number(value, limits), _number(previous.value, limits)
    return ValueWarning(
        CHANGE,
        value,
        f"{shown} is {said} against the previous period ({previous.label}: {before}), "
        f"{exceeds}: check it is not a typing slip.",
        f"{shown} is {said} on {before}",
    )


def check_value(
    value: Decimal | None,
    limits: Limits,
    *,
    previous: Period | None = None,
    series_break: bool = False,
) -> list[ValueWarning]:
    """The warnings about ``value``: outside the range, and a change against
    ``previous`` larger than expected (never across a series break)."""
    if value is None:
        return []
    warnings = _range_warnings(value, limits)
    if previous is not None and not series_break:
        moved = _change_warning(value, limits, previous)
        if moved is not None:
            warnings.append(moved)
    return warnings


def fingerprint(keyed: Iterable[tuple[object, Decimal]]) -> str:
    """A short text that names which values were warned about (a key and the
    value for each): a confirmation covers the values it was shown, so a
    value typed after the warning needs confirming again."""
    text = "|".join(f"{key}={Decimal(value).normalize()}" for key, value in sorted(keyed))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def history_reason(warnings: Iterable[ValueWarning], *, checked: bool, context: str = "") -> str:
    """The change reason the history keeps for a save with ``warnings``: that
    the person confirmed them ("Checked: …"), or that a job saved them
    without anyone confirming ("Not checked: …"), then ``context`` (e.g. the
    upload's name), within the history's 100 characters."""
    said = "; ".join(warning.short for warning in warnings)
    if not said:
        return context[:REASON_MAX]
    reason = f"{'Checked' if checked else 'Not checked'}: {said}"
    if context:
        reason = f"{reason} ({context})"
    if len(reason) > REASON_MAX:
        reason = reason[: REASON_MAX - 1] + "…"
    return reason


CONFIRM_LABEL = "I have checked these values"
NOT_CONFIRMED = (
    "Nothing was saved: a value is outside what its measure expects. Check it and, if it "
    f"is right, tick “{CONFIRM_LABEL}” and save again."
)
