"""Every public page offers the data it shows for download."""

import pytest
from django.urls import reverse

from tests.public_helpers import public_urls

pytestmark = pytest.mark.django_db

FIGURES_CSV = reverse("opendata:figures-csv")

EXPECTED = {
    "home": [reverse("opendata:package"), reverse("opendata:mapping-csv"), FIGURES_CSV + "?"],
    "outcome": [FIGURES_CSV + "?outcome=reducing-the-impact-of-drugs"],
    "measure": [FIGURES_CSV + "?measure=neighbourhood-crime", reverse("opendata:measures-csv")],
    "priority": [FIGURES_CSV + "?priority_area=reduce-serious-violence"],
    "mapping": [reverse("opendata:mapping-csv")],
    "statement": [reverse("opendata:measures-csv"), reverse("opendata:package")],
}


@pytest.mark.parametrize(("page", "links"), EXPECTED.items())
def test_each_page_links_to_the_download_of_what_it_shows(client, demo, page, links):
    html = client.get(public_urls()[page]).content.decode()
    assert "Download this data" in html
    for link in links:
        assert f'href="{link}' in html, link


def test_a_pages_download_link_gives_that_pages_figures(client, demo):
    response = client.get(FIGURES_CSV, {"outcome": "reducing-the-impact-of-drugs"})
    body = b"".join(response.streaming_content).decode()
    measures = {line.split(",")[0] for line in body.splitlines()[1:]}
    assert measures == {
        "homicides",
        "drug-related-homicides",
        "police-referrals-into-drug-treatment",
    }
