"""Which database a request reads from.

Two things are decided per request and hold for all of it, so that every read
of one request comes from one database (a page cached under a data version
read from the primary must not hold data read from a lagging replica):

- whether the replica may be read at all: not while it is away
  (``ReplicaAvailabilityMiddleware``, with a small circuit breaker);
- whether this request must read from the primary anyway: staff and every
  non-GET request (``PrimaryForStaffMiddleware``).
"""

import logging
import time
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections

from .middleware import UNAVAILABLE, database_unavailable

logger = logging.getLogger(__name__)

REPLICA = "replica"

_force_primary: ContextVar[bool] = ContextVar("force_primary", default=False)
_replica_usable: ContextVar[bool] = ContextVar("replica_usable", default=True)

# Per process: the monotonic time before which the replica is not tried again.
_replica_retry_at = 0.0


def primary_forced() -> bool:
    return _force_primary.get() or not _replica_usable.get()


def replica_answers() -> bool:
    """Whether the replica answers now (a health-checked connection); a
    failure keeps it out of use for ``DEPENDENCY_RETRY_SECONDS``."""
    global _replica_retry_at
    try:
        connections[REPLICA].cursor().close()
    except DatabaseError as error:
        if time.monotonic() >= _replica_retry_at:
            logger.warning("Read replica unavailable (%s); reading from the primary", error)
        _replica_retry_at = time.monotonic() + settings.DEPENDENCY_RETRY_SECONDS
        return False
    _replica_retry_at = 0.0
    return True


def _within(var: ContextVar, value, chunks: Iterator) -> Iterator:
    """A streaming response's chunks, each read with ``var`` set to ``value``:
    a download is read after the middleware returned, and must read from the
    database its request chose."""
    chunks = iter(chunks)
    while True:
        token = var.set(value)
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        finally:
            var.reset(token)
        yield chunk


def _holding(var: ContextVar, value, get_response, request):
    token = var.set(value)
    try:
        response = get_response(request)
    finally:
        var.reset(token)
    if getattr(response, "streaming", False):
        response.streaming_content = _within(var, value, response.streaming_content)
    return response


class ReplicaAvailabilityMiddleware:
    """The public's reads go to the primary while the replica is away.

    The first request after a failure waits for ``DEPENDENCY_RETRY_SECONDS``
    to pass before trying the replica again; the ones in between do not try.
    Trying is cheap: Django health-checks a reused connection before its first
    query in a request anyway, and this is that check, made first.
    """

    def __init__(self, get_response):
        if REPLICA not in settings.DATABASES:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        usable = request.method in ("GET", "HEAD") and (
            time.monotonic() >= _replica_retry_at and replica_answers()
        )
        return _holding(_replica_usable, usable, self.get_response, request)


class PrimaryForStaffMiddleware:
    """Staff and every non-GET request read from the primary database.

    The public's GET requests may read from the replica, which can lag by a
    moment; staff saving a figure must see it at once. Finding out who is
    signed in reads the session and the user: with the database away, that
    is a 503 here rather than a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        try:
            force = request.method not in ("GET", "HEAD") or bool(
                user is not None and user.is_authenticated and user.is_staff
            )
        except UNAVAILABLE as error:
            return database_unavailable(request, error)
        return _holding(_force_primary, force, self.get_response, request)
