"""A small streaming writer of OpenDocument spreadsheets (.ods).

The Home Office publishes its police force area tables as ODS, so the tests and
the benchmark need ODS files in that layout, some with hundreds of thousands of
rows. The Python libraries that write ODS (odfpy, and pyexcel-ods3 on top of
ezodf) build the whole document as an object tree in memory, which is slow at
that size and unmaintained in odfpy's case; the format itself is a ZIP holding
a few small XML files, so this writes it directly, one row at a time.

Only what the fixtures need: text and number cells, several sheets, sheet
names with any characters. LibreOffice and python-calamine both read what it
writes (tests/official/test_odswriter.py).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _entry(path: str, media_type: str, version: str = "") -> str:
    version = f' manifest:version="{version}"' if version else ""
    return (
        f'<manifest:file-entry manifest:full-path="{path}"{version} '
        f'manifest:media-type="{media_type}"/>'
    )


_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    + _entry("/", MIMETYPE, "1.2")
    + _entry("content.xml", "text/xml")
    + _entry("styles.xml", "text/xml")
    + _entry("meta.xml", "text/xml")
    + "</manifest:manifest>"
)

_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'office:version="1.2"'
)

_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_NAMESPACES}><office:styles/></office:document-styles>
"""

_META = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_NAMESPACES}><office:meta>'
    "<meta:generator>policing-measures test files</meta:generator>"
    "</office:meta></office:document-meta>"
)

Cell = str | int | float | Decimal | None


def _cell(value: Cell) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        raise TypeError("booleans are not written: the fixtures have none")
    if isinstance(value, int | float | Decimal):
        text = str(value)
        return (
            f'<table:table-cell office:value-type="float" office:value="{text}">'
            f"<text:p>{text}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


class OdsWriter:
    """Writes sheets one after another, each from an iterable of rows::

    with OdsWriter(path) as ods:
        ods.write_sheet("Notes", [["A note"]])
        ods.write_sheet("2024_25", rows_generator())
    """

    def __init__(self, path: str | Path):
        self._zip = zipfile.ZipFile(path, "w")
        # The mimetype comes first and uncompressed, so that the file can be
        # recognised from its first bytes (OpenDocument 1.2, part 3, 3.3).
        self._zip.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        self._zip.writestr("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED)
        self._zip.writestr("styles.xml", _STYLES, zipfile.ZIP_DEFLATED)
        self._zip.writestr("meta.xml", _META, zipfile.ZIP_DEFLATED)
        # A ZipInfo opened for writing is stored uncompressed unless told
        # otherwise, and these files are large.
        content = zipfile.ZipInfo("content.xml", date_time=(2026, 1, 1, 0, 0, 0))
        content.compress_type = zipfile.ZIP_DEFLATED
        self._content = self._zip.open(content, "w")
        self._write(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NAMESPACES}>'
            "<office:body><office:spreadsheet>"
        )

    def _write(self, text: str) -> None:
        self._content.write(text.encode("utf-8"))

    def write_sheet(self, name: str, rows: Iterable[Iterable[Cell]]) -> None:
        self._write(f"<table:table table:name={quoteattr(name)}>")
        chunk: list[str] = []
        for row in rows:
            cells = "".join(_cell(value) for value in row)
            chunk.append(f"<table:table-row>{cells}</table:table-row>")
            if len(chunk) >= 2000:
                self._write("".join(chunk))
                chunk.clear()
        if chunk:
            self._write("".join(chunk))
        self._write("</table:table>")

    def close(self) -> None:
        self._write("</office:spreadsheet></office:body></office:document-content>")
        self._content.close()
        self._zip.close()

    def __enter__(self) -> OdsWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
