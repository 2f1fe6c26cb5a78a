"""The calendar in words, formatted once for the public page, the measure
pages and the admin."""

from dataclasses import dataclass

from django.utils.translation import gettext

from official.models import SOURCE_URL, Source

from .models import ReleaseDate, ReleaseStatus
from .schedule import format_release_time


@dataclass(frozen=True)
class ReleaseRow:
    pk: int
    when: str
    iso: str
    what: str
    url: str
    covers: str
    status: str
    note: str


def status_note(release: ReleaseDate) -> str:
    """Why it moved or was dropped, as the Code of Practice (T3.2) asks."""
    if release.status == ReleaseStatus.POSTPONED:
        first = format_release_time(release.postponed_from)
        return gettext("Postponed from %(first)s.") % {"first": first} + f" {release.reason}"
    if release.status == ReleaseStatus.CANCELLED:
        return gettext("Cancelled.") + f" {release.reason}"
    return ""


def release_row(release: ReleaseDate) -> ReleaseRow:
    if release.measure_id:
        url = release.measure.get_absolute_url()
    else:
        url = SOURCE_URL[Source(release.source)]
    return ReleaseRow(
        pk=release.pk,
        when=format_release_time(release.publish_at),
        iso=release.publish_at.isoformat(),
        what=release.what,
        url=url,
        covers=release.covers,
        status=release.get_status_display(),
        note=status_note(release),
    )
