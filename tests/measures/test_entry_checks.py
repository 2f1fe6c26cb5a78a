"""The entry checks: a value outside its measure's plausible range, or further
from the previous period than the measure expects, is saved only once the
person entering it confirms it, on every screen; the confirmation is kept in
the figure's history. The slip tried everywhere: 2210 typed for 221."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures import checks
from measures.checks import Limits, Period, check_value
from measures.models import Figure, PublicationStatus, Unit
from measures.services import ValuesNotChecked, save_figure, save_figures_in_bulk
from official.services import NEW, PlannedFigure, _check_notes
from tests.factories import AreaFactory, FigureFactory, MeasureFactory

Q1 = (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
Q2 = (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
SLIP_REASON = "Checked: 2,210 is +900% on 221"

# The rule, on plain values


COUNT = Limits(unit=Unit.COUNT, largest_change=Decimal("50"))
BEFORE = Period(*Q1, Decimal("221"))


def test_a_value_ten_times_the_previous_is_a_warning():
    (warning,) = check_value(Decimal("2210"), COUNT, previous=BEFORE)
    assert warning.kind == checks.CHANGE
    assert warning.message == (
        "2,210 is +900% against the previous period (Q1 2025/26: 221), more than 50%, "
        "the largest change this measure expects: check it is not a typing slip."
    )


@pytest.mark.parametrize(
    "value, warned",
    [("331.5", False), ("331.6", True), ("110.5", False), ("110.4", True), ("221", False)],
)
def test_the_largest_change_is_a_limit_both_ways_on_unrounded_values(value, warned):
    assert bool(check_value(Decimal(value), COUNT, previous=BEFORE)) is warned


def test_a_percentage_changes_in_percentage_points():
    limits = Limits(unit=Unit.PERCENTAGE, places=1, largest_change=Decimal("10"))
    before = Period(*Q1, Decimal("6.5"))
    assert not check_value(Decimal("16.5"), limits, previous=before)  # +10 points: a limit
    (warning,) = check_value(Decimal("65"), limits, previous=before)
    assert "65.0% is +58.5 percentage points" in warning.message


def test_never_across_a_series_break_nor_from_zero():
    assert not check_value(Decimal("2210"), COUNT, previous=BEFORE, series_break=True)
    assert not check_value(Decimal("5"), COUNT, previous=Period(*Q1, Decimal("0")))


def test_without_a_largest_change_the_default_is_half_the_previous_value():
    limits = Limits(unit=Unit.PERCENTAGE, places=0)
    before = Period(*Q1, Decimal("30"))
    assert not check_value(Decimal("45"), limits, previous=before)
    (warning,) = check_value(Decimal("46"), limits, previous=before)
    assert "more than half the previous value" in warning.message


def test_the_plausible_range():
    limits = Limits(unit=Unit.COUNT, minimum=Decimal("10"), maximum=Decimal("1000"))
    assert not check_value(Decimal("10"), limits) and not check_value(Decimal("1000"), limits)
    (low,) = check_value(Decimal("9"), limits)
    (high,) = check_value(Decimal("2210"), limits)
    assert (low.kind, high.kind) == (checks.BELOW, checks.ABOVE)
    assert high.message == "2,210 is above 1,000, the largest value this measure expects."


def test_the_previous_period_is_the_latest_as_long_before_it():
    year = Period(datetime.date(2024, 7, 1), datetime.date(2025, 6, 30), Decimal("900"))
    older = Period(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), Decimal("200"))
    assert checks.previous_period([year, older, BEFORE], *Q2) == BEFORE
    assert checks.previous_period([year, older], *Q1) == older
    assert checks.previous_period([year], *Q1) is None


def test_the_history_reason_fits_the_history():
    warnings = check_value(Decimal("2210"), COUNT, previous=BEFORE)
    reason = checks.history_reason(warnings * 5, checked=True, context="CSV upload: " + "x" * 90)
    assert len(reason) == checks.REASON_MAX and reason.startswith(SLIP_REASON)
    assert checks.history_reason([], checked=True, context="Bulk entry") == "Bulk entry"


# Every entry path


@pytest.fixture
def measure(db):
    return MeasureFactory(largest_change=Decimal("50"))


@pytest.fixture
def area(db):
    return AreaFactory()


@pytest.fixture
def last_quarter(measure, area):
    return FigureFactory(
        measure=measure, area=area, period_start=Q1[0], period_end=Q1[1], value=Decimal("221")
    )


def draft(measure, area, value="221"):
    return FigureFactory(
        measure=measure,
        area=area,
        period_start=Q2[0],
        period_end=Q2[1],
        value=Decimal(value),
        status=PublicationStatus.DRAFT,
    )


def the_box(page) -> dict:
    """The confirmation box's name and value, as the page offers it ticked."""
    html = page.content.decode()
    match = re.search(r'<input type="checkbox" name="([^"]*checked_values)" value="(\w+)"', html)
    assert match, "the page offers no “I have checked these values” box"
    assert checks.CONFIRM_LABEL in html
    return {match.group(1): match.group(2)}


def latest_reason(figure_filter) -> str:
    figure = Figure.objects.get(**figure_filter)
    return figure.history.order_by("-history_date").first().history_change_reason


def test_the_service_refuses_an_unconfirmed_slip_from_a_person(last_quarter, login_as):
    user = login_as("Data entry")
    figure = Figure(measure=last_quarter.measure, area=last_quarter.area, value=Decimal("2210"))
    figure.period_start, figure.period_end = Q2
    with pytest.raises(ValuesNotChecked):
        save_figure(figure=figure, user=user)
    assert not Figure.objects.filter(period_end=Q2[1]).exists()
    save_figure(figure=figure, user=user, checked=True)
    assert latest_reason({"pk": figure.pk}) == SLIP_REASON


def test_a_job_saves_a_slip_and_the_history_says_nobody_checked_it(last_quarter):
    figure = Figure(measure=last_quarter.measure, area=last_quarter.area, value=Decimal("2210"))
    figure.period_start, figure.period_end = Q2
    save_figure(figure=figure, user=None, change_reason="Imported")
    assert latest_reason({"pk": figure.pk}) == "Not checked: 2,210 is +900% on 221 (Imported)"


def test_the_add_form_catches_the_slip(client, login_as, last_quarter):
    login_as("Data entry")
    url = reverse("admin:measures_figure_add")
    data = {
        "measure": last_quarter.measure_id,
        "area": last_quarter.area_id,
        "period_start": Q2[0].isoformat(),
        "period_end": Q2[1].isoformat(),
        "value": "2210",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    assert "+900% against the previous period" in page.content.decode()
    assert not Figure.objects.filter(period_end=Q2[1]).exists()
    assert client.post(url, {**data, **the_box(page)}).status_code == 302
    assert latest_reason({"period_end": Q2[1]}) == SLIP_REASON


def test_the_change_form_catches_the_slip_and_a_later_value_needs_its_own_check(
    client, login_as, last_quarter
):
    login_as("Data entry")
    figure = draft(last_quarter.measure, last_quarter.area)
    url = reverse("admin:measures_figure_change", args=[figure.pk])
    data = {
        "measure": figure.measure_id,
        "area": figure.area_id,
        "period_start": Q2[0].isoformat(),
        "period_end": Q2[1].isoformat(),
        "value": "2210",
        "expected_version": "1",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    box = the_box(page)
    # The box ticked for 2210 does not confirm another value typed after it.
    assert client.post(url, {**data, "value": "4000", **box}).status_code == 200
    assert client.post(url, {**data, **box}).status_code == 302
    figure.refresh_from_db()
    assert figure.value == 2210
    assert latest_reason({"pk": figure.pk}) == SLIP_REASON
    # A later change to the note alone asks nothing again.
    assert client.post(url, {**data, "expected_version": "2", "note": "ok"}).status_code == 302


def test_the_figure_list_catches_the_slip(client, login_as, last_quarter):
    from tests.measures.test_figure_list_editing import list_post_data

    login_as("Data entry")
    figure = draft(last_quarter.measure, last_quarter.area)
    changelist = reverse("admin:measures_figure_changelist")
    data = list_post_data(client, {figure.pk: {"value": "2210"}})
    page = client.post(changelist, data)
    assert page.status_code == 200
    assert "+900% against the previous period" in page.content.decode()
    figure.refresh_from_db()
    assert figure.value == 221
    assert client.post(changelist, {**data, **the_box(page)}).status_code == 302
    figure.refresh_from_db()
    assert figure.value == 2210
    assert latest_reason({"pk": figure.pk}) == SLIP_REASON


def test_bulk_entry_catches_the_slip(client, login_as, last_quarter):
    login_as("Data entry")
    area = last_quarter.area
    url = (
        reverse("admin:measures_figure_bulk_entry")
        + f"?area={area.pk}&period_start={Q2[0]}&period_end={Q2[1]}"
    )
    data = {f"m{last_quarter.measure_id}-value": "2210", f"m{last_quarter.measure_id}-version": "0"}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "+900% against the previous period" in page.content.decode()
    assert not Figure.objects.filter(period_end=Q2[1]).exists()
    box = the_box(page)
    assert box == {"checked_values": box["checked_values"]}
    assert client.post(url, {**data, **box}).status_code == 302
    assert latest_reason({"period_end": Q2[1]}) == SLIP_REASON + " (Bulk entry)"


def test_the_upload_catches_the_slip(client, login_as, last_quarter):
    login_as("Data entry")
    csv = (
        "measure,area,period_start,period_end,value\n"
        f"{last_quarter.measure.slug},{last_quarter.area.slug},{Q2[0]},{Q2[1]},2210\n"
    ).encode()
    file = SimpleUploadedFile("quarter.csv", csv, "text/csv")
    preview = client.post(reverse("admin:measures_figure_upload"), {"file": file})
    html = preview.content.decode()
    assert 'id="upload-value-warnings"' in html and "+900%" in html
    assert 'name="checked_values"' in html
    confirm = reverse("admin:measures_figure_upload_confirm")
    token = preview.context["token"]
    assert client.post(confirm, {"token": token}).status_code == 400
    assert not Figure.objects.filter(period_end=Q2[1]).exists()
    assert client.post(confirm, {"token": token, "checked_values": "on"}).status_code == 302
    assert latest_reason({"period_end": Q2[1]}) == SLIP_REASON + " (CSV upload: quarter.csv)"


def test_the_official_import_reports_and_records_the_slip(last_quarter, login_as):
    publisher = login_as("Publisher")
    measure, area = last_quarter.measure, last_quarter.area
    planned = PlannedFigure(
        measure.pk, measure.slug, area.pk, "E23000000", *Q2, Decimal("2210"), NEW
    )
    (note,) = _check_notes([planned])
    assert note.startswith(f"Check {measure.slug}, E23000000, {Q2[0]} to {Q2[1]}: 2,210 is +900%")
    new = Figure(measure=measure, area=area, period_start=Q2[0], period_end=Q2[1], value=2210)
    save_figures_in_bulk(
        new=[new],
        updates={},
        expected_versions={},
        user=publisher,
        change_reason="Official import: a release",
    )
    assert latest_reason({"period_end": Q2[1]}) == (
        "Not checked: 2,210 is +900% on 221 (Official import: a release)"
    )


def test_an_upload_revising_a_published_value_needs_the_reason_shown_publicly(
    client, login_as, last_quarter
):
    login_as("Publisher")
    csv = (
        "measure,area,period_start,period_end,value\n"
        f"{last_quarter.measure.slug},{last_quarter.area.slug},{Q1[0]},{Q1[1]},231\n"
    ).encode()
    file = SimpleUploadedFile("correction.csv", csv, "text/csv")
    preview = client.post(reverse("admin:measures_figure_upload"), {"file": file})
    assert 'name="reason_for_revision"' in preview.content.decode()
    confirm = reverse("admin:measures_figure_upload_confirm")
    token = preview.context["token"]
    waiting = client.post(confirm, {"token": token, "reason_for_revision": " "})
    assert waiting.status_code == 400
    assert "say why the published values change" in waiting.content.decode()
    last_quarter.refresh_from_db()
    assert last_quarter.value == 221
    done = client.post(confirm, {"token": token, "reason_for_revision": "The force recounted."})
    assert done.status_code == 302
    last_quarter.refresh_from_db()
    assert (last_quarter.value, last_quarter.previous_value) == (231, 221)
    assert last_quarter.revision_reason == "The force recounted."


def test_the_command_asks_a_named_user_to_confirm_the_slip(last_quarter, login_as, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    login_as("Data entry")  # the user the command acts as
    path = tmp_path / "quarter.csv"
    path.write_text(
        "measure,area,period_start,period_end,value\n"
        f"{last_quarter.measure.slug},{last_quarter.area.slug},{Q2[0]},{Q2[1]},2210\n"
    )
    with pytest.raises(CommandError):
        call_command("import_figures", str(path), "--user", "data-entry")
    assert not Figure.objects.filter(period_end=Q2[1]).exists()
    call_command("import_figures", str(path), "--user", "data-entry", "--checked")
    assert latest_reason({"period_end": Q2[1]}) == SLIP_REASON + " (Imported from quarter.csv)"
