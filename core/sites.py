from django.conf import settings
from django.contrib import admin
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
