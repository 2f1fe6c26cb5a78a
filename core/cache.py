"""The public pages' cache.

GET requests without a session, for pages outside the admin, are served from the cache
(local memory, or Redis shared by every server when REDIS_URL is set), under
a key that holds the data version. Saving or publishing anything in the
``measures`` and ``plan`` apps bumps the version, so nobody sees a stale page
after a publish. Browsers are told to revalidate (``no-cache``) and get an
ETag, so an unchanged page costs them a 304.

The data version lives in the database only, and is bumped in the same
transaction as the change: a cache that was away when a figure was corrected
cannot have missed the bump, so it can never serve the old page once it is
back. Reading it costs each request one small query, on the database the
page's data comes from (the replica, when there is one and it answers), so
that a cached page is never filed under a version newer than its data.

The key also holds the host (validated first: a page is never served for a
host the site does not answer to) and the query string, but only a query
string the page reads (declared with ``cache_query_parameters``), sorted;
a request with any other parameter is served fresh and not kept. What is
kept is bounded: a page larger than ``PUBLIC_CACHE_MAX_BYTES`` is not cached,
nor more than ``PUBLIC_CACHE_MAX_VARIANTS`` query strings of one page per
data version.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import F
from django.db.models.functions import Now
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control

from .middleware import UNAVAILABLE, database_unavailable
from .models import DataVersion

CACHED_APPS = {"measures", "plan"}


def current_version() -> str:
    """The version the cached pages are stored under: the number in the
    database, and when it last changed (so that a database restored from a
    backup, whose number may have been used before, starts afresh)."""
    # Read on every request for a cached page: plain SQL, which costs a tenth
    # of building the same query through the ORM (about 0.15 ms). The value
    # read is used as the database gives it: it only has to differ.
    alias = router.db_for_read(DataVersion)
    connection = connections[alias]
    meta = DataVersion._meta
    quote = connection.ops.quote_name
    columns = (meta.get_field(name).column for name in ("version", "changed_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, columns))} FROM {quote(meta.db_table)} "  # noqa: S608 - names from the model
            f"WHERE {quote(meta.pk.column)} = 1"
        )
        row = cursor.fetchone()
    if row is None:
        return "0"
    version, changed_at = row
    # No space: a cache key holds no whitespace.
    return f"{version}-{changed_at}".replace(" ", "T")


def bump_data_version() -> None:
    """Make every cached public page stale; call after any change of public data.

    In the caller's transaction: the new version is seen exactly when the
    change is.
    """
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=Now()):
        DataVersion.objects.get_or_create(pk=1)


def data_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the restored database starts with a fresh version anyway
    bump_data_version()


def cache_query_parameters(*names: str):
    """Declare the query parameters a public page reads (its filters, sort
    and page), on a view function or class: the page cache keeps those
    variants of the page apart, and does not cache a request with any other."""

    def declare(view):
        view.cache_query_parameters = frozenset(names)
        return view

    return declare


def understood_query(request) -> str | None:
    """The query string as the cache keys it, its parameters sorted; None
    when it holds a parameter the page does not read."""
    if not request.GET:
        return ""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view = getattr(match.func, "view_class", match.func)
    if not set(request.GET) <= getattr(view, "cache_query_parameters", frozenset()):
        return None
    return urlencode(sorted(request.GET.lists()), doseq=True)


def is_cacheable_request(request) -> bool:
    if settings.PUBLIC_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    path = request.path
    if path.startswith(("/" + settings.ADMIN_PATH, "/healthz", settings.STATIC_URL)):
        return False
    # Anyone with a session (staff, above all) gets the page fresh; the public
    # has none. Checking the cookie, not the user, lets a cached page be
    # served before the session and sign-in middleware run at all.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _may_keep_variant(version: str, page: str) -> bool:
    """Whether one more query-string variant of ``page`` may be cached under
    ``version``: a counter per page and version, which expires with them."""
    key = f"variants:{version}:{page}"
    cache.add(key, 0, settings.PUBLIC_CACHE_SECONDS)
    try:
        return cache.incr(key) <= settings.PUBLIC_CACHE_MAX_VARIANTS
    except ValueError:  # gone since the add (evicted), or the cache is away
        return False


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        # Before the cache: a host the site does not answer to is a 400
        # (DisallowedHost), never a page cached for another host.
        host = request.get_host()
        query = understood_query(request)
        if query is None:
            return self.get_response(request)
        try:
            version = current_version()
        except UNAVAILABLE as error:
            return database_unavailable(request, error)
        page = _digest(request.scheme, host, request.path)
        key = f"page:{version}:{page}:{_digest(query)}"
        cached = cache.get(key)
        if cached is not None:
            # Stored as content and headers: cheaper to load than a pickled response.
            status, headers, content = cached
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "hit"
            # The middleware below, which would answer a revalidation, is skipped.
            return get_conditional_response(request, etag=response.get("ETag"), response=response)
        response = self.get_response(request)
        if is_cacheable_response(response):
            patch_cache_control(response, no_cache=True, public=True)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if len(response.content) <= settings.PUBLIC_CACHE_MAX_BYTES and (
                not query or _may_keep_variant(version, page)
            ):
                headers = dict(response.items())
                cache.set(
                    key,
                    (response.status_code, headers, response.content),
                    settings.PUBLIC_CACHE_SECONDS,
                )
            response["X-Cache"] = "miss"
        return response
