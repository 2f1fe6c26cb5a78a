"""Public pages come from the cache until public data changes."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from core.cache import PublicPageCacheMiddleware, current_version
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


def test_with_a_shared_cache_the_version_is_a_token_replaced_on_commit(
    settings, django_capture_on_commit_callbacks
):
    settings.DATA_VERSION_STORE = "cache"
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    first = current_version()
    assert current_version() == first
    get(middleware)
    get(middleware)
    assert view.calls == 1
    with django_capture_on_commit_callbacks(execute=True):
        FigureFactory()
    assert current_version() != first
    assert get(middleware).content == b"figures: 1"
