"""``/healthz``: whether each dependency answers, for a load balancer and an operator.

JSON, one word per dependency, no details (those go to the log)::

    {"database": "ok", "cache": "unavailable", "replica": "ok"}

``database`` is the primary; ``cache`` is Redis when ``REDIS_URL`` is set
(the local-memory cache is always "ok"); ``replica`` appears when
``DATABASE_REPLICA_URL`` is set. The status is 200 while the primary
database answers, whatever else is away (the site then runs degraded:
uncached, or reading from the primary), and 503 when it does not.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .middleware import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"


def _database(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: the database %r is unreachable: %s", alias, error)
        return UNAVAILABLE
    return OK


def _cache() -> str:
    ping = getattr(cache, "ping", None)  # a shared cache (core.cache_backends)
    if ping is None or ping():
        return OK
    return UNAVAILABLE


@never_cache
@require_safe
def healthz(request):
    report = {"database": _database("default"), "cache": _cache()}
    if "replica" in settings.DATABASES:
        report["replica"] = _database("replica")
    if report["database"] != OK:
        response = JsonResponse(report, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse(report)
