"""Outages: a database that cannot be reached is a 503 with Retry-After on every
path, never a 500; a cache (Redis) that is away or full leaves the site
running uncached, sessions included; /healthz names what is away.

``tests/test_fault_matrix.py`` does the same for real, under load, with the
application in gunicorn and its servers behind relays that are cut.
"""

import time
from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory
from django.urls import reverse

from core.middleware import server_error

from ..public_helpers import public_urls
from .redis import full_redis, relayed_redis

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'

DOWNLOADS = [
    "/data/figures.csv",
    "/data/figures.csv?excel=1",
    "/data/figures.json",
    "/data/figures-readable.csv",
    "/data/figures.xlsx",
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
    url = reverse("pages:mapping")
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


@pytest.mark.postgres_only
@pytest.mark.parametrize("url", DOWNLOADS[:-1])
def test_a_download_not_yet_read_holds_nothing_open_on_the_connection(client, demo, url):
    """The database is reached in the view by one round trip, not by starting
    to read the rows: a COPY or a cursor left open until the response is read
    would hold the connection, and anything else the request (or a test) did
    with it meanwhile would wait for it for ever."""
    from django.db import connection

    response = client.get(url)
    assert response.status_code == 200
    assert not connection.connection.lock.locked()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone() == (0,)
    assert b"".join(response.streaming_content)


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


def test_healthz_names_the_database_when_it_is_away(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"database": "unavailable", "cache": "ok"}
    assert b"refused" not in response.content


def test_healthz_answers_200_with_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_with_redis_away_pages_are_served_uncached(client, demo, settings):
    url = reverse("pages:mapping")
    with relayed_redis(settings) as redis:
        assert client.get(url)["X-Cache"] == "miss"
        assert client.get(url)["X-Cache"] == "hit"
        redis.cut()
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200
            assert response["X-Cache"] == "miss"
        assert client.get("/healthz").json() == {"database": "ok", "cache": "unavailable"}
        redis.restore()
        time.sleep(0.25)  # the breaker's pause
        assert client.get("/healthz").json() == {"database": "ok", "cache": "ok"}
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"


def test_with_redis_away_a_request_does_not_wait_for_it(client, demo, settings):
    """A Redis that accepts connections but never answers (a network dropping
    packets) costs the first request one short timeout, and the following
    ones nothing while the breaker is open."""
    url = reverse("pages:mapping")
    with relayed_redis(settings, RETRY_SECONDS=30) as redis:
        client.get(url)
        redis.stall()
        started = time.monotonic()
        assert client.get(url).status_code == 200
        first = time.monotonic() - started
        tried = redis.connections
        started = time.monotonic()
        for _ in range(5):
            assert client.get(url).status_code == 200
        following = (time.monotonic() - started) / 5
        assert redis.connections == tried  # not tried again while the breaker is open
    assert first < 1.5  # one socket timeout (0.2 s), not a hang
    assert following < 1.0


def test_with_redis_away_staff_sign_in_and_stay_signed_in(client, demo, settings):
    from ..factories import UserFactory

    UserFactory(username="staff", is_staff=True, is_superuser=True)
    with relayed_redis(settings) as redis:
        response = client.post(
            reverse("admin:login"),
            {"username": "staff", "password": "correct horse battery staple"},
        )
        assert response.status_code == 302
        redis.cut()
        assert client.get(reverse("admin:index")).status_code == 200
        assert client.get(reverse("admin:measures_figure_changelist")).status_code == 200
        redis.restore()
        time.sleep(0.25)
        assert client.get(reverse("admin:index")).status_code == 200
    # Signed in the whole time: a cut never signed them out.
    client.cookies.clear()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_signed_out_session_stays_signed_out_after_a_redis_outage(client, demo, settings):
    from ..factories import UserFactory

    user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    with relayed_redis(settings) as redis:
        client.force_login(user)
        stolen = client.cookies["sessionid"].value
        assert client.get(reverse("admin:index")).status_code == 200
        redis.cut()
        client.post(reverse("admin:logout"))
        redis.restore()
        time.sleep(0.25)
        other = Client()
        other.cookies["sessionid"] = stolen
        assert other.get(reverse("admin:index")).status_code == 302


def test_a_correction_made_while_redis_was_away_shows_once_it_is_back(client, demo, settings):
    from measures.models import Figure

    figure = Figure.objects.published().filter(area__slug="humberside").first()
    url = reverse("pages:measure-detail", args=[figure.measure.slug])
    url += f"?area=humberside&period_from={figure.period_end}&period_to={figure.period_end}"
    with relayed_redis(settings) as redis:
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
        redis.cut()
        figure.value = 424242
        figure.save()
        redis.restore()
        time.sleep(0.25)
        response = client.get(url)
        assert b"424,242" in response.content or b"424242" in response.content
        again = client.get(url)
        assert again["X-Cache"] == "hit"
        assert again.content == response.content


def test_a_full_redis_that_refuses_writes_is_never_a_500(client, demo, settings):
    url = reverse("pages:mapping")
    with full_redis(settings):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert response["X-Cache"] == "miss"  # not kept, and no error
        assert client.get("/healthz").json() == {"database": "ok", "cache": "ok"}


def test_clearing_the_cache_deletes_only_its_own_keys(settings):
    from django.core.cache import cache, caches
    from django.core.cache.backends.redis import RedisCache

    with relayed_redis(settings):
        # Django's own clear() flushes the whole Redis database: never call it here.
        assert type(caches["default"]).clear is not RedisCache.clear
        cache.set("mine", 1)
        other = cache._cache.get_client(write=True)
        neighbour = f"neighbour-{settings.CACHES['default']['KEY_PREFIX']}"
        other.set(neighbour, "theirs", ex=60)
        try:
            cache.clear()
            assert cache.get("mine") is None
            assert other.get(neighbour) == b"theirs"
        finally:
            other.delete(neighbour)
