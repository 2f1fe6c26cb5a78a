"""The whole dataset as one zip: the CSV files and a Frictionless Data Package
descriptor (``datapackage.json``) with a schema for every column.

The zip is written to a spooled temporary file (in memory while small, on
disk beyond that), so memory stays flat however many figures there are.
"""

import datetime
import json
import tempfile
import zipfile
from collections.abc import Iterable

from measures.models import DataSource, Direction, MeasureKind, Unit
from plan.models import Strength

from . import catalogue
from .exports import stream_csv
from .figures import STATUS_CELLS

LICENCE = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}

CSV_DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}
BOOLEAN = {"trueValues": ["true"], "falseValues": ["false"]}

# A text cell that began with a formula character starts with an apostrophe
# in the files (see opendata.exports): the descriptions say so.
ESCAPED = (
    " A text that would start with =, +, -, @, a tab or a carriage return starts with ' instead."
)


def _field(name, type_, title, description="", **extra):
    field = {"name": name, "type": type_, "title": title}
    if description:
        field["description"] = description
    field.update(extra)
    return field


def _enum(values):
    return {"constraints": {"enum": [str(v) for v in values]}}


FIGURE_FIELDS = [
    _field(
        "measure",
        "string",
        "Measure",
        "The measure's short name (slug), as in measures.csv.",
        constraints={"required": True},
    ),
    _field(
        "area", "string", "Area", "The area's short name (slug).", constraints={"required": True}
    ),
    _field("period_start", "date", "Period start", "First day of the period the figure covers."),
    _field("period_end", "date", "Period end", "Last day of the period the figure covers."),
    _field("value", "number", "Value", "The figure, in the measure's unit."),
    _field("lower", "number", "Lower bound", "Lower end of the 95% confidence interval."),
    _field("upper", "number", "Upper bound", "Upper end of the 95% confidence interval."),
    _field("provisional", "boolean", "Provisional", "The source may still change it.", **BOOLEAN),
    _field(
        "series_break", "boolean", "Series break", "Not comparable with earlier periods.", **BOOLEAN
    ),
    _field("note", "string", "Note", "Shown beside the figure." + ESCAPED),
    _field("source_url", "string", "Source", "Where the figure comes from."),
    _field("measure_name", "string", "Measure name", ESCAPED.strip()),
    _field("unit", "string", "Unit", **_enum(label for _, label in Unit.choices)),
    _field("area_name", "string", "Area name", ESCAPED.strip()),
    _field("period_label", "string", "Period", "The period in words, e.g. 2023/24."),
    _field("priority_area", "string", "National priority area", ESCAPED.strip()),
    _field(
        "status",
        "string",
        "Status against the baseline",
        "Against the published baseline figure of the same measure and area, by the rule the "
        "pages use: a change counts where confidence intervals do not overlap or, without "
        "intervals, where it is larger than the measure's tolerance. A period of another "
        "length than the baseline's, or with a series break in between, is not comparable.",
        **_enum(STATUS_CELLS.values()),
    ),
]

MAPPING_FIELDS = [
    _field("plan", "string", "Plan", "The plan's short name (slug)."),
    _field("plan_title", "string", "Plan title"),
    _field("local_outcome", "string", "Local outcome", "The outcome's short name (slug)."),
    _field("local_outcome_title", "string", "Local outcome title"),
    _field("measure", "string", "Measure", "The measure's short name (slug)."),
    _field("measure_name", "string", "Measure name"),
    _field("priority_area", "string", "National priority area"),
    _field("strength", "string", "Strength", **_enum(Strength.values)),
    _field("explanation", "string", "How the outcome contributes"),
]

MEASURE_FIELDS = [
    _field("measure", "string", "Measure", "Short name (slug).", constraints={"required": True}),
    _field("name", "string", "Name"),
    _field("kind", "string", "Kind", **_enum(MeasureKind.values)),
    _field("priority_area", "string", "National priority area"),
    _field("definition", "string", "Definition"),
    _field("unit", "string", "Unit", **_enum(Unit.values)),
    _field("decimal_places", "integer", "Decimal places shown"),
    _field("direction", "string", "Desired direction", **_enum(Direction.values)),
    _field("baseline_start", "date", "Baseline start"),
    _field("baseline_end", "date", "Baseline end"),
    _field(
        "tolerance",
        "number",
        "Tolerance",
        "Smaller changes count as no significant change: % for counts and rates, "
        "percentage points for percentages.",
    ),
    _field("data_source", "string", "Data source"),
    _field("data_source_publisher", "string", "Publisher"),
    _field("data_source_url", "string", "Data source web address"),
    _field("update_frequency", "string", "How often the source is updated"),
]


def _resource(name, title, description, fields, **schema_extra):
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": CSV_DIALECT,
        "schema": {"fields": fields, **schema_extra},
    }


def descriptor(*, created: datetime.datetime) -> dict:
    sources = [
        {"title": s.name, **({"path": s.url} if s.url else {})}
        for s in DataSource.objects.order_by("name")
    ]
    return {
        "profile": "tabular-data-package",
        "name": "policing-measures",
        "title": "Police and Crime Plan and the National Crime and Policing Measures",
        "description": "Published figures for the National Crime and Policing Measures, the "
        "measures catalogue, and how the local Police and Crime Plan's outcomes contribute to "
        "the measures. Only figures approved for publication are included.",
        "created": created.isoformat(timespec="seconds"),
        "licenses": [LICENCE],
        "sources": sources,
        "resources": [
            _resource(
                "figures",
                "Figures",
                "One row per published figure: one value of one measure, for one area, "
                "over one period.",
                FIGURE_FIELDS,
                primaryKey=["measure", "area", "period_start", "period_end"],
                foreignKeys=[
                    {
                        "fields": "measure",
                        "reference": {"resource": "measures", "fields": "measure"},
                    }
                ],
            ),
            _resource(
                "measures",
                "Measures catalogue",
                "Every measure with its definition, unit, desired direction, baseline and "
                "data source.",
                MEASURE_FIELDS,
                primaryKey=["measure"],
            ),
            _resource(
                "mapping",
                "Local outcomes and national measures",
                "How each local outcome of each Police and Crime Plan contributes to the "
                "national measures.",
                MAPPING_FIELDS,
                primaryKey=["plan", "local_outcome", "measure"],
            ),
        ],
    }


def _write(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    with archive.open(name, "w", force_zip64=True) as member:
        for chunk in chunks:
            member.write(chunk)


def build_package(*, figures: Iterable[bytes], created: datetime.datetime):
    """The zip, as an open file positioned at its start."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write(archive, "figures.csv", figures)
        _write(
            archive,
            "measures.csv",
            stream_csv(catalogue.MEASURE_COLUMNS, catalogue.measure_rows()),
        )
        _write(
            archive,
            "mapping.csv",
            stream_csv(catalogue.MAPPING_COLUMNS, catalogue.mapping_rows()),
        )
        archive.writestr(
            "datapackage.json",
            json.dumps(descriptor(created=created), indent=2, ensure_ascii=False) + "\n",
        )
    spool.seek(0)
    return spool
