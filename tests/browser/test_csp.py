"""No page breaks the Content-Security-Policy: no inline script or style on
any public page or any admin page a member of staff opens."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory
from tests.public_helpers import public_urls

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def csp_violations(page):
    return [error for error in page.errors if "Content Security Policy" in error]


class AddRequest:
    """Enough of a superuser's request to ask an admin whether it can add."""

    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(perm, obj=None):
            return True


def admin_pages():
    pages = [reverse("admin:index"), reverse("opendata:staff")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if admin.site._registry[model].has_add_permission(AddRequest()):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None and model._meta.app_label in {"measures", "plan"}:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            pages.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    pages.append(reverse("admin:measures_figure_upload"))
    pages.append(reverse("admin:measures_figure_bulk_entry"))
    return pages


def test_no_admin_page_breaks_the_content_security_policy(live_site, page):
    UserFactory(username="staff", is_staff=True, is_superuser=True)
    page.goto(live_site + reverse("admin:login"))
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_site + reverse("admin:index"))
    visited = []
    for path in admin_pages():
        # "load", not "networkidle": a busy machine can keep an admin page's
        # network from ever going quiet for half a second; CSP reports for
        # inline script and style come while the page is parsed anyway.
        response = page.goto(live_site + path, wait_until="load")
        assert response.status == 200, path
        assert csp_violations(page) == [], path
        visited.append(path)
    assert len(visited) > 40


def test_no_public_page_breaks_the_content_security_policy(site, page):
    for name, path in public_urls().items():
        if name == "chart":
            continue  # JSON, not a page (and the browser asks for a favicon for it)
        page.goto(site + path, wait_until="load")
        assert csp_violations(page) == [], path
