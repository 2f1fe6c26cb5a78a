"""Scheduling reviewed drafts, and publishing what is due.

Publishing goes through ``measures.services.publish_figures``, as a
publisher's click does, so that the history, the verdicts, the pages' data
version and the admin's log are written exactly as for a manual publish.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.cache import bump_data_version
from measures.history import SINCE_CONFIRMATION, describe_version_change
from measures.models import Figure
from measures.permissions import can_publish
from measures.services import FiguresChanged, publish_figures

from .models import ReleaseDate, ReleaseStatus, ScheduledFigure
from .schedule import format_release_time
from .selectors import updating

logger = logging.getLogger(__name__)


@dataclass
class ScheduleResult:
    scheduled: list[Figure]
    releases: list[ReleaseDate]
    already_published: int = 0


@transaction.atomic
def schedule_figures(
    *, expected_versions: Mapping[int, int], publish_at: datetime.datetime, user, covers: str = ""
) -> ScheduleResult:
    """Schedule the drafts among the figures ``expected_versions`` names (each
    with the version the publisher reviewed) to go public at ``publish_at``,
    with the release of their measure at that time (announced now, if it was
    not). Refused, naming them, if any changed since the publisher saw them."""
    if user is None or not can_publish(user):
        raise PermissionDenied("Only a publisher can schedule figures for publication.")
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": "Choose a time in the future."})
    # The public calendar and the measures' "next update" change. Taken before
    # any figure's lock, as every writer of figures takes it
    # (``measures.services._serialise_writers``), so that none waits in a circle.
    bump_data_version()
    figures = list(
        Figure.objects.select_for_update(of=("self",))
        .filter(pk__in=list(expected_versions))
        .select_related("measure")
        .order_by("pk")
    )
    found = {figure.pk: figure for figure in figures}
    changes = []
    for pk, expected in sorted(expected_versions.items()):
        change = describe_version_change(found.get(pk), expected, since=SINCE_CONFIRMATION)
        if change:
            changes.append(f"{found.get(pk) or f'Figure {pk}'}: {change}")
    if changes:
        raise FiguresChanged(changes)
    drafts = [figure for figure in figures if not figure.is_published]
    releases = {}
    for figure in drafts:
        release = releases.get(figure.measure_id) or _release_for(
            figure.measure, publish_at, user, covers
        )
        releases[figure.measure_id] = release
        ScheduledFigure.objects.update_or_create(
            figure=figure,
            defaults={"release": release, "version": figure.version, "scheduled_by": user},
        )
    return ScheduleResult(drafts, list(releases.values()), len(figures) - len(drafts))


def _release_for(measure, publish_at, user, covers: str) -> ReleaseDate:
    """The pending release at exactly ``publish_at`` of the measure (or else
    of an official source it has a recipe from), or a new one of the measure."""
    release = (
        ReleaseDate.objects.pending()
        .filter(updating(measure, measure), publish_at=publish_at)
        .order_by("source", "pk")  # the measure's own first
        .first()
    )
    if release is None:
        release = ReleaseDate.objects.create(
            measure=measure, publish_at=publish_at, covers=covers, created_by=user
        )
    return release


@dataclass
class DueReport:
    """What one ``publish_due`` run did."""

    releases: list[ReleaseDate] = field(default_factory=list)
    published: list[Figure] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # figures not published, with why

    def lines(self) -> list[str]:
        out = [f"Released: {release}" for release in self.releases]
        out += [f"Not published: {reason}" for reason in self.held]
        out.append(
            f"{len(self.releases)} release(s) due, {len(self.published)} figure(s) published."
        )
        return out


@transaction.atomic
def publish_due(*, now: datetime.datetime | None = None) -> DueReport:
    """Release everything due at ``now`` (by default, this moment), in one
    transaction: each pending release whose time has come is marked
    published, and the figures scheduled with it go public.

    Two runs that overlap never release anything twice: on PostgreSQL the
    due releases are locked with ``SKIP LOCKED``, so a second run passes over
    those the first holds; on every database each release is claimed with an
    update that only a pending release matches, and ``publish_figures``
    refuses a figure whose version moved on.
    """
    now = now or timezone.now()
    report = DueReport()
    due = list(ReleaseDate.objects.select_for_update(skip_locked=True).due(now))
    for release in due:
        claimed = (
            ReleaseDate.objects.pending()
            .filter(pk=release.pk)
            .update(status=ReleaseStatus.PUBLISHED, published_at=now)
        )
        if claimed:
            report.releases.append(release)
            _publish_scheduled(release, report)
    if report.releases:
        bump_data_version()  # "next update" moves on even when no figure did
    return report


def _publish_scheduled(release: ReleaseDate, report: DueReport) -> None:
    """Publish the figures scheduled with ``release``, each publisher's as
    theirs; figures changed since they were scheduled stay drafts."""
    scheduled = list(
        ScheduledFigure.objects.filter(release=release).select_related("figure", "scheduled_by")
    )
    by_publisher = defaultdict(dict)
    for item in scheduled:
        figure = item.figure
        if figure.is_published:
            continue
        if figure.version != item.version:
            report.held.append(f"{figure}: changed since it was scheduled, so it stays a draft.")
            continue
        by_publisher[item.scheduled_by][figure.pk] = item.version
    ScheduledFigure.objects.filter(release=release).delete()
    when = format_release_time(release.publish_at)
    for user, versions in by_publisher.items():
        if not can_publish(user):
            report.held.extend(
                f"{Figure.objects.get(pk=pk)}: {user} may no longer publish." for pk in versions
            )
            continue
        try:
            with transaction.atomic():  # a savepoint: a refusal leaves the others
                published = publish_figures(expected_versions=versions, user=user)
        except FiguresChanged as changed:
            report.held.extend(changed.changes)
            continue
        _log(user, published, f"Published as scheduled for {when}.")
        report.published.extend(published)
    for reason in report.held:
        logger.warning("publish_due: %s", reason)


def _log(user, figures: list[Figure], message: str) -> None:
    """The admin's log, as the publish action writes it."""
    if figures:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=Figure.objects.filter(pk__in=[figure.pk for figure in figures]),
            action_flag=CHANGE,
            change_message=message,
        )
