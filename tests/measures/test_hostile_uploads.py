"""Hostile uploads through the admin: a clear message, and nothing written."""

import time

import pytest

from measures.models import Figure

pytestmark = pytest.mark.django_db

HEADER = "measure,area,period_start,period_end,value"
GOOD = "homicides,england-and-wales,{year}-04-01,{next}-03-31,{value}"


def refused(response, words):
    assert response.status_code == 200
    text = response.content.decode()
    assert words in text, text[:2000]
    assert "token" not in response.context or not response.context["token"]


def test_a_header_of_a_hundred_thousand_columns_is_refused_at_once(login_as, upload):
    login_as("Data entry")
    data = (",".join(f"c{n}" for n in range(100_000)) + "\n1,2\n").encode()
    start = time.perf_counter()
    response = upload(data)
    assert time.perf_counter() - start < 5
    refused(response, "100,000 columns")
    assert not Figure.objects.exists()


def test_semicolons_instead_of_commas_are_explained(login_as, upload):
    login_as("Data entry")
    data = (HEADER.replace(",", ";") + "\n" + GOOD.format(year=2020, next=2021, value=5)
            .replace(",", ";") + "\n").encode()  # fmt: skip
    refused(upload(data), "separated by semicolons")
    assert not Figure.objects.exists()


def test_formula_payloads_are_kept_as_text_not_run(login_as, upload, confirm_upload):
    login_as("Data entry")
    data = (
        HEADER + ",note\n"
        + GOOD.format(year=2020, next=2021, value=5) + ',"=cmd|\' /C calc\'!A0"\n'
    ).encode()  # fmt: skip
    response = upload(data)
    assert response.context["token"]
    assert confirm_upload(response).status_code == 302
    # Stored as the text it is; the downloads write it with a leading apostrophe.
    assert Figure.objects.get().note == "=cmd|' /C calc'!A0"


def test_a_hundred_thousand_rows_with_one_bad_one_write_nothing(login_as, upload):
    login_as("Data entry")
    rows = [GOOD.format(year=1900 + n % 100, next=1901 + n % 100, value=n) for n in range(99_999)]
    rows.insert(50_000, "homicides,england-and-wales,2020-04-01,2021-03-31,not a number")
    response = upload(("\n".join([HEADER, *rows]) + "\n").encode())
    # Refused whole, by the size limit before any row is looked at.
    refused(response, "too big")
    assert not Figure.objects.exists()


def test_mixed_encodings_are_read_as_windows_1252_or_refused_clearly(login_as, upload):
    login_as("Data entry")
    data = (
        (HEADER + ",note\n").encode()
        + GOOD.format(year=2020, next=2021, value=5).encode()
        + ",caf\xe9 \u2014 ".encode()
        + "na\xefve".encode("cp1252")
        + b"\n"
    )
    response = upload(data)
    assert response.status_code == 200
    assert not Figure.objects.exists()
