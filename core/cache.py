"""The public pages' cache.

GET requests without a session, for pages outside the admin, are served from the cache
(local memory, or Redis shared by every server when REDIS_URL is set), under
a key that holds the data version. Saving or publishing anything in the
``measures`` and ``plan`` apps bumps the version, so nobody sees a stale page
after a publish. Browsers are told to revalidate (``no-cache``) and get an
ETag, so an unchanged page costs them a 304.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from .middleware import UNAVAILABLE, database_unavailable
from .models import DataVersion

CACHED_APPS = {"measures", "plan"}


VERSION_KEY = "data-version"


def current_version() -> str:
    """The version the cached pages are stored under.

    With a shared cache (Redis) and no read replica, it is a random token in
    the cache, replaced on every change: one round trip to Redis. Otherwise
    it is the number in the database: the only place every process sees, and,
    read from the replica with the pages' data, never ahead of that data.
    """
    if settings.DATA_VERSION_STORE == "cache":
        token = cache.get(VERSION_KEY)
        if token is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            token = cache.get(VERSION_KEY)
        return token
    version = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return str(version or 0)


def _new_token() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def bump_data_version() -> None:
    """Make every cached public page stale; call after any change of public data."""
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1)
    if settings.DATA_VERSION_STORE == "cache":
        # A new random token, whatever order two writers' commits land in.
        transaction.on_commit(_new_token)


def data_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the restored database starts with a fresh version anyway
    bump_data_version()


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


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        try:
            version = current_version()
        except UNAVAILABLE as error:
            return database_unavailable(request, error)
        key = f"page:{version}:{digest}"
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
            headers = dict(response.items())
            cache.set(
                key,
                (response.status_code, headers, response.content),
                settings.PUBLIC_CACHE_SECONDS,
            )
            response["X-Cache"] = "miss"
        return response
