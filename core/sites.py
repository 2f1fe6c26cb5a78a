"""The staff admin site, its sign-in, and the one rule of who counts as staff.

Everything staff-only, in the admin or outside it (the staff downloads), asks
:meth:`StaffAdminSite.has_permission`: an active staff account and, with
``ADMIN_REQUIRE_TWO_FACTOR`` on, a session verified with a code.
"""

import ipaddress
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user


class TwoFactorAuthenticationForm(AdminAuthenticationForm):
    """Sign-in with a username, a password and a code from an authenticator app.

    It says the same whatever was wrong, so that it never tells anyone that
    a password was right, and it lists no device names (django-otp's own admin
    form does both). A wrong code counts as a failed sign-in, as a wrong
    password does, so that the lockout cannot tell them apart either.
    """

    otp_token = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        strip=True,
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "The username, password or code is not right. Check them and try again: "
            "the code is the one your authenticator app shows now. If you have no "
            "authenticator app set up for this account, ask an administrator."
        ),
    }

    def get_invalid_login_error(self):
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    def clean(self):
        try:
            cleaned = super().clean()
        except ValidationError:
            # Inactive or not staff reads the same as a wrong password.
            self.user_cache = None
            raise self.get_invalid_login_error() from None
        user = self.user_cache
        if user is None:
            return cleaned  # a field is missing: its own message says which
        device = self._device_accepting(user, cleaned.get("otp_token", "").replace(" ", ""))
        if device is None:
            self.user_cache = None
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned.get("username")},
                request=self.request,
            )
            raise self.get_invalid_login_error()
        # django-otp marks the session verified when it sees this at sign-in.
        user.otp_device = device
        return cleaned

    @staticmethod
    def _device_accepting(user, token: str):
        """The user's device that accepts ``token``, if any.

        Every device is an authenticator app (TOTP), so trying each in turn
        costs nothing but a failure count on the ones that do not match.
        """
        if not token:
            return None
        with transaction.atomic():
            for device in devices_for_user(user, confirmed=True, for_verify=True):
                allowed, _ = device.verify_is_allowed()
                if allowed and device.verify_token(token):
                    return device
        return None


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
        return TwoFactorAuthenticationForm if settings.ADMIN_REQUIRE_TWO_FACTOR else None

    @property
    def login_template(self):
        return "admin/two_factor_login.html" if settings.ADMIN_REQUIRE_TWO_FACTOR else None

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_REQUIRE_TWO_FACTOR or request.user.is_verified()

    def admin_view(self, view, cacheable=False):
        return super().admin_view(_refusing_unusable_parameters(view), cacheable)


OUT_OF_RANGE = {
    True: "A filter's value is out of range: go back to the list and choose again.",
    False: "A value is out of range (a number too large to be any record's): nothing was "
    "saved. Go back, correct it and save again.",
}


def _refusing_unusable_parameters(view):
    """An admin view that answers 400, in words, to what Django's admin
    would answer with an error: a filter value no database column holds
    (a number past 64 bits, which SQLite cannot even send; PostgreSQL
    refuses it), a NUL byte (PostgreSQL takes none in text), an empty
    ``_to_field`` (Django looks up a field named "")."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        problem = _unusable_parameter(request)
        if problem:
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        try:
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                # Rendered here, where a widget that looks up the posted choice
                # (the autocomplete's) meets the same guard.
                response.render()
            return response
        except ValueError as error:
            if not _unconvertible_lookup(error):
                raise
            # A choice posted for a related object that no key can be ("abc"
            # for a number), met by the autocomplete as it draws the refused
            # form again: the form had refused it, so nothing was saved.
            return HttpResponseBadRequest(NOT_A_CHOICE, content_type="text/plain; charset=utf-8")
        except (OverflowError, DataError):
            # A value the database cannot hold: a filter's, met as the list is
            # read, or a choice's in a form (a number past 64 bits posted for
            # a related object), met as the form is checked. The admin's forms
            # save in a transaction, so the exception has undone any write.
            return HttpResponseBadRequest(
                OUT_OF_RANGE[request.method == "GET"], content_type="text/plain; charset=utf-8"
            )

    return wrapped


NOT_A_CHOICE = "A choice is not any record's: nothing was saved. Go back, choose again and save."


def _unconvertible_lookup(error: ValueError) -> bool:
    """Django's error for a lookup whose value its field cannot convert
    (``IntegerField.get_prep_value``), as opposed to any other ValueError."""
    message = str(error)
    return message.startswith("Field '") and " expected a number but got " in message


def _unusable_parameter(request) -> str:
    for key, value in (*request.GET.items(), *request.POST.items()):
        if "\x00" in key or "\x00" in value:
            return "The request holds a NUL byte, which no field takes."
    if request.GET.get(TO_FIELD_VAR, None) == "" or request.POST.get(TO_FIELD_VAR, None) == "":
        return "The request names no field to use."
    return ""


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
