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
