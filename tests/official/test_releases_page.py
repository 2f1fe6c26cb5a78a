"""The public side of releases: the releases page, the revisions CSV, and the
revision note beside a revised figure on its measure's page."""

import csv
import io

import pytest
from django.urls import reverse

from official.services import preview_release, write_release

pytestmark = pytest.mark.django_db

FIRST = "prc-pfa-mar2013-onwards-tables-230426.ods"
SECOND = "prc-pfa-mar2013-onwards-tables-230726.ods"


@pytest.fixture
def revised(home_office, home_office_revision, tmp_path):
    """Two Home Office releases imported and published, the second revising the first."""
    for sample, name in ((home_office, FIRST), (home_office_revision, SECOND)):
        path = tmp_path / name
        path.write_bytes(sample.path.read_bytes())
        write_release(preview_release(path), user=None, publish=True)
    return preview_release  # nothing else: the database holds it all


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_releases_page_lists_every_release_and_revision(client, revised):
    page = client.get(reverse("pages:releases"))
    text = page.content.decode()
    assert "The Home Office release of 23 April 2026" in text
    assert "The Home Office release of 23 July 2026" in text
    assert "Revised in the Home Office release of 23 July 2026; previously" in text


def test_the_revisions_csv_holds_each_revision_old_and_new(client, revised):
    from official.models import FigureChange

    rows = _csv(client.get(reverse("opendata:revisions-csv")))
    changes = FigureChange.objects.filter(kind="revised")
    assert len(rows) == changes.count() > 0
    first = changes.select_related("figure__area").first()
    match = [
        r
        for r in rows
        if r["area_code"] == first.figure.area.ons_code
        and r["period_end"] == first.figure.period_end.isoformat()
        and r["measure"] == first.figure.measure.slug
    ]
    assert match and match[0]["previous_value"] == format(first.old_value.normalize(), "f")
    assert match[0]["release_date"] == "2026-07-23"


def test_the_measure_page_names_the_revising_release(client, revised):
    page = client.get(reverse("pages:measure-detail", args=["homicides"]) + "?per_page=100")
    text = page.content.decode()
    assert "Revised in the Home Office release of 23 July 2026; previously" in text


def test_the_releases_page_costs_the_same_queries_however_many_releases(client, revised, ons):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("pages:releases"))
    write_release(preview_release(ons.path), user=None, publish=True)
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("pages:releases"))
    assert len(large.captured_queries) == len(small.captured_queries)
