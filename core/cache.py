"""The public pages' cache.

Anonymous GET requests for pages outside the admin are served from the cache
(local memory, or Redis shared by every server when REDIS_URL is set), under
a key that holds the data version. Saving or publishing anything in the
``measures`` and ``plan`` apps bumps the version, so nobody sees a stale page
after a publish. Browsers are told to revalidate (``no-cache``) and get an
ETag, so an unchanged page costs them a 304.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils.cache import patch_cache_control

from .models import DataVersion

CACHED_APPS = {"measures", "plan"}


def current_version() -> int:
    version = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return version or 0


def bump_data_version() -> None:
    """Make every cached public page stale; call after any change of public data."""
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1)


def data_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the restored database starts with a fresh version anyway
    bump_data_version()


def is_cacheable_request(request) -> bool:
    if settings.PUBLIC_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    path = request.path
    if path.startswith(("/" + settings.ADMIN_PATH, "/healthz")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


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
        key = f"page:{current_version()}:{digest}"
        response = cache.get(key)
        if response is not None:
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if is_cacheable_response(response):
            patch_cache_control(response, no_cache=True, public=True)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response
