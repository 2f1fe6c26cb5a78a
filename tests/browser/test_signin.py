"""The two-factor sign-in page in a real Chromium: accessible at every width,
with its one message, and signing in with a real code."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

from .test_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def device(settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = True
    user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    return TOTPDevice.objects.create(user=user, name="Pat's work phone", confirmed=True)


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_the_two_factor_sign_in_page_has_no_violations(live_server, page, device, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("admin:login"))
    assert axe_violations(page) == []
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", "000000" if totp(device.bin_key) != 0 else "111111")
    page.click("input[type=submit]")
    assert page.locator(".errornote").inner_text().startswith("The username, password or code")
    assert "Pat's work phone" not in page.content()
    assert axe_violations(page) == []
    assert page.errors == []


def test_signing_in_with_a_code_opens_the_admin(live_server, page, device):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    assert page.errors == []
