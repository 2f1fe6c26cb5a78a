"""Signing in to the admin: the lockout counts the client's address behind a
proxy, the two-factor form gives nothing away, and everything staff-only
(the staff downloads too) asks for a verified session."""

import re
import runpy

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.sites import client_ip_address
from opendata.admin_actions import export_figures_csv

from ..commands import ROOT
from ..factories import UserFactory, user_in_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SETTINGS = ROOT / "policing" / "settings.py"
PROXY = "127.0.0.1"
ATTACKER, COLLEAGUE = "198.51.100.7", "203.0.113.20"


def sign_in(client, username, password, *, forwarded_for=None, **extra):
    """A sign-in through the proxy, which appends the client's address to
    whatever X-Forwarded-For the client sent."""
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, **extra}, **headers
    )


@pytest.fixture
def behind_a_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ADMIN_REQUIRE_TWO_FACTOR = False


# The lockout behind a proxy


def test_failures_from_one_client_do_not_lock_out_another_behind_the_proxy(
    client, settings, behind_a_proxy
):
    UserFactory(username="staff", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "staff", "wrong", forwarded_for=ATTACKER)
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == ATTACKER

    response = sign_in(client, "staff", PASSWORD, forwarded_for=COLLEAGUE)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_forged_forwarded_for_prefix_does_not_dodge_the_lockout(client, settings, behind_a_proxy):
    UserFactory(username="staff", is_staff=True)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # The client writes a new address each time; the proxy appends the real one.
        forged = f"192.0.2.{attempt}, {ATTACKER}"
        response = sign_in(client, "staff", "wrong", forwarded_for=forged)
    assert response.status_code == 429
    response = sign_in(client, "staff", PASSWORD, forwarded_for=f"192.0.2.99, {ATTACKER}")
    assert response.status_code == 429


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, "192.0.2.1, 198.51.100.7", PROXY),  # not behind a proxy: the connection
        (1, "192.0.2.1, 198.51.100.7", "198.51.100.7"),
        (1, "198.51.100.7", "198.51.100.7"),
        (2, "192.0.2.1, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # shorter than the chain: the farthest known
        (1, "", PROXY),  # straight to the application
        (1, "192.0.2.1, not-an-address", PROXY),
        (1, "192.0.2.1,2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_address_is_the_one_the_proxy_appended(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip_address(request) == expected


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, 0),
        ({"DJANGO_BEHIND_PROXY": "1"}, 1),
        ({"DJANGO_BEHIND_PROXY": "1", "DJANGO_TRUSTED_PROXIES": "2"}, 2),
        ({"DJANGO_TRUSTED_PROXIES": "2"}, 0),  # not behind a proxy: nothing forwarded counts
    ],
)
def test_the_proxy_settings_come_from_the_environment(monkeypatch, env, expected):
    for name in ("DJANGO_BEHIND_PROXY", "DJANGO_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # The settings file read afresh, as a server starting with this environment would.
    assert runpy.run_path(str(SETTINGS))["TRUSTED_PROXY_COUNT"] == expected


# The two-factor form


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = True
    user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="Pat's work phone", confirmed=True)
    return device


def wrong_code(device) -> str:
    return f"{(int(totp(device.bin_key)) + 1) % 1_000_000:06d}"


def error_note(response) -> str:
    return " ".join(re.findall(r'<p class="errornote">\s*(.*?)\s*</p>', response.content.decode()))


def test_the_two_factor_form_says_the_same_whatever_was_wrong(client, two_factor):
    device = two_factor
    attempts = {
        "wrong password": sign_in(client, "staff", "wrong", otp_token=totp(device.bin_key)),
        "wrong code": sign_in(client, "staff", PASSWORD, otp_token=wrong_code(device)),
        "no code": sign_in(client, "staff", PASSWORD),
        "unknown user": sign_in(client, "nobody", PASSWORD, otp_token="123456"),
    }
    notes = {what: error_note(response) for what, response in attempts.items()}
    assert len(set(notes.values())) == 1, notes
    assert "username, password or code is not right" in notes["wrong code"]
    for what, response in attempts.items():
        text = response.content.decode()
        assert response.status_code == 200, what
        assert "Pat&#x27;s work phone" not in text and "Pat's work phone" not in text, what
        assert 'name="otp_device"' not in text, what
        assert 'name="otp_token"' in text, what
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_wrong_code_counts_towards_the_lockout_as_a_wrong_password_does(
    client, settings, two_factor
):
    device = two_factor
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(
            client, "staff", PASSWORD, forwarded_for=ATTACKER, otp_token=wrong_code(device)
        )
    assert response.status_code == 429
    response = sign_in(client, "staff", PASSWORD, otp_token=totp(device.bin_key))
    assert response.status_code == 429


def test_the_right_password_and_code_sign_in_a_verified_session(client, two_factor):
    device = two_factor
    response = sign_in(client, "staff", PASSWORD, otp_token=totp(device.bin_key))
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_typed_with_a_space_is_accepted(client, two_factor):
    code = f"{totp(two_factor.bin_key):06d}"
    response = sign_in(client, "staff", PASSWORD, otp_token=f"{code[:3]} {code[3:]}")
    assert response.status_code == 302


# Staff downloads ask what the admin asks


STAFF_DOWNLOADS = ["opendata:staff", "opendata:staff-figures-csv", "opendata:staff-figures-json"]


def verify(client, user):
    """A session signed in with a code, as the two-factor form leaves it."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.mark.parametrize("name", STAFF_DOWNLOADS)
def test_staff_downloads_need_a_verified_session_as_the_admin_does(client, settings, name):
    settings.ADMIN_REQUIRE_TWO_FACTOR = True
    publisher = user_in_role("Publisher")
    client.force_login(publisher)  # signed in before two-factor was on, say
    for url in (reverse("admin:index"), reverse(name)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))

    verify(client, publisher)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", STAFF_DOWNLOADS)
def test_staff_downloads_refuse_an_account_no_longer_staff(client, name):
    publisher = user_in_role("Publisher")
    client.force_login(publisher)
    publisher.is_staff = False
    publisher.save()
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_export_action_asks_the_same_as_the_admin(settings, rf):
    from django.contrib import admin

    from measures.models import Figure

    settings.ADMIN_REQUIRE_TWO_FACTOR = True
    request = rf.post("/")
    request.user = user_in_role("Publisher")
    request.user.is_verified = lambda: False
    modeladmin = admin.site._registry[Figure]
    with pytest.raises(PermissionDenied):
        export_figures_csv(modeladmin, request, Figure.objects.all())
