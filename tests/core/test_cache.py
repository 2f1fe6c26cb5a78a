"""Public pages come from the cache until public data changes."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from core.cache import PublicPageCacheMiddleware, bump_data_version, current_version
from measures.models import Figure

from ..factories import ContributionFactory, FigureFactory

pytestmark = pytest.mark.django_db


class CountingView:
    def __init__(self, response_class=HttpResponse):
        self.calls = 0
        self.response_class = response_class

    def __call__(self, request):
        self.calls += 1
        return self.response_class(f"figures: {Figure.objects.count()}")


def get(middleware, path="/measures/homicides/", session=False, method="get"):
    request = getattr(RequestFactory(), method)(path)
    if session:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-staff-members-session"
    return middleware(request)


def test_the_second_anonymous_request_is_served_from_the_cache():
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    first = get(middleware)
    second = get(middleware)
    assert view.calls == 1
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert "no-cache" in second["Cache-Control"]


def test_a_saved_figure_makes_cached_pages_stale():
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    assert get(middleware).content == b"figures: 0"
    figure = FigureFactory()
    assert get(middleware).content == b"figures: 1"
    figure.value = Decimal("99")
    figure.save()
    get(middleware)
    assert view.calls == 3


def test_publishing_with_a_queryset_update_is_caught_by_the_service_not_the_signal():
    # A bulk update sends no signal: services that use one bump the version themselves.
    FigureFactory()
    before = current_version()
    Figure.objects.update(status="draft")
    assert current_version() == before


@pytest.mark.parametrize("change", ["contribution", "delete"])
def test_any_change_of_public_data_bumps_the_version(change):
    figure = FigureFactory()
    before = current_version()
    if change == "contribution":
        ContributionFactory(measure=figure.measure)
    else:
        figure.delete()
    assert current_version() != before


def test_query_strings_are_cached_apart():
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    get(middleware, "/data/?area=humberside")
    get(middleware, "/data/?area=england-and-wales")
    assert view.calls == 2


@pytest.mark.parametrize(
    ("path", "session", "method", "response_class"),
    [
        ("/measures/homicides/", True, "get", HttpResponse),
        ("/admin/measures/figure/", False, "get", HttpResponse),
        ("/healthz", False, "get", HttpResponse),
        ("/measures/homicides/", False, "post", HttpResponse),
        ("/data/figures.csv", False, "get", StreamingHttpResponse),
    ],
)
def test_what_is_never_cached(path, session, method, response_class):
    view = CountingView(response_class)
    middleware = PublicPageCacheMiddleware(view)
    get(middleware, path, session, method)
    get(middleware, path, session, method)
    assert view.calls == 2


def test_a_signed_in_staff_member_sees_a_fresh_page_not_the_cached_one(admin_client):
    from django.test import Client
    from django.urls import reverse

    from measures.models import Figure
    from plan.demo import load_demo

    load_demo()
    url = reverse("pages:mapping")
    client = Client()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    assert "X-Cache" not in admin_client.get(url)
    assert Figure.objects.exists()


def test_the_version_is_bumped_in_the_same_transaction_as_the_change(transactional_db):
    """Kept in the database with the data, the version cannot miss a change
    that was committed, nor announce one that was rolled back."""
    from django.db import transaction

    before = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        FigureFactory()
        assert current_version() != before
        raise RuntimeError("rolled back")
    assert current_version() == before
    FigureFactory()
    assert current_version() != before


def test_a_database_restored_with_an_old_version_number_does_not_get_old_pages():
    from core.models import DataVersion

    bump_data_version()
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    get(middleware)
    number = DataVersion.objects.get(pk=1).version
    DataVersion.objects.all().delete()
    DataVersion.objects.create(pk=1, version=number)  # the same number, made at another time
    get(middleware)
    assert view.calls == 2


def test_parameters_the_page_does_not_read_are_not_cached():
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    for _ in range(2):
        assert "X-Cache" not in get(middleware, "/measures/homicides/?utm_source=x")
    for _ in range(2):  # a page that reads none
        assert "X-Cache" not in get(middleware, "/mapping/?area=humberside")
    assert view.calls == 4


def test_the_parameters_a_page_reads_are_cached_whatever_their_order():
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    get(middleware, "/measures/homicides/?area=humberside&sort=-period")
    second = get(middleware, "/measures/homicides/?sort=-period&area=humberside")
    assert second["X-Cache"] == "hit"
    assert view.calls == 1


def test_a_page_keeps_a_bounded_number_of_query_string_variants(settings):
    settings.PUBLIC_CACHE_MAX_VARIANTS = 3
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    pages = [f"/data/?page={n}" for n in range(1, 6)]
    for path in pages:
        get(middleware, path)
    kept = [get(middleware, path)["X-Cache"] for path in pages]
    assert kept == ["hit", "hit", "hit", "miss", "miss"]
    # The page without a query string is always kept, and another page has its own count.
    get(middleware, "/data/")
    get(middleware, "/measures/homicides/?page=2")
    assert get(middleware, "/data/")["X-Cache"] == "hit"
    assert get(middleware, "/measures/homicides/?page=2")["X-Cache"] == "hit"


def test_a_page_too_large_to_keep_is_served_but_not_cached(settings):
    settings.PUBLIC_CACHE_MAX_BYTES = 9  # one byte short
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    first = get(middleware)
    assert first.content == b"figures: 0"
    assert get(middleware)["X-Cache"] == "miss"
    assert view.calls == 2


def test_a_cached_page_is_never_served_for_a_host_the_site_does_not_answer_to(client, settings):
    settings.ALLOWED_HOSTS = ["measures.example.org"]
    url = "/measures/homicides/"
    assert client.get(url, HTTP_HOST="measures.example.org").status_code == 200
    assert client.get(url, HTTP_HOST="measures.example.org")["X-Cache"] == "hit"
    response = client.get(url, HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "X-Cache" not in response


def test_each_host_has_its_own_cached_pages(settings):
    settings.ALLOWED_HOSTS = ["measures.example.org", "www.measures.example.org"]
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    for host in ("measures.example.org", "www.measures.example.org"):
        request = RequestFactory().get("/measures/homicides/", HTTP_HOST=host)
        assert middleware(request)["X-Cache"] == "miss"
    assert view.calls == 2


def test_the_redis_cache_builds_one_client_per_connection_pool():
    """Django's Redis cache built a redis-py client for every call (a
    quarter of the time a cached page took); one per pool is shared."""
    from core.cache_backends import ResilientRedisCache

    redis = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {}})._cache
    first = redis.get_client("a", write=True)
    assert redis.get_client("b") is first
    assert first.connection_pool is redis._get_connection_pool(write=False)
