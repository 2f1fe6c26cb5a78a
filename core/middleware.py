"""A clear 503 while the database is away, instead of a server error.

A request can meet the database in several places: the page cache reading the
data version, the session and the user being loaded, the view, its template,
and the first rows of a download (read before the response starts, see
``opendata``). Each place that can answers with ``database_unavailable``;
``server_error`` (the site's 500 handler) is the net under all of them.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
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
