"""A clear 503 while the database is away, instead of a server error; and
gzip for public responses only (``PublicGZipMiddleware``, at the end).

A request can meet the database in several places: the page cache reading the
data version, the session and the user being loaded, the view, its template,
and the first rows of a download (read before the response starts, see
``opendata``). Each place that can answers with ``database_unavailable``;
``server_error`` (the site's 500 handler) is the net under all of them.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

# The errors of a database that cannot be reached (Django's wrappers of the
# driver's), not those of a bad query, which stay server errors.
UNAVAILABLE = (OperationalError, InterfaceError)

RETRY_AFTER_SECONDS = 30


def database_unavailable(request, error: Exception) -> HttpResponse:
    """The 503 page, with ``Retry-After``, without details of the error."""
    logger.error("Database unavailable for %s: %s", request.path, error)
    response = HttpResponse(
        # No request context: the context processors would read the user.
        render_to_string("503.html"),
        status=503,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a short page when a view cannot reach the database.

    Django closes a broken connection at the end of the request and opens a
    new one for the next, so the site recovers by itself when the database
    comes back; no restart is needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE):
            return None
        return database_unavailable(request, exception)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """Django's 500 page, or the 503 page when what failed was reaching the
    database outside a view (a middleware, a response being finished)."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        return database_unavailable(request, error)
    return defaults.server_error(request, template_name)


# What is worth compressing: HTML, CSV, JSON and other text. A PDF, an image
# or a workbook is compressed already.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/geo+json", "image/svg+xml")


def may_compress(request, response) -> bool:
    """Whether a response may be sent gzipped without helping a BREACH attack.

    BREACH recovers a secret from the size of a compressed response that
    also reflects what an attacker sent. The public pages carry no secret, so
    they are compressed; nothing that may carry one is: the admin (CSRF
    tokens, and its own address when that is kept secret), any response into
    which a CSRF token was written, and anything for a signed-in user (a
    session cookie). Static files are left to WhiteNoise, which serves them
    compressed ahead of time.
    """
    path = request.path_info
    if path.startswith(("/" + settings.ADMIN_PATH, "/" + settings.STATIC_URL.lstrip("/"))):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    # Set by Django's get_token(): a CSRF token went into this response.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type.startswith(COMPRESSIBLE_TYPES)


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for public responses only (see ``may_compress``).

    It compresses streamed downloads chunk by chunk, in constant memory, and
    adds ``Vary: Accept-Encoding``; its random bytes in each gzip header
    (Django's "Heal the Breach" padding) are kept as a second defence.
    """

    def process_response(self, request, response):
        if not may_compress(request, response):
            return response
        return super().process_response(request, response)
