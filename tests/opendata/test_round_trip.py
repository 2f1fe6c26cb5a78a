"""An export uploads again unchanged: the figures download and the upload
share one set of columns and one way of writing values."""

import pytest
from django.urls import reverse

from measures.imports import read_csv
from measures.models import Figure
from measures.services import import_figures

from ..factories import FigureFactory

pytestmark = pytest.mark.django_db


def download(client, **params) -> bytes:
    response = client.get(reverse("opendata:figures-csv"), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("excel", [False, True])
def test_the_public_figures_download_uploads_again_with_no_changes(client, demo, superuser, excel):
    before = list(Figure.objects.order_by("pk").values_list("pk", "value", "version", "note"))
    data = download(client, **({"excel": "1"} if excel else {}))
    result = import_figures(rows=read_csv(data), user=superuser)
    assert result.ok, result.errors[:3]
    assert len(result.unchanged) == Figure.objects.published().count()
    assert result.new == [] and result.changed == []
    assert list(Figure.objects.order_by("pk").values_list("pk", "value", "version", "note")) == (
        before
    )


def test_awkward_text_survives_the_round_trip(client, superuser):
    figure = FigureFactory(note='=HYPERLINK("http://example.org") and "quotes", commas\nnew line')
    data = download(client, measure=figure.measure.slug)
    assert b"'=HYPERLINK" in data  # inert in a spreadsheet
    result = import_figures(rows=read_csv(data), user=superuser)
    assert result.ok, result.errors
    assert [row.kind for row in result.rows] == ["unchanged"]
