"""A clear 503 while the database is away, instead of a server error."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a short page when the database cannot be reached.

    Django closes a broken connection at the end of the request and opens a
    new one for the next, so the site recovers by itself when the database
    comes back; no restart is needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        response = HttpResponse(
            render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
        )
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
