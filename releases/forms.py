import datetime

from django import forms
from django.utils import timezone

from .models import PENDING, ReleaseDate, ReleaseStatus
from .schedule import STANDARD_TIME, UK, at_uk_time, next_release_time, not_a_release_day


class ScheduleForm(forms.Form):
    """When the selected drafts go public: a day and a UK time (09:30 unless
    the publisher says otherwise), on a weekday, in the future."""

    day = forms.DateField(
        label="Release day",
        # The browser's date picker reads and writes ISO dates, whatever its language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="A working day (not a weekend or a bank holiday in England and Wales). "
        "The figures go public at the time below on this day.",
    )
    time = forms.TimeField(
        label="Release time (UK time)",
        initial=STANDARD_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="The Code of Practice for Statistics expects 09:30 on a weekday.",
    )
    covers = forms.CharField(
        label="What the release covers",
        required=False,
        max_length=200,
        help_text="Shown on the public calendar, e.g. “12 months to September 2026”.",
    )

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("day"), cleaned.get("time")
        if day is None or time is None:
            return cleaned
        if problem := not_a_release_day(day):
            self.add_error("day", problem)
            return cleaned
        publish_at = at_uk_time(day, time)
        if publish_at <= timezone.now():
            self.add_error("time", "Choose a time in the future.")
            return cleaned
        cleaned["publish_at"] = publish_at
        return cleaned


class ReleaseDateForm(forms.ModelForm):
    """Moving a pending release's time postpones it: the time first
    announced is kept and the reason asked for (Code of Practice T3.2)."""

    # The browser's own date and time picker: labelled, and no script with
    # inline styles (the admin's calendar widget breaks the page's CSP).
    publish_at = forms.DateTimeField(
        label="Release time",
        help_text=ReleaseDate._meta.get_field("publish_at").help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = ReleaseDate
        fields = ["measure", "source", "covers", "publish_at", "status", "reason"]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        status = cleaned.get("status")
        if status == ReleaseStatus.PUBLISHED and (
            instance.pk is None or instance.status != ReleaseStatus.PUBLISHED
        ):
            self.add_error("status", "A release is marked published when its time comes.")
        moved = (
            instance.pk is not None
            and instance.status in PENDING
            and "publish_at" in self.changed_data
            and cleaned.get("publish_at") is not None
        )
        if moved and status in PENDING:
            first = instance.postponed_from or instance.publish_at
            self.instance.postponed_from = first
            cleaned["status"] = ReleaseStatus.POSTPONED
            self.instance.status = ReleaseStatus.POSTPONED
            if not (cleaned.get("reason") or "").strip():
                self.add_error(
                    "reason", "Say why the release moved: the public reads it beside the new time."
                )
        publish_at = cleaned.get("publish_at")
        if publish_at and (instance.pk is None or moved):
            if publish_at <= timezone.now():
                self.add_error("publish_at", "Announce a release for a time in the future.")
            elif problem := not_a_release_day(publish_at.astimezone(UK).date()):
                self.add_error("publish_at", problem)
        return cleaned


def default_day(now: datetime.datetime) -> datetime.date:
    """The day of the next standard release time."""
    return next_release_time(now).astimezone(UK).date()
