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

from measures.models import DataSource

from . import catalogue
from .columns import COMPARISON_COLUMNS, FIGURE_COLUMNS, MAPPING_COLUMNS, MEASURE_COLUMNS, names
from .comparison import every_comparison_rows
from .exports import stream_csv

LICENCE = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}

CSV_DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}


def schema_fields(columns) -> list[dict]:
    return [column.schema_field() for column in columns]


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
                schema_fields(FIGURE_COLUMNS),
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
                schema_fields(MEASURE_COLUMNS),
                primaryKey=["measure"],
            ),
            _resource(
                "mapping",
                "Local outcomes and national measures",
                "How each local outcome of each Police and Crime Plan contributes to the "
                "national measures.",
                schema_fields(MAPPING_COLUMNS),
                primaryKey=["plan", "local_outcome", "measure"],
            ),
            _resource(
                "comparisons",
                "How forces compare",
                "For each measure, every police force area's figure for the period its "
                "comparison page opens on: the rate per population with its interval, and "
                "where it sits against the funnel plot's limits around England and Wales. "
                "Forces without a comparable figure are listed with the reason.",
                schema_fields(COMPARISON_COLUMNS),
                primaryKey=["measure", "period_start", "period_end", "area"],
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
            stream_csv(names(MEASURE_COLUMNS), catalogue.measure_rows()),
        )
        _write(
            archive,
            "mapping.csv",
            stream_csv(names(MAPPING_COLUMNS), catalogue.mapping_rows()),
        )
        _write(
            archive,
            "comparisons.csv",
            stream_csv(names(COMPARISON_COLUMNS), every_comparison_rows()),
        )
        archive.writestr(
            "datapackage.json",
            json.dumps(descriptor(created=created), indent=2, ensure_ascii=False) + "\n",
        )
    spool.seek(0)
    return spool
