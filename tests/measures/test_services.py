"""Publishing, unpublishing, revisions and the lost-update check, through the
services that every screen and the command use."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from measures.models import Figure, PublicationStatus
from measures.services import (
    FigureConflict,
    FiguresChanged,
    publish_figures,
    save_figure,
    unpublish_figures,
)
from tests.factories import AreaFactory, FigureFactory, MeasureFactory, UserFactory

pytestmark = pytest.mark.django_db


def user_in(role, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def clerk():
    return user_in("Data entry", username="clerk", first_name="Clare", last_name="Clerk")


@pytest.fixture
def publisher():
    return user_in("Publisher", username="pub", first_name="Pat", last_name="Publisher")


def draft(**kwargs):
    return FigureFactory(status=PublicationStatus.DRAFT, **kwargs)


def seen(*figures):
    """The versions a publisher was shown: the figures as they are now."""
    return {figure.pk: Figure.objects.get(pk=figure.pk).version for figure in figures}


def test_a_new_figure_is_a_draft_at_version_1_stamped_with_its_author(clerk):
    figure = Figure(
        measure=MeasureFactory(),
        area=AreaFactory(),
        period_start=datetime.date(2023, 4, 1),
        period_end=datetime.date(2024, 3, 31),
        value=Decimal("5"),
        status=PublicationStatus.PUBLISHED,
    )
    save_figure(figure=figure, user=clerk)
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT
    assert figure.version == 1
    assert figure.created_by == clerk == figure.updated_by
    assert figure.history.get().history_user == clerk


def test_every_save_bumps_the_version(clerk):
    figure = draft()
    figure.value = Decimal("11")
    save_figure(figure=figure, user=clerk, expected_version=1)
    figure.value = Decimal("12")
    save_figure(figure=figure, user=clerk, expected_version=2)
    figure.refresh_from_db()
    assert figure.version == 3
    assert figure.value == 12


def test_a_save_based_on_a_stale_version_is_refused_and_shows_the_other_change(clerk, publisher):
    figure = draft(value=Decimal("10"))
    mine = Figure.objects.get(pk=figure.pk)
    theirs = Figure.objects.get(pk=figure.pk)

    theirs.value = Decimal("14")
    save_figure(figure=theirs, user=publisher, expected_version=1)

    mine.value = Decimal("20")
    with pytest.raises(FigureConflict) as refused:
        save_figure(figure=mine, user=clerk, expected_version=1)
    message = str(refused.value)
    assert "Pat Publisher" in message
    assert "value 10.0000 → 14.0000" in message
    figure.refresh_from_db()
    assert figure.value == 14
    assert figure.version == 2


@pytest.mark.parametrize("expected_version", [None, 0])
def test_a_change_that_does_not_say_which_version_it_saw_is_refused(clerk, expected_version):
    figure = draft(value=Decimal("10"))
    stale = Figure.objects.get(pk=figure.pk)
    stale.value = Decimal("3")
    # No version (or "there was no figure"): there is nothing to check the
    # change against, so it cannot overwrite anything.
    with pytest.raises(FigureConflict, match="Someone added this figure"):
        save_figure(figure=stale, user=clerk, expected_version=expected_version)
    figure.refresh_from_db()
    assert (figure.version, figure.value) == (1, 10)


def test_save_validates_with_the_model_rules(clerk):
    figure = draft()
    figure.lower = Decimal("12")
    figure.upper = Decimal("15")
    with pytest.raises(ValidationError) as refused:
        save_figure(figure=figure, user=clerk, expected_version=1)
    assert "The lower bound cannot be above the value." in refused.value.message_dict["lower"]
    figure.refresh_from_db()
    assert figure.version == 1


def test_publishing_records_who_and_when(publisher):
    figure = draft()
    published = publish_figures(expected_versions=seen(figure), user=publisher)
    assert published == [figure]
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.PUBLISHED
    assert figure.published_by == publisher
    assert figure.published_at is not None
    assert figure.version == 2
    assert figure.history.first().history_change_reason == "Published"


def test_publishing_skips_figures_already_published(publisher):
    figure = FigureFactory(status=PublicationStatus.PUBLISHED)
    assert publish_figures(expected_versions=seen(figure), user=publisher) == []
    figure.refresh_from_db()
    assert figure.published_by is None


def test_changing_a_published_figure_makes_a_revision(publisher):
    figure = FigureFactory(value=Decimal("10"))
    figure.value = Decimal("12")
    with pytest.raises(ValidationError, match="Say why the published value changes"):
        save_figure(figure=figure, user=publisher, expected_version=1)
    save_figure(figure=figure, user=publisher, expected_version=1, revision_reason="Recounted.")
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.PUBLISHED
    assert figure.previous_value == 10
    assert figure.revised_at is not None
    assert figure.revision_reason == "Recounted."
    assert [h.value for h in figure.history.order_by("history_date")] == [10, 12]


def test_a_change_to_the_note_of_a_published_figure_is_not_a_revision_of_its_value(publisher):
    figure = FigureFactory(value=Decimal("10"))
    figure.note = "Source corrected its footnote."
    save_figure(figure=figure, user=publisher, expected_version=1)
    figure.refresh_from_db()
    assert figure.revised_at is None
    assert figure.previous_value is None


def test_data_entry_cannot_change_a_published_figure(clerk):
    figure = FigureFactory(value=Decimal("10"))
    figure.value = Decimal("12")
    with pytest.raises(PermissionDenied, match="only a publisher"):
        save_figure(figure=figure, user=clerk, expected_version=1)
    figure.refresh_from_db()
    assert figure.value == 10


def test_saving_cannot_change_the_status(clerk):
    figure = draft()
    figure.status = PublicationStatus.PUBLISHED
    save_figure(figure=figure, user=clerk, expected_version=1)
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT


def test_unpublishing_needs_a_reason_and_keeps_it_in_the_history(publisher):
    figure = FigureFactory()
    with pytest.raises(ValidationError):
        unpublish_figures(expected_versions=seen(figure), user=publisher, reason="  ")
    figure.refresh_from_db()
    assert figure.is_published

    unpublish_figures(
        expected_versions=seen(figure), user=publisher, reason="Source withdrew the figure"
    )
    figure.refresh_from_db()
    assert figure.status == PublicationStatus.DRAFT
    record = figure.history.first()
    assert record.history_change_reason == "Unpublished: Source withdrew the figure"
    assert record.history_user == publisher


def test_republishing_a_corrected_figure_is_a_revision(publisher):
    figure = FigureFactory(value=Decimal("10"))
    unpublish_figures(expected_versions=seen(figure), user=publisher, reason="Wrong value")
    figure.refresh_from_db()
    figure.value = Decimal("9")
    save_figure(figure=figure, user=publisher, expected_version=figure.version)
    publish_figures(expected_versions=seen(figure), user=publisher)
    figure.refresh_from_db()
    assert figure.is_published
    assert figure.previous_value == 10
    assert figure.revised_at is not None


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("anonymous", False),
        ("staff", False),
        ("Data entry", False),
        ("Publisher", True),
        ("superuser", True),
    ],
)
def test_only_publishers_and_superusers_can_publish_and_unpublish(who, allowed):
    from django.contrib.auth.models import AnonymousUser

    if who == "anonymous":
        user = AnonymousUser()
    elif who == "staff":
        user = UserFactory(is_staff=True)
    elif who == "superuser":
        user = UserFactory(is_staff=True, is_superuser=True)
    else:
        user = user_in(who)
    figure = draft()
    if allowed:
        assert publish_figures(expected_versions=seen(figure), user=user) == [figure]
        assert unpublish_figures(expected_versions=seen(figure), user=user, reason="test") == [
            figure
        ]
    else:
        with pytest.raises(PermissionDenied):
            publish_figures(expected_versions=seen(figure), user=user)
        figure.status = PublicationStatus.PUBLISHED
        figure.save()
        with pytest.raises(PermissionDenied):
            unpublish_figures(expected_versions=seen(figure), user=user, reason="test")
        figure.refresh_from_db()
        assert figure.is_published


def test_a_reason_too_long_for_the_history_is_refused_with_a_message(publisher):
    figure = FigureFactory()
    with pytest.raises(ValidationError, match="87 characters or fewer"):
        unpublish_figures(expected_versions=seen(figure), user=publisher, reason="x" * 88)
    figure.refresh_from_db()
    assert figure.is_published
    unpublish_figures(expected_versions=seen(figure), user=publisher, reason="x" * 87)
    assert figure.history.first().history_change_reason == "Unpublished: " + "x" * 87


def test_a_long_change_reason_is_cut_to_fit_the_history(clerk):
    figure = draft()
    figure.value = Decimal("1")
    save_figure(figure=figure, user=clerk, expected_version=1, change_reason="y" * 150)
    assert figure.history.first().history_change_reason == "y" * 100


def test_publishing_refuses_a_figure_changed_since_the_confirmation_naming_it(clerk, publisher):
    changed, untouched = draft(value=Decimal("42.42")), draft(value=Decimal("7"))
    shown = seen(changed, untouched)
    changed.value = Decimal("99.9")
    save_figure(figure=changed, user=clerk, expected_version=1)

    with pytest.raises(FiguresChanged) as refused:
        publish_figures(expected_versions=shown, user=publisher)
    (change,) = refused.value.changes
    assert change.startswith(str(changed))
    assert "Clare Clerk" in change and "value 42.4200 → 99.9000" in change
    assert Figure.objects.published().count() == 0  # not even the untouched one

    # Shown the new value, the publisher can approve it.
    published = publish_figures(expected_versions=seen(changed, untouched), user=publisher)
    assert {figure.value for figure in published} == {Decimal("99.9"), Decimal("7")}


def test_publishing_refuses_a_figure_published_and_unpublished_since(publisher):
    figure = draft()
    shown = seen(figure)
    publish_figures(expected_versions=seen(figure), user=publisher)
    unpublish_figures(expected_versions=seen(figure), user=publisher, reason="Wrong")
    with pytest.raises(FiguresChanged, match="Someone else changed this figure"):
        publish_figures(expected_versions=shown, user=publisher)


def test_publishing_refuses_a_figure_deleted_since(publisher):
    figure, other = draft(), draft()
    shown = seen(figure, other)
    figure_id = figure.pk
    figure.delete()
    with pytest.raises(FiguresChanged, match=f"Figure {figure_id}: This figure has been deleted"):
        publish_figures(expected_versions=shown, user=publisher)
    other.refresh_from_db()
    assert not other.is_published


def test_a_figure_never_shown_is_never_published(publisher):
    figure = draft()
    # Version 0 is what a confirmation that did not show the figure carries.
    with pytest.raises(FiguresChanged):
        publish_figures(expected_versions={figure.pk: 0}, user=publisher)
    figure.refresh_from_db()
    assert not figure.is_published


def test_unpublishing_refuses_a_figure_changed_since_the_confirmation(publisher):
    figure = FigureFactory(value=Decimal("10"))
    shown = seen(figure)
    figure.value = Decimal("12")
    save_figure(figure=figure, user=publisher, expected_version=1, revision_reason="Recount.")
    with pytest.raises(FiguresChanged, match=r"value 10\.0000 → 12\.0000"):
        unpublish_figures(expected_versions=shown, user=publisher, reason="Wrong")
    figure.refresh_from_db()
    assert figure.is_published


def test_adding_a_figure_someone_added_meanwhile_is_a_conflict_not_a_database_error(clerk):
    theirs = draft(value=Decimal("5"))
    mine = Figure(
        measure=theirs.measure,
        area=theirs.area,
        period_start=theirs.period_start,
        period_end=theirs.period_end,
        value=Decimal("6"),
    )
    with pytest.raises(FigureConflict, match="Someone added this figure") as refused:
        save_figure(figure=mine, user=clerk, expected_version=0)
    assert refused.value.figure == theirs
    # The transaction is still usable: the refused insert was rolled back alone.
    assert Figure.objects.get().value == 5


@pytest.mark.postgres_only
@pytest.mark.parametrize("write", ["publish", "unpublish", "save"])
def test_figures_are_locked_alone_and_in_key_order(publisher, write):
    """Lock only the figures' rows, by key: locking the joined measure and area
    rows too, in list order, deadlocked publishing against saving."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures = [draft(), draft()]
    with CaptureQueriesContext(connection) as queries:
        if write == "publish":
            publish_figures(expected_versions=seen(*figures), user=publisher)
        elif write == "unpublish":
            unpublish_figures(expected_versions=seen(*figures), user=publisher, reason="x")
        else:
            figures[0].value = Decimal("1")
            save_figure(figure=figures[0], user=publisher, expected_version=1)
    locks = [
        q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and "measures_figure" in q["sql"]
    ]
    assert locks
    for sql in locks:
        assert sql.endswith('FOR UPDATE OF "measures_figure"')
        assert 'ORDER BY "measures_figure"."id" ASC' in sql
        assert "JOIN" not in sql
