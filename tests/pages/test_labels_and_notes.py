"""One label per figure, from its own dates, on every surface that shows it;
and a figure's note beside it on the public pages."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Area, Figure, Measure, PublicationStatus
from measures.templatetags.public import period_label
from tests.measures.csvfiles import make_csv, row
from tests.measures.test_figure_admin import action

pytestmark = pytest.mark.django_db

# A financial year that, alone in its series, used to read "2023/24" in the
# download and "12 months to March 2024" on the page beside a rolling series.
LABEL = "12 months to March 2024"
NOTE = "Includes a change of recording practice in one district."


@pytest.fixture
def figure(demo):
    figure = Figure.objects.get(
        measure__slug="homicides",
        area__slug="humberside",
        period_start=datetime.date(2023, 4, 1),
        period_end=datetime.date(2024, 3, 31),
    )
    figure.note = NOTE
    figure.save()
    return figure


def csv_rows(client, **params):
    response = client.get(reverse("opendata:figures-csv"), params)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_same_figure_has_the_same_label_on_the_page_and_in_the_download(client, figure):
    page = client.get(reverse("pages:measure-detail", args=["homicides"])).content.decode()
    assert LABEL in page
    rows = csv_rows(client, measure="homicides", area="humberside")
    labels = {
        (r["period_start"], r["period_end"]): r["period_label"] for r in rows if r["period_label"]
    }
    assert labels[("2023-04-01", "2024-03-31")] == LABEL
    assert "2023/24" not in page


def test_a_label_does_not_change_with_the_other_figures(client, figure):
    """Remove every other figure of the series: the label stays."""
    Figure.objects.filter(measure=figure.measure).exclude(pk=figure.pk).delete()
    page = client.get(reverse("pages:measure-detail", args=["homicides"])).content.decode()
    assert LABEL in page
    assert csv_rows(client, measure="homicides")[0]["period_label"] == LABEL


def test_the_note_is_beside_its_figure_in_each_table(client, figure):
    """The table of the latest periods, and the table of every figure: a
    page shows one of them, and the note once, beside its figure."""
    latest = (
        Figure.objects.published()
        .filter(measure=figure.measure, area=figure.area)
        .order_by("-period_end")
        .first()
    )
    latest.note = NOTE
    latest.save()
    label = period_label(latest)
    page = client.get(reverse("pages:measure-detail", args=["homicides"])).content.decode()
    chart_table = page.split('id="table-chart"')[1].split("</table>")[0]
    row_text = chart_table.split(label)[1].split("</tr>")[0]
    assert NOTE in row_text
    assert LABEL not in chart_table  # an older figure: in the table of every figure
    assert page.count(NOTE) == 1
    page = client.get(
        reverse("pages:measure-detail", args=["homicides"]), {"periods": "all", "per_page": 1000}
    ).content.decode()
    assert 'id="table-chart"' not in page
    figures_table = page.split('id="figures-caption"')[1].split("</table>")[0]
    for text in (LABEL, label):
        figure_row = next(r for r in figures_table.split("<tr>") if text in r and "Humberside" in r)
        assert NOTE in figure_row
    assert page.count(NOTE) == 2


def test_a_note_is_escaped(client, figure):
    figure.note = "<script>alert(1)</script>"
    figure.save()
    page = client.get(
        reverse("pages:measure-detail", args=["homicides"]), {"periods": "all", "per_page": 100}
    ).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_admin_list_and_the_publish_confirmation_use_the_label(client, login_as, figure):
    login_as("Publisher")
    changelist = client.get(
        reverse("admin:measures_figure_changelist"), {"area__id__exact": figure.area_id}
    )
    assert LABEL in changelist.content.decode()
    figure.status = PublicationStatus.DRAFT
    figure.save()
    page = action(client, "publish_selected", [figure]).content.decode()
    assert LABEL in page
    assert "2023-04-01 to 2024-03-31" in page  # the dates, for staff, beside the label


def test_the_upload_preview_uses_the_label(client, login_as, demo):
    login_as("Data entry")
    data = make_csv(
        [
            row(start="2010-04-01", end="2011-03-31", value="7"),
            row(start="2010-04-01", end="2010-06-30", value="2"),
        ]
    )
    file = io.BytesIO(data)
    file.name = "figures.csv"
    preview = client.post(reverse("admin:measures_figure_upload"), {"file": file})
    text = preview.content.decode()
    assert "12 months to March 2011" in text
    assert "Q1 2010/11" in text


def test_the_figure_s_name_in_the_admin_carries_the_label(demo):
    figure = Figure(
        measure=Measure.objects.get(slug="homicides"),
        area=Area.objects.get(slug="england-and-wales"),
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 12, 31),
        value=Decimal(1),
    )
    assert str(figure) == "Homicides – England and Wales – 12 months to December 2019"
