"""Building figures CSV files for the import tests."""

import csv
import io

from measures.csvformat import FIGURE_COLUMNS


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
