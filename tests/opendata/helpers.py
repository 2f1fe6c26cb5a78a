import csv
import io

from opendata.exports import BOM


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[dict]:
    data = content(response)
    assert not data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def csv_header(response) -> list[str]:
    return content(response).decode().splitlines()[0].split(",")
