import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


@pytest.fixture
def upload(client):
    """Sends a file to the admin's CSV upload as the test's ``client``; returns
    the preview page."""

    def upload(data: bytes, name: str = "figures.csv"):
        file = SimpleUploadedFile(name, data, "text/csv")
        return client.post(reverse("admin:measures_figure_upload"), {"file": file})

    return upload


@pytest.fixture
def confirm_upload(client):
    """Confirms the upload a preview page (from ``upload``) offers, with any
    extra form fields (``publish="on"``)."""

    def confirm_upload(preview, **extra):
        token = preview.context["token"]
        return client.post(
            reverse("admin:measures_figure_upload_confirm"), {"token": token, **extra}
        )

    return confirm_upload
