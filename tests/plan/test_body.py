"""The body that publishes the site is data, and every page's wording follows it."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plan.models import BodyKind, Plan, PublishingBody

pytestmark = pytest.mark.django_db

# The association's own name is not wording about this body.
COMMISSIONER = re.compile(r"(?<!Association of )Police and Crime Commissioner")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)


def walk(client, start="/", limit=400) -> dict[str, str]:
    """Every public HTML page reachable from ``start`` (no admin, no
    sorting or paging variants), as {path: text}."""
    admin = reverse("admin:index")
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        text = response.content.decode()
        pages[path] = text
        parser = Links()
        parser.feed(text)
        for href in parser.links:
            url = urlsplit(urljoin(path, href))
            if url.netloc or url.scheme not in ("", "http") or url.path.startswith(admin):
                continue
            query = f"?{url.query}" if url.query.startswith("framework=") else ""
            queue.append(url.path + query)
    return pages


def make_mayor():
    body = PublishingBody.objects.get()
    body.kind = BodyKind.MAYOR
    body.name = "Office of the Mayor of the Humber"
    body.holder_title = "Mayor of the Humber"
    body.holder_name = "A. Mayor"
    body.save()
    # What staff wrote for the old body is theirs to change; the site's own
    # wording is under test.
    Plan.objects.update(
        summary="The mayor's plan for keeping the Humber safe.",
        statement_intro="The national priorities, as the Home Secretary set them.",
    )


def test_with_a_mayor_no_page_says_police_and_crime_commissioner(client, demo):
    make_mayor()
    pages = walk(client)
    assert len(pages) > 30  # home, plans, outcomes, measures, priorities, statement, data…
    assert reverse("pages:mapping") in pages
    for path, text in pages.items():
        assert not COMMISSIONER.search(text), path
        assert "Office of the Mayor of the Humber" in text, path


def test_with_a_commissioner_the_pages_say_so(client, demo):
    page = client.get(reverse("pages:home")).content.decode()
    assert "Humberside Police and Crime Commissioner" in page
    assert "Jonathan Evison, Police and Crime Commissioner for Humberside" in page


def test_without_a_body_the_pages_still_work(client, demo):
    PublishingBody.objects.all().delete()
    page = client.get(reverse("pages:home")).content.decode()
    assert "Police and Crime Plan measures" in page
    assert "Published by" not in page


class TestAdmin:
    def change(self, admin_client, **fields):
        body = PublishingBody.objects.get()
        data = {
            "kind": body.kind,
            "name": body.name,
            "holder_title": body.holder_title,
            "holder_name": body.holder_name,
            "force_area": body.force_area_id,
            "logo_alt": "",
            "email": "",
            "telephone": "",
            "website": "",
            "address": "",
            **fields,
        }
        url = reverse("admin:plan_publishingbody_change", args=[body.pk])
        return admin_client.post(url, data)

    def test_the_body_is_edited_in_the_admin(self, admin_client, client, demo):
        response = self.change(
            admin_client, kind=BodyKind.BOARD, name="Humber Policing Board", address="1 Street"
        )
        assert response.status_code == 302
        page = client.get(reverse("pages:home")).content.decode()
        assert "Humber Policing Board" in page and "1 Street" in page

    def test_a_logo_is_kept_in_the_database_and_served(self, admin_client, client, demo):
        upload = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
        assert self.change(admin_client, logo_upload=upload, logo_alt="Crest").status_code == 302
        assert bytes(PublishingBody.objects.get().logo) == PNG
        logo = client.get(reverse("pages:logo"))
        assert logo["Content-Type"] == "image/png" and logo.content == PNG
        assert 'alt="Crest"' in client.get(reverse("pages:home")).content.decode()

    def test_an_svg_or_a_text_file_is_refused_and_nothing_saved(self, admin_client, client, demo):
        for name, data in (("logo.svg", b"<svg onload=alert(1)></svg>"), ("a.txt", b"hello")):
            upload = SimpleUploadedFile(name, data)
            response = self.change(admin_client, logo_upload=upload, name="Changed")
            assert response.status_code == 200
            assert "must be a PNG or JPEG image" in response.content.decode()
        assert PublishingBody.objects.get().name == "Humberside Police and Crime Commissioner"
        assert client.get(reverse("pages:logo")).status_code == 404

    def test_there_is_only_one_body(self, admin_client, demo):
        body = PublishingBody.objects.get()
        response = admin_client.post(
            reverse("admin:plan_publishingbody_add"),
            {
                "kind": BodyKind.MAYOR,
                "name": "A second",
                "holder_title": "Mayor",
                "force_area": body.force_area_id,
            },
        )
        assert "already has its publishing body" in response.content.decode()
        assert PublishingBody.objects.count() == 1
