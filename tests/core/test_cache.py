"""Public pages come from the cache until public data changes."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from core.cache import PublicPageCacheMiddleware, current_version
from measures.models import Figure

from ..factories import ContributionFactory, FigureFactory, UserFactory

pytestmark = pytest.mark.django_db


class CountingView:
    def __init__(self, response_class=HttpResponse):
        self.calls = 0
        self.response_class = response_class

    def __call__(self, request):
        self.calls += 1
        return self.response_class(f"figures: {Figure.objects.count()}")


def get(middleware, path="/measures/homicides/", user=None, method="get"):
    request = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
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
    assert current_version() > before


def test_query_strings_are_cached_apart():
    view = CountingView()
    middleware = PublicPageCacheMiddleware(view)
    get(middleware, "/data/?area=humberside")
    get(middleware, "/data/?area=england-and-wales")
    assert view.calls == 2


@pytest.mark.parametrize(
    ("path", "user", "method", "response_class"),
    [
        ("/measures/homicides/", "staff", "get", HttpResponse),
        ("/admin/measures/figure/", None, "get", HttpResponse),
        ("/healthz", None, "get", HttpResponse),
        ("/measures/homicides/", None, "post", HttpResponse),
        ("/data/figures.csv", None, "get", StreamingHttpResponse),
    ],
)
def test_what_is_never_cached(path, user, method, response_class):
    view = CountingView(response_class)
    middleware = PublicPageCacheMiddleware(view)
    user = UserFactory(is_staff=True) if user == "staff" else None
    get(middleware, path, user, method)
    get(middleware, path, user, method)
    assert view.calls == 2
