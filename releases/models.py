"""The release calendar: when the figures of a measure, or of an official
source, are released (announced ahead, as the Code of Practice for Statistics
asks: see ``schedule.py``), and the reviewed drafts a publisher scheduled to
go public at that time."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from measures.models import Figure, Measure
from official.models import Source

from .schedule import format_release_time


class ReleaseStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    POSTPONED = "postponed", _("Postponed")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


#: Still to come: ``publish_due`` releases these when their time comes.
PENDING = (ReleaseStatus.ANNOUNCED, ReleaseStatus.POSTPONED)
#: The statuses the public is told the reason for (the Code's T3.2).
EXPLAINED = (ReleaseStatus.POSTPONED, ReleaseStatus.CANCELLED)


class ReleaseDateQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=PENDING)

    def upcoming(self, now):
        return self.pending().filter(publish_at__gt=now).order_by("publish_at", "pk")

    def due(self, now):
        return self.pending().filter(publish_at__lte=now).order_by("publish_at", "pk")

    def past(self):
        return self.exclude(status__in=PENDING).order_by("-publish_at", "-pk")


class ReleaseDate(models.Model):
    """One pre-announced release: what (a measure, or an official source and
    so every measure with a recipe from it), when, and how it went."""

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="release_dates",
        help_text="The measure released; or leave empty and choose an official source.",
    )
    source = models.CharField(
        "official source",
        max_length=20,
        choices=Source,
        blank=True,
        help_text="An official source whose release updates every measure with a recipe from it.",
    )
    covers = models.CharField(
        "what it covers",
        max_length=200,
        blank=True,
        help_text="The period or edition, as the public reads it, e.g. “12 months to "
        "September 2026”.",
    )
    publish_at = models.DateTimeField(
        "release time",
        help_text="UK time. The Code of Practice for Statistics expects 09:30 on a weekday.",
    )
    status = models.CharField(max_length=10, choices=ReleaseStatus, default=ReleaseStatus.ANNOUNCED)
    postponed_from = models.DateTimeField(
        null=True, blank=True, help_text="The time first announced, when it was moved."
    )
    reason = models.TextField(
        blank=True,
        help_text="Why it was postponed or cancelled: the public reads it.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ReleaseDateQuerySet.as_manager()

    class Meta:
        ordering = ["publish_at", "pk"]
        verbose_name = "release date"
        verbose_name_plural = "release dates"
        constraints = [
            models.CheckConstraint(
                condition=(Q(measure__isnull=False) & Q(source=""))
                | (Q(measure__isnull=True) & ~Q(source="")),
                name="release_date_measure_or_source",
                violation_error_message="A release is of a measure or of an official source.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=EXPLAINED) | ~Q(reason=""),
                name="release_date_change_has_reason",
                violation_error_message="Say why the release was postponed or cancelled.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReleaseStatus.POSTPONED) | Q(postponed_from__isnull=False),
                name="release_date_postponed_has_first_time",
                violation_error_message="A postponed release keeps the time first announced.",
            ),
        ]
        indexes = [models.Index(fields=["status", "publish_at"], name="release_date_due")]

    def __str__(self):
        return f"{self.what}: {format_release_time(self.publish_at)}"

    def get_absolute_url(self):
        return reverse("releases:upcoming") + f"#release-{self.pk}"

    @property
    def what(self) -> str:
        if self.measure_id:
            return self.measure.name
        return Source(self.source).label if self.source else ""

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    def clean(self):
        if bool(self.measure_id) == bool(self.source):
            raise ValidationError(
                "Choose either a measure or an official source (not both, not neither)."
            )
        self.reason = self.reason.strip()
        if self.status in EXPLAINED and not self.reason:
            raise ValidationError(
                {"reason": "Say why the release was postponed or cancelled: the public reads it."}
            )
        if self.status == ReleaseStatus.POSTPONED and self.postponed_from is None:
            raise ValidationError(
                {"postponed_from": "Give the time first announced for a postponed release."}
            )


class ScheduledFigure(models.Model):
    """A reviewed draft that goes public with its release, at its time, as
    long as it is still the version the publisher scheduled."""

    release = models.ForeignKey(ReleaseDate, on_delete=models.CASCADE, related_name="figures")
    figure = models.OneToOneField(Figure, on_delete=models.CASCADE, related_name="schedule")
    version = models.PositiveIntegerField(
        help_text="The figure's version the publisher reviewed: a later change is not published."
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["release", "figure"]
        verbose_name = "scheduled figure"

    def __str__(self):
        return f"{self.figure}, scheduled for {format_release_time(self.release.publish_at)}"
