"""The staff admin site and the one rule of who counts as staff.

Everything staff-only, in the admin or outside it (the staff downloads), asks
:meth:`StaffAdminSite.has_permission`: an active staff account and, with
``ADMIN_REQUIRE_TWO_FACTOR`` on, a session verified with a code.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_otp.admin import OTPAdminAuthenticationForm


class StaffAdminSite(admin.AdminSite):
    """The staff admin.

    With ``ADMIN_REQUIRE_TWO_FACTOR`` on, the sign-in form asks for a code from
    an authenticator app (TOTP) and a staff member whose session was not
    verified with one is treated as if they were not staff at all.
    """

    site_header = "Policing measures: staff"
    site_title = "Policing measures admin"
    index_title = "Figures, measures and the Police and Crime Plan"

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_TWO_FACTOR else None

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.ADMIN_REQUIRE_TWO_FACTOR else None

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_REQUIRE_TWO_FACTOR or request.user.is_verified()


def staff_view(view):
    """A staff page outside the admin, let in on the admin's own terms.

    Whoever the admin would send to its sign-in page (signed out, not staff,
    or, with two-factor sign-in on, a session not verified with a code) is
    sent there too; drafts never reach a session the admin itself refuses.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not admin.site.has_permission(request):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def client_ip_address(request) -> str | None:
    """The client's address, for the sign-in lockout (``AXES_CLIENT_IP_CALLABLE``).

    Directly on the internet it is the connection's address. Behind
    ``TRUSTED_PROXY_COUNT`` proxies, each of which appends the address it was
    reached from to ``X-Forwarded-For``, it is that many entries from the end:
    the one our own outermost proxy wrote. Entries before it are whatever the
    client sent, and trusting them would let anyone choose the address their
    failures count against.
    """
    connection = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return connection
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        return connection  # not through the proxy at all
    try:
        # Fewer entries than proxies: the farthest address known.
        return str(ipaddress.ip_address(hops[-min(proxies, len(hops))]))
    except ValueError:
        return connection
