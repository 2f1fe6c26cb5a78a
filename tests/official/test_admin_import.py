"""The admin page "Import an official release": upload → preview → confirm."""

import pytest
from django.urls import reverse

from measures.models import Figure, PublicationStatus
from official.models import Release

pytestmark = pytest.mark.django_db

IMPORT = "admin:official_release_import"
CONFIRM = "admin:official_release_import_confirm"
NAME = "prc-pfa-mar2013-onwards-tables-230426.ods"


def _upload(client, path, name=NAME):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, path.read_bytes())
    return client.post(reverse(IMPORT), {"file": upload, "release_date": ""})


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("staff", 403), ("Data entry", 403), ("Publisher", 200)],
)
def test_who_may_import(client, login_as, role, status):
    login_as(role)
    assert client.get(reverse(IMPORT)).status_code == status


def test_upload_preview_confirm_writes_the_release(client, login_as, home_office):
    publisher = login_as("Publisher")
    page = _upload(client, home_office.path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Home Office release of 23 April 2026" in text and 'id="import-summary"' in text
    assert Figure.objects.count() == 0, "the preview writes nothing"
    token = page.context["token"]
    done = client.post(reverse(CONFIRM), {"token": token, "publish": "on"})
    assert done.status_code == 302
    release = Release.objects.get()
    assert release.imported_by == publisher and release.added == Figure.objects.count() > 0
    assert set(Figure.objects.values_list("status", flat=True)) == {PublicationStatus.PUBLISHED}
    again = _upload(client, home_office.path)
    assert "already imported" in again.content.decode() and not again.context["token"]


def test_a_stale_preview_is_refused_at_the_confirmation(client, login_as, home_office):
    login_as("Publisher")
    token = _upload(client, home_office.path).context["token"]
    from official.models import Recipe

    Recipe.objects.filter(measure__slug="homicides").update(offence_codes="1, 4.1")
    refused = client.post(reverse(CONFIRM), {"token": token})
    assert refused.status_code == 409
    assert "Preview the file again" in refused.content.decode()
    assert Figure.objects.count() == 0 and Release.objects.count() == 0


def test_a_bad_file_is_refused_with_where(client, login_as, tmp_path):
    login_as("Publisher")
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n")
    page = _upload(client, path, name="notes.csv")
    assert page.status_code == 400
    assert "not a spreadsheet" in page.content.decode()
    assert Figure.objects.count() == 0 and Release.objects.count() == 0
