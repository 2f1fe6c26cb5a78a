import csv
import io

from opendata.exports import BOM


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
