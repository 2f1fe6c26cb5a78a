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
        "issued by",
        max_length=200,
        help_text="Who issued the plan, by name: the commissioner, the mayor or the board's chair.",
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


# ---------------------------------------------------------------------------
# The local policing body that publishes this site. Police and crime
# commissioners give way to mayors and policing boards (from May 2028), so the
# body is data and every page's wording follows it.


class BodyKind(models.TextChoices):
    PCC = "pcc", "Police and Crime Commissioner"
    PFCC = "pfcc", "Police, Fire and Crime Commissioner"
    MAYOR = "mayor", "Mayor"
    BOARD = "board", "Policing and crime board"


# A logo is served from this site (the CSP allows no other origin for
# images); PNG and JPEG only: an SVG served from the site's own origin could
# carry script.
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_BYTES = 200_000


def logo_type(data: bytes) -> str | None:
    return next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)


class PublishingBodyQuerySet(models.QuerySet):
    def current(self) -> "PublishingBody | None":
        # The logo's bytes are read only by the logo's own address.
        return self.select_related("force_area").defer("logo").order_by("pk").first()


class PublishingBody(models.Model):
    """The body that publishes the site: its kind, name and office holder."""

    kind = models.CharField(max_length=10, choices=BodyKind, default=BodyKind.PCC)
    name = models.CharField(
        max_length=200,
        help_text="As the body names itself, e.g. “Humberside Police and Crime Commissioner” "
        "or “Greater Manchester Combined Authority”.",
    )
    holder_title = models.CharField(
        "holder's title",
        max_length=200,
        help_text="The office holder's title, e.g. “Police and Crime Commissioner for "
        "Humberside”, “Mayor of Greater Manchester”, “Chair of the policing board”.",
    )
    holder_name = models.CharField("holder's name", max_length=200, blank=True)
    force_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", help_text="The police force area."
    )
    logo = models.BinaryField(blank=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    logo_alt = models.CharField(
        "logo text", max_length=200, blank=True, help_text="What the logo says, for screen readers."
    )
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=50, blank=True)
    website = models.URLField(blank=True)
    address = models.TextField(blank=True, help_text="The postal address, one line per line.")

    objects = PublishingBodyQuerySet.as_manager()

    class Meta:
        verbose_name = "publishing body"
        verbose_name_plural = "publishing body"

    def __str__(self):
        return self.name

    def clean(self):
        if PublishingBody.objects.exclude(pk=self.pk).exists():
            raise ValidationError(
                "This site already has its publishing body: change that one instead."
            )

    @property
    def holder(self) -> str:
        """“Jonathan Evison, Police and Crime Commissioner for Humberside”."""
        return ", ".join(part for part in (self.holder_name, self.holder_title) if part)
