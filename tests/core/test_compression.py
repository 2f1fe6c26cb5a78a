"""Public HTML, CSV and JSON go gzipped to a client that accepts it; nothing
that may carry a secret does (BREACH: see core.middleware.may_compress)."""

import gzip

import pytest
from django.urls import reverse

from tests.public_helpers import public_urls

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    "url",
    [
        public_urls()["home"],
        public_urls()["statement"],
        reverse("opendata:figures-csv"),
        reverse("opendata:figures-json"),
        reverse("opendata:mapping-csv"),
        public_urls()["chart"],
    ],
)
def test_public_responses_are_gzipped(client, demo, url):
    plain = client.get(url)
    compressed = client.get(url, **GZIP)
    assert compressed.status_code == plain.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert "Accept-Encoding" in plain["Vary"]  # a shared cache keeps the two apart
    assert "Content-Encoding" not in plain
    assert gzip.decompress(body(compressed)) == body(plain)


def test_a_streamed_download_stays_streamed(client, demo):
    response = client.get(reverse("opendata:figures-csv"), **GZIP)
    assert response.streaming
    assert "Content-Length" not in response
    assert gzip.decompress(body(response)).startswith(b"measure")


def test_a_cached_page_is_gzipped_and_revalidates(client, demo):
    url = public_urls()["home"]
    client.get(url)  # now cached
    response = client.get(url, **GZIP)
    assert response["Content-Encoding"] == "gzip"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **GZIP)
    assert again.status_code == 304


def test_a_client_without_gzip_gets_plain_text(client, demo):
    response = client.get(public_urls()["home"], HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in response
    assert b"<!doctype html>" in response.content


@pytest.mark.django_db
def test_the_admin_sign_in_page_with_its_csrf_token_is_not_compressed(client):
    response = client.get(reverse("admin:login"), **GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_a_signed_in_users_pages_are_not_compressed(admin_client, demo):
    for url in (public_urls()["home"], reverse("admin:index"), reverse("opendata:staff")):
        response = admin_client.get(url, **GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url


def test_a_zip_is_not_compressed_again(client, demo):
    response = client.get(reverse("opendata:package"), **GZIP)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "Content-Encoding" not in response
