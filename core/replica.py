"""Which database a request reads from."""

from contextvars import ContextVar

_force_primary: ContextVar[bool] = ContextVar("force_primary", default=False)


def primary_forced() -> bool:
    return _force_primary.get()


class PrimaryForStaffMiddleware:
    """Staff and every non-GET request read from the primary database.

    The public's GET requests may read from the replica, which can lag by a
    moment; staff saving a figure must see it at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        force = request.method not in ("GET", "HEAD") or bool(
            user is not None and user.is_authenticated and user.is_staff
        )
        token = _force_primary.set(force)
        try:
            return self.get_response(request)
        finally:
            _force_primary.reset(token)
