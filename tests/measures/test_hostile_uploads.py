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


def good_lines(count: int) -> list[str]:
    return [GOOD.format(year=1990 + n, next=1991 + n, value=n + 1) for n in range(count)]


@pytest.mark.parametrize("where", ["value", "note", "slug"])
def test_a_nul_byte_after_the_first_4_kb_is_refused_at_the_preview(login_as, upload, where):
    login_as("Data entry")
    lines = [HEADER + ",note", *(line + ",a note long enough" for line in good_lines(100))]
    assert len("\n".join(lines[:80])) > 4096
    bad = {"value": "1\x002", "note": "a\x00note", "slug": "homi\x00cides"}[where]
    line = lines[80].split(",")
    line[{"value": 4, "note": 5, "slug": 0}[where]] = bad
    lines[80] = ",".join(line)
    response = upload(("\n".join(lines) + "\n").encode())
    refused(response, "it holds binary data (a NUL byte, on line 81)")
    assert not Figure.objects.exists()


def test_a_nul_byte_in_rows_waiting_for_confirmation_is_refused_there(
    client, login_as, upload, confirm_upload
):
    """Rows kept in the session by an earlier preview (before this check, say)."""
    login_as("Data entry")
    preview = upload(("\n".join([HEADER + ",note", *good_lines(2)]) + "\n").encode())
    assert preview.context["token"]
    session = client.session
    stored = session["figure_upload"]
    stored["rows"][1][1]["note"] = "a\x00note"
    session["figure_upload"] = stored
    session.save()
    response = confirm_upload(preview)
    assert response.status_code == 409
    errors = [str(problem) for problem in response.context["result"].errors]
    assert errors == ["line 3, column note: This cell holds binary data (a NUL byte): remove it."]
    assert not Figure.objects.exists()


def test_a_quote_left_open_is_refused_with_its_line_not_merged(login_as, upload):
    login_as("Data entry")
    lines = [HEADER + ",note", *(line + ",fine" for line in good_lines(12))]
    lines[2] = lines[2].replace(",fine", ',"left open')
    lines[9] = lines[9].replace(",fine", ',closed here"')
    response = upload(("\n".join(lines) + "\n").encode())
    refused(response, "Line 3 opens a quote (&quot;) that is not closed until line 10")
    assert not Figure.objects.exists()


def test_a_quote_never_closed_is_refused_too(login_as, upload):
    login_as("Data entry")
    lines = [HEADER + ",note", *(line + ",fine" for line in good_lines(12))]
    lines[11] = lines[11].replace(",fine", ',"left open')
    refused(upload(("\n".join(lines) + "\n").encode()), "Line 12 opens a quote")
    assert not Figure.objects.exists()


def test_a_note_over_several_lines_is_still_one_note(login_as, upload, confirm_upload):
    login_as("Data entry")
    lines = [HEADER + ",note", *(line + ",fine" for line in good_lines(3))]
    lines[1] = lines[1].replace(",fine", ',"First paragraph, with a comma.\nSecond one."')
    preview = upload(("\n".join(lines) + "\n").encode())
    assert preview.context["token"]
    assert [row.line for row in preview.context["result"].rows] == [2, 4, 5]
    assert confirm_upload(preview, checked_values="on").status_code == 302
    assert Figure.objects.filter(note="First paragraph, with a comma.\nSecond one.").exists()
