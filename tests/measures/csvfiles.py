"""Building figures CSV files for the import tests, and the saved figures they correct."""

import csv
import datetime
import io
from decimal import Decimal

from measures.csvformat import FIGURE_COLUMNS
from measures.models import Area, Measure
from tests.factories import FigureFactory


def plain(value) -> str:
    """Plain formatting, as the export writes: ISO dates, plain decimals, empty for None."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if hasattr(value, "normalize"):
        text = format(value.normalize(), "f")
        return text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def make_csv(rows, *, columns=FIGURE_COLUMNS, encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: plain(value) for key, value in row.items()})
    return buffer.getvalue().encode(encoding)


ROW_KEYWORDS = ("measure", "area", "start", "end", "value")


def row(
    measure="homicides",
    area="england-and-wales",
    start="2023-04-01",
    end="2024-03-31",
    value="10",
    **extra,
):
    return {
        "measure": measure,
        "area": area,
        "period_start": start,
        "period_end": end,
        "value": value,
        **extra,
    }


def one_day_rows(count, *, areas, start: datetime.date):
    """``count`` good rows, no two for the same figure: one a day for each of
    ``areas`` in turn, from ``start``; the values count up from 0."""
    rows = []
    for index in range(count):
        day = (start + datetime.timedelta(days=index // len(areas))).isoformat()
        rows.append(row(area=areas[index % len(areas)].slug, start=day, end=day, value=str(index)))
    return rows


def saved_figure(**fields):
    """The saved figure that ``row(**fields)`` would correct: the same keywords
    and defaults (measure, area, start, end, value); other keywords are the
    figure's own fields (status, note and so on)."""
    cells = row(**{name: fields.pop(name) for name in ROW_KEYWORDS if name in fields})
    return FigureFactory(
        measure=Measure.objects.get(slug=cells["measure"]),
        area=Area.objects.get(slug=cells["area"]),
        period_start=datetime.date.fromisoformat(cells["period_start"]),
        period_end=datetime.date.fromisoformat(cells["period_end"]),
        value=Decimal(cells["value"]),
        **fields,
    )


def figure_row(figure) -> dict:
    """A figure as the export writes it, in the upload's columns."""
    return {
        "measure": figure.measure.slug,
        "area": figure.area.slug,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "value": figure.value,
        "lower": figure.lower,
        "upper": figure.upper,
        "provisional": figure.provisional,
        "series_break": figure.series_break,
        "note": figure.note,
        "source_url": figure.source_url,
    }
