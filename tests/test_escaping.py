"""Text staff enter is shown as text everywhere: never run as HTML or script."""

import pytest
from django.urls import reverse

from measures.models import Figure
from plan.models import Contribution, LocalOutcome

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_staff_text_is_escaped_on_every_page_that_shows_it(client, demo):
    contribution = Contribution.objects.select_related("outcome", "measure").first()
    contribution.explanation = PAYLOAD
    contribution.save()
    outcome = contribution.outcome
    LocalOutcome.objects.filter(pk=outcome.pk).update(summary=PAYLOAD, description=PAYLOAD)
    figure = Figure.objects.published().filter(measure=contribution.measure).first()
    figure.note = PAYLOAD
    figure.save()
    plan = outcome.plan
    plan.statement_intro = PAYLOAD
    plan.save()

    pages = [
        reverse("pages:home"),
        reverse("pages:outcome-detail", args=[outcome.slug]),
        reverse("pages:measure-detail", args=[contribution.measure.slug]),
        reverse("pages:mapping"),
        reverse("pages:statement"),
        reverse("opendata:index") + f"?measure={contribution.measure.slug}",
    ]
    shown = 0
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        shown += "&lt;script&gt;alert" in html
    assert shown >= 4


def test_staff_text_in_the_json_download_is_data_not_markup(client, demo):
    figure = Figure.objects.published().first()
    figure.note = PAYLOAD
    figure.save()
    response = client.get(reverse("opendata:figures-json"), {"measure": figure.measure.slug})
    assert response["Content-Type"].startswith("application/json")
    body = b"".join(response.streaming_content).decode()
    assert "alert" in body
    assert response["X-Content-Type-Options"] == "nosniff"
