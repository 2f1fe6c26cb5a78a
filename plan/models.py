"""The local side: a Police and Crime Plan, its local outcomes, and how each
outcome contributes to the national measures.

A plan is replaced after each election, so plans, outcomes and the mapping are
data, not code, and an old plan stays viewable.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from measures.models import Area, Measure, MeasureQuerySet, Target


class Strength(models.TextChoices):
    DIRECT = "direct", "Direct"
    SUPPORTING = "supporting", "Supporting"


class PlanQuerySet(models.QuerySet):
    def current(self) -> "Plan | None":
        """The plan on the home page: the newest plan marked current."""
        return (
            self.filter(is_current=True)
            .select_related("force_area")
            .order_by("-first_year", "pk")
            .first()
        )


class Plan(models.Model):
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100, unique=True)
    commissioner = models.CharField(
        max_length=200, help_text="The Police and Crime Commissioner who issued the plan."
    )
    force_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="plans")
    first_year = models.PositiveSmallIntegerField(help_text="The year the plan comes into force.")
    last_year = models.PositiveSmallIntegerField(help_text="The last year the plan covers.")
    summary = models.TextField(blank=True)
    statement_intro = models.TextField(
        "statement introduction",
        blank=True,
        help_text="Opening text of the statement on the national priorities for policing.",
    )
    is_current = models.BooleanField(
        "current plan",
        default=False,
        help_text="The current plan is the one on the home page. "
        "Only one plan per force area can be current.",
    )
    targets = models.ManyToManyField(
        Target,
        blank=True,
        related_name="plans",
        help_text="The targets this plan sets (a target belongs to its measure and area).",
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-first_year", "title"]
        verbose_name = "Police and Crime Plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="plan_last_year_not_before_first",
            ),
            models.UniqueConstraint(
                fields=["force_area"],
                condition=Q(is_current=True),
                name="plan_one_current_per_force_area",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.years})"

    def get_absolute_url(self):
        return reverse("pages:plan-detail", kwargs={"slug": self.slug})

    @property
    def years(self) -> str:
        return f"{self.first_year} to {self.last_year}"

    def clean(self):
        errors = {}
        if self.first_year and self.last_year and self.last_year < self.first_year:
            errors["last_year"] = "The plan cannot end before it starts."
        if (
            self.is_current
            and self.force_area_id
            and Plan.objects.filter(force_area_id=self.force_area_id, is_current=True)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["is_current"] = (
                "Another plan is already current for this force area: untick it there first."
            )
        if errors:
            raise ValidationError(errors)


class LocalOutcome(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences, shown on the outcome's card."
    )
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    measures = models.ManyToManyField(Measure, through="Contribution", related_name="outcomes")

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "title"]
        verbose_name = "local outcome"
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="outcome_slug_unique_in_plan"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The current plan's outcomes live at /outcomes/…; a past plan's under its own address."""
        if self.plan.is_current:
            return reverse("pages:outcome-detail", kwargs={"slug": self.slug})
        return reverse(
            "pages:plan-outcome-detail", kwargs={"plan": self.plan.slug, "slug": self.slug}
        )


class ContributionQuerySet(models.QuerySet):
    def with_measure_details(self):
        """With each measure and what its summary reads, in a fixed number of queries."""
        joins, prefetches = MeasureQuerySet.detail_lookups("measure")
        return self.select_related(*joins).prefetch_related(*prefetches)


class Contribution(models.Model):
    """How one local outcome contributes to one measure."""

    outcome = models.ForeignKey(
        LocalOutcome, on_delete=models.CASCADE, related_name="contributions"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="contributions")
    explanation = models.TextField(
        help_text="How the outcome contributes to the measure, in one or two sentences "
        "a member of the public understands."
    )
    strength = models.CharField(
        max_length=10,
        choices=Strength,
        default=Strength.SUPPORTING,
        help_text="Direct: the outcome acts on what the measure counts. "
        "Supporting: it helps indirectly.",
    )

    history = HistoricalRecords()
    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["outcome", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "measure"], name="contribution_one_per_outcome_measure"
            ),
        ]

    def __str__(self):
        return f"{self.outcome} → {self.measure}"
