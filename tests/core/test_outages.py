"""Outages: a database that cannot be reached is a 503 with Retry-After on every
path, never a 500.
"""

from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import server_error

from ..public_helpers import public_urls

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'

DOWNLOADS = [
    "/data/figures.csv",
    "/data/figures.csv?excel=1",
    "/data/figures.json",
    "/data/mapping.csv",
    "/data/measures.csv",
    "/data/mapping.csv?excel=1",
    "/data/package.zip",
]


def database_down_now():
    """Every query fails as it does when the database server cannot be
    reached: a new cursor, the first thing any query asks of a connection,
    raises the driver's error (wrapped by Django, as it wraps psycopg's)."""
    return mock.patch.object(BaseDatabaseWrapper, "_cursor", side_effect=OperationalError(REFUSED))


@pytest.fixture
def database_down():
    with database_down_now():
        yield


def assert_unavailable(response):
    assert response.status_code == 503, response
    assert response["Retry-After"] == "30"
    assert not response.streaming
    assert b"Connection refused" not in response.content


@pytest.mark.parametrize("page", [*public_urls(), *DOWNLOADS])
def test_every_public_page_and_download_is_a_503_while_the_database_is_away(
    client, page, database_down
):
    assert_unavailable(client.get(public_urls().get(page, page)))


@pytest.mark.parametrize("url", DOWNLOADS)
def test_a_download_fails_before_its_first_byte_when_the_database_is_away(
    client, url, settings, database_down
):
    """Uncached, the download is the first to reach the database: it reads its
    first rows in the view, so that a failure is a 503, not a cut-off 200
    whose headers were already sent."""
    settings.PUBLIC_CACHE_SECONDS = 0
    assert_unavailable(client.get(url))


def test_a_page_cached_before_the_outage_is_a_503_not_a_500(client, demo):
    # The data version cannot be read, so no cached page can be known fresh.
    url = reverse("plan:mapping")
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    with database_down_now():
        assert_unavailable(client.get(url))
    assert client.get(url)["X-Cache"] == "hit"


@pytest.mark.parametrize(
    "url",
    ["/", "/measures/homicides/", "/data/staff/figures.csv", "/data/staff/figures.json", "/admin/"],
)
def test_signed_in_staff_get_a_503_while_the_database_is_away(admin_client, url):
    with database_down_now():
        response = admin_client.get(url)
    assert_unavailable(response)
    assert admin_client.get(url).status_code == 200  # and recovers by itself


def test_the_500_handler_answers_503_for_a_database_error_met_outside_a_view(db):
    request = RequestFactory().get("/")
    try:
        raise OperationalError(REFUSED)
    except OperationalError:
        response = server_error(request)
    assert_unavailable(response)


def test_any_other_error_is_still_a_500(db):
    request = RequestFactory().get("/")
    try:
        raise ProgrammingError("column does not exist")
    except ProgrammingError:
        response = server_error(request)
    assert response.status_code == 500
