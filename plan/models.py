"""The local side: a Police and Crime Plan, its local outcomes, and how each
outcome contributes to the national measures.

A plan is replaced after each election, so plans, outcomes and the mapping are
data, not code, and an old plan stays viewable.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from measures.models import Area, Framework, Measure, MeasureQuerySet, PriorityArea, Target


class Strength(models.TextChoices):
    DIRECT = "direct", gettext_lazy("Direct")
    SUPPORTING = "supporting", gettext_lazy("Supporting")


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
        return gettext("%(start)s to %(end)s") % {"start": self.first_year, "end": self.last_year}

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


# ---------------------------------------------------------------------------
# Statement editions: the statement the Specified Information Order 2011
# (as amended by SI 2021/547) asks for, published for a framework and a
# reporting period, and kept as published. Paragraph 7A: (a) the force's
# contribution to the key national priorities as the Home Secretary
# communicated them, (b) which apply locally and which not, and why;
# 7B: the most recent HMICFRS inspection reports on the force (the annual
# report on effectiveness, efficiency and legitimacy, and the summary
# assessment); 7C: complaints (the IOPC's latest quarterly data and annual
# statistics, and the body's own report). Text checked at
# https://www.legislation.gov.uk/uksi/2021/547/made (article 2(3)).


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Applies(models.TextChoices):
    YES = "yes", gettext_lazy("Applies in our area")
    NO = "no", gettext_lazy("Does not apply in our area")


class PeelGrade(models.TextChoices):
    # HMICFRS's five grades for PEEL 2023–2025 (docs/sources.md, section 4).
    OUTSTANDING = "outstanding", gettext_lazy("Outstanding")
    GOOD = "good", gettext_lazy("Good")
    ADEQUATE = "adequate", gettext_lazy("Adequate")
    REQUIRES_IMPROVEMENT = "requires-improvement", gettext_lazy("Requires improvement")
    INADEQUATE = "inadequate", gettext_lazy("Inadequate")


COMPARISON_NOT_BEFORE = (
    "The period compared with must end before the reporting period ends: it is the earlier "
    "period the edition's figures are compared with."
)


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EditionStatus.PUBLISHED)

    def newest_first(self):
        return self.order_by("-period_end", "-published_at", "-pk")


class StatementEdition(models.Model):
    """One edition of the statement on the national priorities for policing."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="editions")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="editions")
    slug = models.SlugField(
        max_length=50,
        unique=True,
        help_text="Its lasting web address, e.g. “2026-27-q2” gives /statement/2026-27-q2/.",
    )
    title = models.CharField(max_length=200, help_text="e.g. “Statement, July to September 2026”.")
    period_start = models.DateField(help_text="First day of the reporting period.")
    period_end = models.DateField(help_text="Last day of the reporting period.")
    comparison = models.CharField(
        max_length=300,
        help_text="The comparison the statement makes, in words, e.g. “12 months to September "
        "2025 compared with the 12 months to September 2023”.",
    )
    comparison_end = models.DateField(
        "compared with the period ending",
        null=True,
        blank=True,
        help_text="The last day of the period the figures are compared with, e.g. 30 September "
        "2023 for “compared with the 12 months to September 2023”. Leave it blank to compare "
        "each measure with its baseline. The edition's own figures are those for the period "
        "ending on the reporting period's last day.",
    )
    introduction = models.TextField(blank=True)
    peel_title = models.CharField(
        "PEEL inspection",
        max_length=200,
        blank=True,
        help_text="7B: the most recent HMICFRS PEEL inspection of the force, e.g. "
        "“PEEL 2023–2025: an inspection of Humberside Police”.",
    )
    peel_url = models.URLField("PEEL report address", max_length=500, blank=True)
    peel_published = models.DateField("PEEL report published", null=True, blank=True)
    peel_note = models.TextField(
        "about the inspection",
        blank=True,
        help_text="Shown under the graded areas: where the grades are taken from, or anything "
        "else a reader should know about them.",
    )
    complaints_quarterly_url = models.URLField(
        "IOPC quarterly complaints data",
        max_length=500,
        blank=True,
        help_text="7C(a)(i): the most recent quarterly complaints data for the force.",
    )
    complaints_annual_url = models.URLField(
        "IOPC annual complaints statistics",
        max_length=500,
        blank=True,
        help_text="7C(a)(ii): the most recent annual statistics report.",
    )
    complaints_report_url = models.URLField(
        "our complaints report",
        max_length=500,
        blank=True,
        help_text="7C(b): how the body holds the chief constable to account for complaints "
        "handling, and its own handling of complaints.",
    )
    complaints_note = models.TextField(
        "about the complaints information",
        blank=True,
        help_text="Shown under the complaints links: anything a reader should know about them.",
    )
    status = models.CharField(
        max_length=10, choices=EditionStatus, default=EditionStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # What the edition said at publication: figures, changes, verdicts and
    # wording, never recomputed; and its PDF, made once then.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["pdf", "snapshot"])
    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = "statement edition"
        permissions = [("publish_statementedition", "Can publish statement editions")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="edition_period_end_not_before_start",
                violation_error_message="The period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(comparison_end__isnull=True) | Q(comparison_end__lt=F("period_end")),
                name="edition_comparison_before_period_end",
                violation_error_message=COMPARISON_NOT_BEFORE,
            ),
            models.CheckConstraint(
                condition=Q(status=EditionStatus.DRAFT) | Q(snapshot__isnull=False),
                name="edition_published_has_snapshot",
                violation_error_message="A published edition keeps what it said.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:statement-edition", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == EditionStatus.PUBLISHED

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "The period cannot end before it starts."
        if self.comparison_end and self.period_end and self.comparison_end >= self.period_end:
            errors["comparison_end"] = COMPARISON_NOT_BEFORE
        if self.slug == "archive":  # /statement/archive/ lists the editions
            errors["slug"] = "“archive” is the address of the list of editions: choose another."
        if errors:
            raise ValidationError(errors)


class EditionPriority(models.Model):
    """What an edition says about one national priority (paragraph 7A)."""

    edition = models.ForeignKey(
        StatementEdition, on_delete=models.CASCADE, related_name="priorities"
    )
    priority_area = models.ForeignKey(PriorityArea, on_delete=models.PROTECT, related_name="+")
    contribution = models.TextField(
        "how the force contributes",
        blank=True,
        help_text="7A(a): the force's contribution to improvements against this priority.",
    )
    applies = models.CharField(
        "applies locally",
        max_length=3,
        choices=Applies,
        blank=True,
        help_text="7A(b): whether the priority is assessed to apply in our area.",
    )
    reason = models.TextField(
        "why not", blank=True, help_text="7A(b): if it does not apply, the reasons."
    )
    performance = models.TextField("summary of performance", blank=True)
    reflections = models.TextField(blank=True)
    actions = models.TextField("actions for the next period", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "priority_area__order"]
        verbose_name = "priority in an edition"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "priority_area"], name="edition_priority_once"
            ),
        ]

    def __str__(self):
        return f"{self.edition}: {self.priority_area}"

    def missing_7b(self) -> bool:
        """Whether 7A(b) is left unanswered: no answer, or "no" without why."""
        return not self.applies or (self.applies == Applies.NO and not self.reason.strip())


class EditionPeelGrade(models.Model):
    """One graded area of the PEEL inspection an edition links (7B)."""

    edition = models.ForeignKey(
        StatementEdition, on_delete=models.CASCADE, related_name="peel_grades"
    )
    area = models.CharField("graded area", max_length=200)
    grade = models.CharField(max_length=25, choices=PeelGrade)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["edition", "order", "pk"]
        verbose_name = "PEEL graded area"

    def __str__(self):
        return f"{self.area}: {self.get_grade_display()}"
