"""Production settings, security headers, the health check, and the admin's
protection: sign-in throttling, two-factor sign-in, a configurable path."""

import secrets
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..commands import manage
from ..factories import UserFactory

PASSWORD = "correct horse battery staple"


def check_deploy(**env):
    """``manage.py check --deploy`` with debug off and a strong secret key."""
    return manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        **env,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = check_deploy(DJANGO_ALLOWED_HOSTS="measures.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_allowed_hosts():
    result = check_deploy()
    assert result.returncode != 0


def test_admin_path_is_configurable():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = manage("shell", "-c", code, DJANGO_ADMIN_PATH="staff-4f2a")
    assert result.stdout.strip().splitlines()[-1] == "/staff-4f2a/", result.stderr


@pytest.mark.django_db
def test_security_headers_on_the_admin_sign_in_page(client):
    response = client.get(reverse("admin:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_answers_503_without_details_when_the_database_is_away(client):
    with mock.patch(
        "core.health.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"refused" not in response.content


def sign_in(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, **extra},
        REMOTE_ADDR="203.0.113.9",
    )


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_out_with_a_clear_message(client, settings):
    UserFactory(username="staff", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "staff", "wrong").status_code == 200
    response = sign_in(client, "staff", "wrong")
    assert response.status_code == 429
    assert b"Signing in is paused" in response.content
    # Even the right password is refused while locked out.
    assert sign_in(client, "staff", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_superuser_can_unlock_an_account(client, settings):
    UserFactory(username="staff", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong")
    assert AccessAttempt.objects.filter(username="staff").exists()
    call_command("axes_reset_username", "staff")
    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.django_db
def test_access_attempts_are_in_the_admin_for_a_superuser_to_clear(admin_client):
    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_with_two_factor_compulsory_a_password_alone_is_not_enough(client, settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = True
    user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302

    # A session signed in without a code is not staff either.
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302
    client.logout()

    response = sign_in(
        client, "staff", PASSWORD, otp_device=device.persistent_id, otp_token=totp(device.bin_key)
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_two_factor_is_optional_when_the_setting_is_off(client, settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = False
    UserFactory(username="staff", is_staff=True)
    assert sign_in(client, "staff", PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_a_page_answers_503_while_the_database_is_away_and_recovers_after(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    from plan.demo import load_demo

    load_demo()
    url = reverse("pages:mapping")
    with mock.patch(
        "pages.views.Plan.objects.get_queryset",
        side_effect=OperationalError("could not connect to server: Connection refused"),
    ):
        response = client.get(url)
    assert response.status_code == 503
    assert b"Sorry, the site is unavailable" in response.content
    assert b"Connection refused" not in response.content
    assert response["Retry-After"] == "30"
    assert client.get(url).status_code == 200
