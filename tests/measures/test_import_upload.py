"""The CSV upload in the admin: upload, preview, confirm, for every role."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.csvformat import FIGURE_COLUMNS
from measures.models import Figure, PublicationStatus
from measures.services import save_figure
from tests.factories import UserFactory

from .csvfiles import make_csv, row, saved_figure

pytestmark = pytest.mark.django_db

UPLOAD = "admin:measures_figure_upload"
CONFIRM = "admin:measures_figure_upload_confirm"
TEMPLATE = "admin:measures_figure_upload_template"


@pytest.mark.parametrize(
    "role, status",
    [
        ("anonymous", 302),
        ("staff", 403),
        ("Data entry", 200),
        ("Publisher", 200),
        ("superuser", 200),
    ],
)
@pytest.mark.parametrize("url", [UPLOAD, TEMPLATE])
def test_who_may_upload(client, login_as, role, status, url):
    login_as(role)
    response = client.get(reverse(url))
    assert response.status_code == status
    if role == "anonymous":
        assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "role, allowed", [("anonymous", False), ("staff", False), ("Data entry", True)]
)
def test_who_may_confirm(client, login_as, role, allowed):
    login_as(role)
    response = client.post(reverse(CONFIRM), {"token": "x"})
    assert response.status_code == (302 if allowed or role == "anonymous" else 403)
    assert not Figure.objects.filter(measure__slug="homicides").exists()


def test_the_upload_page_documents_the_format_and_offers_a_template(client, login_as, upload):
    login_as("Data entry")
    page = client.get(reverse(UPLOAD)).content.decode()
    for column in FIGURE_COLUMNS:
        assert f"<code>{column}</code>" in page
    assert reverse(TEMPLATE) in page

    template = client.get(reverse(TEMPLATE))
    assert template["Content-Type"].startswith("text/csv")
    assert "attachment" in template["Content-Disposition"]
    lines = template.content.decode().splitlines()
    assert lines[0] == ",".join(FIGURE_COLUMNS)
    # The template itself uploads cleanly.
    preview = upload(template.content)
    assert preview.context["result"].ok
    assert len(preview.context["result"].new) == 2


def test_upload_previews_then_writes_only_on_confirmation(login_as, upload, confirm_upload):
    user = login_as("Data entry")
    saved_figure(value="10", status=PublicationStatus.DRAFT)
    unchanged = saved_figure(
        start="2022-04-01", end="2023-03-31", value="8", status=PublicationStatus.DRAFT
    )
    data = make_csv(
        [
            row(start="2022-04-01", end="2023-03-31", value="8"),
            row(value="16"),
            row(measure="victim-satisfaction", value="70", lower="68", upper="72"),
        ]
    )
    preview = upload(data)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "1 new, 1 changed, 1 unchanged" in text
    assert "value: 10 → 16" in text
    assert "+100% against the previous period" in text  # the outlier warning
    assert Figure.objects.count() == 2  # nothing written yet
    assert (
        Figure.objects.get(period_end=datetime.date(2024, 3, 31), measure__slug="homicides").value
        == 10
    )

    # The outlier must be confirmed: without the box ticked, nothing is written.
    refused = confirm_upload(preview)
    assert refused.status_code == 400
    assert "tick “I have checked these values”" in refused.content.decode()
    assert Figure.objects.count() == 2

    done = confirm_upload(preview, checked_values="on")
    assert done.status_code == 302
    assert Figure.objects.count() == 3
    changed = Figure.objects.get(period_end=datetime.date(2024, 3, 31), measure__slug="homicides")
    assert (changed.value, changed.updated_by, changed.version) == (16, user, 2)
    unchanged.refresh_from_db()
    assert unchanged.version == 1
    assert changed.history.first().history_change_reason == (
        "Checked: 16 is +100% on 8 (CSV upload: figures.csv)"
    )
    new = Figure.objects.get(measure__slug="victim-satisfaction")
    assert new.history.first().history_change_reason == "CSV upload: figures.csv"

    # The same confirmation cannot be replayed.
    again = confirm_upload(preview, checked_values="on")
    assert again.status_code == 302
    assert again["Location"] == reverse(UPLOAD)


def test_a_bad_file_lists_every_problem_and_offers_no_confirmation(login_as, upload):
    login_as("Data entry")
    data = make_csv([row(), row(measure="nope"), row(area="atlantis", end="2024-06-30")])
    preview = upload(data)
    text = preview.content.decode()
    assert "Unknown measure “nope”" in text and "Unknown area “atlantis”" in text
    assert reverse(CONFIRM) not in text
    assert preview.context["token"] == ""
    assert not Figure.objects.filter(measure__slug="homicides").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04\x14\x00", "Excel workbook"),
        (b"", "The submitted file is empty."),
        (b"measure,value\r\n", "missing: area, period_start, period_end"),
    ],
)
def test_a_file_that_is_not_a_figures_csv_gets_a_clear_message(login_as, upload, data, message):
    login_as("Data entry")
    response = upload(data, name="figures.xlsx")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(login_as, upload, monkeypatch):
    from measures import forms

    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    login_as("Data entry")
    response = upload(make_csv([row()] * 10))
    assert "The file is too big" in response.content.decode()
    assert not Figure.objects.filter(measure__slug="homicides").exists()


def test_a_figure_changed_between_preview_and_confirmation_is_refused(
    login_as, upload, confirm_upload
):
    login_as("Publisher")
    figure = saved_figure(value="10", status=PublicationStatus.DRAFT)
    preview = upload(make_csv([row(value="11"), row(end="2024-06-30", value="2")]))
    other = UserFactory(username="other", first_name="Omar", is_staff=True, is_superuser=True)
    figure.value = Decimal("13")
    save_figure(figure=figure, user=other, expected_version=1)

    refused = confirm_upload(preview)
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "changed this figure since your preview" in text and "Omar" in text
    assert "10.0000 → 13.0000" in text
    figure.refresh_from_db()
    assert figure.value == 13
    assert not Figure.objects.filter(period_end=datetime.date(2024, 6, 30)).exists()


@pytest.mark.parametrize(
    "role, allowed", [("Data entry", False), ("Publisher", True), ("superuser", True)]
)
def test_only_a_publisher_can_publish_an_upload(login_as, upload, confirm_upload, role, allowed):
    login_as(role)
    preview = upload(make_csv([row()]))
    assert ('name="publish"' in preview.content.decode()) is allowed
    response = confirm_upload(preview, publish="on")
    figures = Figure.objects.filter(measure__slug="homicides")
    if allowed:
        assert response.status_code == 302
        assert figures.get().is_published
    else:
        assert response.status_code == 409
        assert "Only a publisher can publish figures." in response.content.decode()
        assert not figures.exists()


def test_a_data_entry_upload_cannot_change_a_published_figure(login_as, upload):
    login_as("Data entry")
    saved_figure(value="10", status=PublicationStatus.PUBLISHED)
    preview = upload(make_csv([row(value="12")]))
    assert "only a publisher can change it" in preview.content.decode()
    assert preview.context["token"] == ""
