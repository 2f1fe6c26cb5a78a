"""What a figure's history says: who changed it, when, and what."""

from django.utils import timezone

from .csvformat import FIGURE_ENTERED_COLUMNS
from .models import Figure


def _who(user) -> str:
    if user is None:
        return "an import job"
    return user.get_full_name() or user.get_username()


def describe_changes_since(figure: Figure, version: int) -> str:
    """In words, what happened to ``figure`` after the ``version`` someone saw:
    who saved it last, when, and what changed."""
    records = list(figure.history.filter(version__gte=version).order_by("history_date"))
    latest = figure.history.order_by("-history_date").first()
    if latest is None:
        return "Someone else changed this figure."
    when = timezone.localtime(latest.history_date).strftime("%d %B %Y at %H:%M")
    who = _who(latest.history_user) if latest.history_user_id else "someone"
    parts = []
    if records and records[0].version == version and records[0].pk != latest.pk:
        delta = latest.diff_against(records[0], included_fields=[*FIGURE_ENTERED_COLUMNS, "status"])
        for change in delta.changes:
            old = "empty" if change.old in (None, "") else change.old
            new = "empty" if change.new in (None, "") else change.new
            parts.append(f"{change.field} {old} → {new}")
    what = "; ".join(parts) if parts else f"value now {figure.value}"
    return f"{who} saved this figure on {when} (version {figure.version}): {what}."


# How long ago "the version someone saw" was seen, in the words of each screen.
WHILE_WORKING = "while you were working on it"
SINCE_CONFIRMATION = "since the confirmation was shown"
SINCE_PREVIEW = "since your preview"


def describe_version_change(figure: Figure | None, expected_version: int, *, since: str) -> str:
    """In words, how a figure moved on from the version someone saw.

    ``expected_version`` is the version they saw, 0 for "there was no figure";
    ``figure`` is the figure now, None if it has been deleted. Returns "" when
    it is still the version they saw. Every screen that checks versions (the
    figure form, the list, bulk entry, the upload, publishing) words it here.
    """
    current_version = figure.version if figure is not None else 0
    if current_version == expected_version:
        return ""
    if figure is None:
        return f"This figure has been deleted {since}."
    if expected_version == 0:
        return f"Someone added this figure {since}. " + describe_changes_since(
            figure, figure.version
        )
    return f"Someone else changed this figure {since}. " + describe_changes_since(
        figure, expected_version
    )
