"""Writes to figures that do more than save one row: publishing, unpublishing,
saving with the lost-update check and the revision record, and imports.

Every function is keyword-only, checks the user's permission itself (so that
the admin, the bulk entry screen, the upload and the command cannot differ),
validates with ``full_clean()`` and runs in one transaction. ``user=None``
stands for a trusted job run from the command line, which may do anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .csvformat import FIGURE_ENTERED_COLUMNS
from .history import describe_changes_since
from .imports import ImportResult, Problem, check_rows
from .models import Figure, PublicationStatus
from .permissions import can_enter, can_publish, can_revise

# The history keeps a change reason of at most 100 characters.
CHANGE_REASON_MAX = 100
UNPUBLISHED = "Unpublished: "
UNPUBLISH_REASON_MAX = CHANGE_REASON_MAX - len(UNPUBLISHED)


class FigureConflict(Exception):
    """A save based on a version of the figure that is no longer the current one."""

    def __init__(self, figure: Figure, expected_version: int | None):
        self.figure = figure
        self.expected_version = expected_version
        if expected_version is None:
            message = (
                f"{figure} was added by someone else since you started: "
                f"{describe_changes_since(figure, figure.version)}"
            )
        else:
            message = (
                "Someone else changed this figure while you were working on it. "
                + describe_changes_since(figure, expected_version)
            )
        super().__init__(message)
        self.message = message


def _check_version(figure_pk: int, expected_version: int | None) -> Figure:
    """Lock the figure's row and refuse if it moved on since ``expected_version``."""
    current = Figure.objects.select_for_update().get(pk=figure_pk)
    if expected_version is not None and current.version != expected_version:
        raise FigureConflict(current, expected_version)
    return current


@transaction.atomic
def save_figure(
    *,
    figure: Figure,
    user,
    expected_version: int | None = None,
    change_reason: str = "",
) -> Figure:
    """Save a new or changed figure.

    ``expected_version`` is the version the person saw when they started; a
    save based on an older version is refused with :class:`FigureConflict`.
    A new figure is always a draft. A change to the value of a published
    figure is a revision: the old value is kept in ``previous_value`` (and in
    the history) and ``revised_at`` is set, so that the public pages show it.
    """
    if not can_enter(user):
        raise PermissionDenied("You do not have permission to enter figures.")
    if figure.pk is None:
        figure.status = PublicationStatus.DRAFT
        figure.version = 1
        figure.created_by = user
    else:
        current = _check_version(figure.pk, expected_version)
        changed = [
            name
            for name in FIGURE_ENTERED_COLUMNS
            if getattr(current, name) != getattr(figure, name)
        ]
        # The status is changed by publishing and unpublishing only.
        figure.status = current.status
        if current.is_published and changed and not can_revise(user):
            raise PermissionDenied(
                "This figure is published: only a publisher can change it. "
                "Ask a publisher to make the correction."
            )
        if current.is_published and current.value != figure.value:
            figure.previous_value = current.value
            figure.revised_at = timezone.now()
        # Bump the version with a guarded update, so that two saves that both
        # read the same version cannot both succeed (SQLite ignores FOR UPDATE).
        if not Figure.objects.filter(pk=figure.pk, version=current.version).update(
            version=current.version + 1
        ):
            raise FigureConflict(Figure.objects.get(pk=figure.pk), current.version)
        figure.version = current.version + 1
    figure.updated_by = user
    if figure.measure_id:
        figure.unit = figure.measure.unit
    # Figure.clean() words every check constraint's rule, so validating the
    # constraints too would only repeat it with a query each (most of the time
    # of a large import); the database still enforces them on the write.
    figure.full_clean(validate_constraints=False)
    if change_reason:
        figure._change_reason = change_reason[:CHANGE_REASON_MAX]
    _record_user(figure, user)
    figure.save()
    return figure


def _record_user(figure: Figure, user) -> None:
    # The history takes the user from the request; say it outright, so that
    # the command and any other caller outside a request are recorded too.
    if user is not None and user.is_authenticated:
        figure._history_user = user


def last_published_values(figure_ids) -> dict:
    """The value the public last saw of each figure that ever was public, by id."""
    values = {}
    records = (
        Figure.history.filter(id__in=list(figure_ids), status=PublicationStatus.PUBLISHED)
        .order_by("history_date")
        .values_list("id", "value")
    )
    for figure_id, value in records:
        values[figure_id] = value  # the latest wins
    return values


@transaction.atomic
def publish_figures(*, figures: Iterable[Figure], user) -> list[Figure]:
    """Publish the draft figures among ``figures``; returns those published.

    Republishing a figure whose value changed since it was last public makes
    a revision, as changing a published figure does.
    """
    if not can_publish(user):
        raise PermissionDenied("Only a publisher can publish figures.")
    ids = [figure.pk for figure in figures]
    now = timezone.now()
    published = []
    drafts = list(Figure.objects.select_for_update().filter(pk__in=ids).drafts())
    public_values = last_published_values(figure.pk for figure in drafts)
    for figure in drafts:
        before = public_values.get(figure.pk)
        if before is not None and before != figure.value:
            figure.previous_value = before
            figure.revised_at = now
        figure.status = PublicationStatus.PUBLISHED
        figure.published_at = now
        figure.published_by = user
        figure.updated_by = user
        figure.version += 1
        figure._change_reason = "Published"
        _record_user(figure, user)
        figure.save()
        published.append(figure)
    return published


@transaction.atomic
def unpublish_figures(*, figures: Iterable[Figure], user, reason: str) -> list[Figure]:
    """Take published figures back to draft; the reason is kept in the history."""
    if not can_publish(user):
        raise PermissionDenied("Only a publisher can unpublish figures.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the figures are being unpublished."})
    if len(reason) > UNPUBLISH_REASON_MAX:
        raise ValidationError(
            {"reason": f"Keep the reason to {UNPUBLISH_REASON_MAX} characters or fewer."}
        )
    ids = [figure.pk for figure in figures]
    unpublished = []
    for figure in Figure.objects.select_for_update().filter(pk__in=ids).published():
        figure.status = PublicationStatus.DRAFT
        figure.updated_by = user
        figure.version += 1
        figure._change_reason = UNPUBLISHED + reason
        _record_user(figure, user)
        figure.save()
        unpublished.append(figure)
    return unpublished


@dataclass
class BulkEntry:
    """One measure's row on the bulk entry screen."""

    figure: Figure
    expected_version: int | None = None


@transaction.atomic
def save_bulk_entry(*, entries: list[BulkEntry], user) -> list[Figure]:
    """Save every row of the bulk entry screen, or none of them."""
    return [
        save_figure(
            figure=entry.figure,
            user=user,
            expected_version=entry.expected_version,
            change_reason="Bulk entry",
        )
        for entry in entries
    ]


def import_figures(
    *,
    rows,
    user,
    publish: bool = False,
    dry_run: bool = False,
    expected_versions: dict[int, int] | None = None,
    source: str = "CSV upload",
) -> ImportResult:
    """Check every row of an upload and, if all are good, write them at once.

    ``rows`` are :class:`imports.UploadRow` (a line number and the cells by
    column). ``expected_versions`` maps a line number to the version of the
    figure the person saw at the preview (0 for a figure that did not exist):
    a row whose figure has moved on since is refused. Nothing is written if
    any row is refused, nor on a dry run.
    """
    result = check_rows(rows, user=user, expected_versions=expected_versions)
    if publish and not can_publish(user):
        result.errors.insert(0, Problem(0, "", "Only a publisher can publish figures."))
    if result.errors or dry_run:
        return result
    try:
        with transaction.atomic():
            saved = []
            for row in result.rows:
                if row.kind == "unchanged":
                    saved.append(row.existing)
                    continue
                saved.append(
                    save_figure(
                        figure=row.figure,
                        user=user,
                        expected_version=row.existing.version if row.existing else None,
                        change_reason=source,
                    )
                )
            if publish:
                result.published = len(publish_figures(figures=saved, user=user))
    except FigureConflict as conflict:
        result.errors.append(Problem(0, "", conflict.message))
        return result
    except ValidationError as error:
        # A figure added by someone else between the check and the write.
        result.errors.append(Problem(0, "", " ".join(error.messages)))
        return result
    result.written = True
    return result
