"""The national side: priority areas, measures, data sources, areas and figures.

A figure is one observation: one value of one measure, for one area, over one
period. Everything a page shows about progress (the change against the
baseline, the status) is derived from figures, never stored by hand.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from .expressions import DaysBetween, PairIn
from .periods import (
    DATE_RANGE_MESSAGE,
    EARLIEST,
    LATEST,
    SAME_LENGTH_SLACK,
    period_label,
    within_range,
)
from .stats.verdict import ChangeUnit, Method
from .status import Status, change_decimal_places

# The area every other is compared with: loaded by the catalogue migration.
NATIONAL_AREA_SLUG = "england-and-wales"


def within_dates(*fields: str) -> Q:
    """The condition of a check constraint that each date field lies within
    ``measures.periods``' range: what ``dates_outside_range`` says in words."""
    return Q(**{f"{name}__range": (EARLIEST, LATEST) for name in fields})


def dates_outside_range(**dates) -> dict[str, str]:
    """The message for each of ``dates`` (field name: value) outside the
    range the site takes, by field name; a value that is not a date yet has
    its own message from its field."""
    return {
        name: DATE_RANGE_MESSAGE
        for name, day in dates.items()
        if isinstance(day, datetime.date) and not within_range(day)
    }


class UpdateFrequency(models.TextChoices):
    MONTHLY = "monthly", gettext_lazy("Monthly")
    QUARTERLY = "quarterly", gettext_lazy("Quarterly")
    TWICE_YEARLY = "twice-yearly", gettext_lazy("Twice a year")
    ANNUALLY = "annually", gettext_lazy("Annually")
    IRREGULAR = "irregular", gettext_lazy("Irregularly")
    NOT_STATED = "not-stated", gettext_lazy("Not yet stated")


class Unit(models.TextChoices):
    COUNT = "count", gettext_lazy("Count")
    PERCENTAGE = "percentage", gettext_lazy("Percentage")
    RATE_PER_1000 = "rate-per-1000", gettext_lazy("Rate per 1,000 people")
    RATE_PER_100000 = "rate-per-100000", gettext_lazy("Rate per 100,000 people")
    # A framework may name a measure before saying how it is counted
    # (measures/frameworks/FORMAT.md): shown as such, never given a default.
    NOT_STATED = "not-stated", gettext_lazy("Not yet stated")


class Direction(models.TextChoices):
    DOWN = "down", gettext_lazy("Down is better")
    UP = "up", gettext_lazy("Up is better")
    NOT_STATED = "not-stated", gettext_lazy("Not yet stated")


class MeasureKind(models.TextChoices):
    NATIONAL = "national", gettext_lazy("National Crime and Policing Measure")
    LOCAL = "local", gettext_lazy("Local indicator")


class AreaKind(models.TextChoices):
    COUNTRY = "country", "Country or group of countries"
    REGION = "region", "Region"
    POLICE_FORCE_AREA = "police-force-area", "Police force area"
    LOCAL_AUTHORITY = "local-authority", "Local authority"
    COMMUNITY_SAFETY_PARTNERSHIP = "csp", "Community safety partnership"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class TargetKind(models.TextChoices):
    VALUE = "value", "Reach a value"
    CHANGE = "change", "Change against the baseline (%)"
    IMPROVEMENT = "improvement", "Significant improvement against the baseline"


class StatisticalMethod(models.TextChoices):
    """How a measure's figures are judged (``measures.stats``; the values are
    ``measures.stats.verdict.Method``'s)."""

    POISSON = Method.POISSON.value, "Exact test of two Poisson counts (counts of events)"
    SURVEY = (
        Method.SURVEY.value,
        "Test of the difference of two survey estimates, from their 95% intervals",
    )
    XMR = (
        Method.XMR.value,
        "XmR control chart (monthly or quarterly figures whose periods do not overlap)",
    )
    TOLERANCE = Method.TOLERANCE.value, "Fixed tolerance (a size rule, with no test of chance)"


# A figure's stored verdict (``measures.status.Status``).
VERDICT_CHOICES = [(status.value, status.label) for status in Status]
CHANGE_UNIT_CHOICES = [(unit.value, unit.value) for unit in ChangeUnit]


class DataSource(models.Model):
    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="The name used in the Home Office table, e.g. “Police Recorded”.",
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who publishes the figures, e.g. “Home Office”."
    )
    url = models.URLField("web address", blank=True, help_text="Where the public can find it.")
    description = models.TextField(blank=True)
    update_frequency = models.CharField(
        "updated",
        max_length=20,
        choices=UpdateFrequency,
        default=UpdateFrequency.QUARTERLY,
        help_text="How often the source publishes new figures.",
    )
    is_survey = models.BooleanField(
        "survey",
        default=False,
        help_text="Tick for sample surveys (CSEW, Cyber Aware, DCMS): their figures can carry "
        "a confidence interval, and a change counts only when the intervals say it is "
        "significant.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "data source"

    def __str__(self):
        return self.name


class PriorityArea(models.Model):
    framework = models.ForeignKey(
        "Framework",
        on_delete=models.PROTECT,
        related_name="priority_areas",
        help_text="The national framework that sets this priority.",
    )
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first on every page."
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "national priority area"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pages:priority-detail", kwargs={"slug": self.slug})


PLAUSIBLE_RANGE_ORDER = "The largest plausible value cannot be below the smallest."
LARGEST_CHANGE_POSITIVE = "The largest expected change must be more than 0."

POISSON_FOR_COUNTS = (
    "The exact Poisson test compares counts of events: choose it for a count. A rate "
    "needs the populations behind it, which are not entered here."
)


class MeasureQuerySet(models.QuerySet):
    @staticmethod
    def detail_lookups(prefix: str = "", *, targets: bool = True) -> tuple[list, list]:
        """The related rows a summary reads of a measure, reached through
        ``prefix`` (e.g. "measure" from a contribution): the joins and the
        prefetches, for ``select_related`` and ``prefetch_related``."""
        path = f"{prefix}__" if prefix else ""
        joins = [f"{path}data_source", f"{path}priority_area"]
        # One override per measure and area, so in no order: the default
        # order would join two tables for nothing.
        prefetches = [
            Prefetch(f"{path}baseline_overrides", queryset=BaselineOverride.objects.order_by())
        ]
        if targets:
            prefetches.append(Prefetch(f"{path}targets", queryset=Target.objects.by_due()))
        return joins, prefetches

    def with_details(self, *, targets: bool = True):
        """With what a summary reads (source, priority area, baseline overrides
        and, unless ``targets`` is off, targets with their steps), in a fixed
        number of queries however many measures there are."""
        joins, prefetches = self.detail_lookups(targets=targets)
        return self.select_related(*joins).prefetch_related(*prefetches)

    def in_reading_order(self):
        """As a reader expects them, as the mapping page lists them: each
        framework's (oldest first) by priority area, then the local indicators
        that serve none; within each, by their order and name."""
        return self.order_by(
            F("priority_area__framework__date_communicated").asc(nulls_last=True),
            "priority_area__framework__name",
            "priority_area__framework_id",
            "priority_area__order",
            "priority_area__name",
            "order",
            "name",
        )


class Measure(models.Model):
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="measures",
        null=True,
        blank=True,
        help_text="Leave empty for a local indicator that serves no national priority area.",
    )
    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    definition = models.TextField(
        blank=True, help_text="What is counted, in plain words, as it will appear on the site."
    )
    data_source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="measures")
    unit = models.CharField(max_length=20, choices=Unit, default=Unit.COUNT)
    decimal_places = models.PositiveSmallIntegerField(
        default=0, help_text="How many decimal places to show (0 to 4)."
    )
    direction = models.CharField(
        "desired direction",
        max_length=10,
        choices=Direction,
        default=Direction.DOWN,
        help_text="Which way is an improvement: down for crime, up for satisfaction.",
    )
    baseline_start = models.DateField(
        help_text="First day of the baseline period (the 12 months to June 2019 by default)."
    )
    baseline_end = models.DateField(help_text="Last day of the baseline period.")
    tolerance = models.DecimalField(
        "smallest change that matters",
        max_digits=6,
        decimal_places=2,
        default=Decimal("5.00"),
        help_text="A change of this size or smaller is “no significant change”, whatever the "
        "test says (with large counts even a 1% change is statistically significant): in % "
        "for counts and rates, in percentage points for percentages. With the fixed "
        "tolerance it is the whole rule.",
    )
    method = models.CharField(
        "statistical method",
        max_length=24,
        choices=StatisticalMethod,
        default=StatisticalMethod.TOLERANCE,
        help_text="How a change is judged. Counts of events (police recorded crime, "
        "homicides, admissions): the exact Poisson test. Survey estimates with 95% "
        "confidence intervals (CSEW, Cyber Security Breaches Survey): the survey test. "
        "Monthly or quarterly figures that do not overlap: the XmR control chart. The "
        "fixed tolerance tests nothing about chance, and the pages say so.",
    )
    change_places = models.PositiveSmallIntegerField(
        "decimal places of the change",
        null=True,
        blank=True,
        help_text="Leave empty for one decimal place for a change in % (−37.1%), and the "
        "values' own decimal places for a change in percentage points (0 to 4).",
    )
    kind = models.CharField(max_length=10, choices=MeasureKind, default=MeasureKind.NATIONAL)
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first on every page."
    )
    # The checks every entry of a figure goes through (``measures.checks``):
    # a value outside them is saved only once the person confirms it.
    plausible_min = models.DecimalField(
        "smallest plausible value",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="A figure below this is a warning that staff must confirm before saving. "
        "Leave empty for no lower check.",
    )
    plausible_max = models.DecimalField(
        "largest plausible value",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="A figure above this is a warning that staff must confirm before saving. "
        "Leave empty for no upper check.",
    )
    largest_change = models.DecimalField(
        "largest expected change",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The largest change expected against the previous period (the last one as "
        "long, for the same area), up or down: in % for counts and rates, in percentage "
        "points for percentages. A larger change is a warning that staff must confirm; a "
        "figure marked as a series break is not compared. Leave empty for the default "
        "check: a change of more than half the previous value.",
    )

    history = HistoricalRecords()
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_end__gte=F("baseline_start")),
                name="measure_baseline_end_not_before_start",
                violation_error_message="The baseline cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=within_dates("baseline_start", "baseline_end"),
                name="measure_baseline_within_dates",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__lte=4),
                name="measure_decimal_places_at_most_4",
                violation_error_message="Show at most 4 decimal places.",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0),
                name="measure_tolerance_not_negative",
                violation_error_message="The tolerance cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(change_places__isnull=True) | Q(change_places__lte=4),
                name="measure_change_places_at_most_4",
                violation_error_message="Show a change with at most 4 decimal places.",
            ),
            models.CheckConstraint(
                condition=~Q(method=StatisticalMethod.POISSON) | Q(unit=Unit.COUNT),
                name="measure_poisson_test_for_counts",
                violation_error_message=POISSON_FOR_COUNTS,
            ),
            models.CheckConstraint(
                condition=Q(plausible_min__isnull=True)
                | Q(plausible_max__isnull=True)
                | Q(plausible_max__gte=F("plausible_min")),
                name="measure_plausible_range_in_order",
                violation_error_message=PLAUSIBLE_RANGE_ORDER,
            ),
            models.CheckConstraint(
                condition=Q(largest_change__isnull=True) | Q(largest_change__gt=0),
                name="measure_largest_change_positive",
                violation_error_message=LARGEST_CHANGE_POSITIVE,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pages:measure-detail", kwargs={"slug": self.slug})

    @property
    def is_survey(self) -> bool:
        return self.data_source.is_survey

    def clean(self):
        errors = dates_outside_range(
            baseline_start=self.baseline_start, baseline_end=self.baseline_end
        )
        if self.baseline_start and self.baseline_end and self.baseline_end < self.baseline_start:
            errors.setdefault("baseline_end", "The baseline cannot end before it starts.")
        if self.decimal_places is not None and self.decimal_places > 4:
            errors["decimal_places"] = "Show at most 4 decimal places."
        if self.change_places is not None and self.change_places > 4:
            errors["change_places"] = "Show a change with at most 4 decimal places."
        if self.method == StatisticalMethod.POISSON and self.unit != Unit.COUNT:
            errors["method"] = POISSON_FOR_COUNTS
        errors.update(self._rule_problems())
        if self.kind == MeasureKind.NATIONAL and self.priority_area_id is None:
            errors["priority_area"] = "A national measure belongs to a national priority area."
        if self._unit_changed_under_figures():
            errors["unit"] = (
                "This measure already has figures in its old unit; "
                "create a new measure instead of changing the unit."
            )
        if errors:
            raise ValidationError(errors)

    def _rule_problems(self) -> dict[str, str]:
        """The entry checks' settings in words: what their constraints say."""
        errors = {}
        low, high = self.plausible_min, self.plausible_max
        if low is not None and high is not None and high < low:
            errors["plausible_max"] = PLAUSIBLE_RANGE_ORDER
        if self.largest_change is not None and self.largest_change <= 0:
            errors["largest_change"] = LARGEST_CHANGE_POSITIVE
        return errors

    def _unit_changed_under_figures(self) -> bool:
        if not self.pk:
            return False
        old_unit = Measure.objects.filter(pk=self.pk).values_list("unit", flat=True).first()
        return bool(old_unit and old_unit != self.unit and self.figures.exists())

    @property
    def change_decimal_places(self) -> int:
        """A change's decimal places: the measure's setting, or one for a change
        in %, and the values' own for a change in percentage points."""
        return change_decimal_places(self.unit, self.decimal_places, self.change_places)

    def baseline_for(self, area: "Area") -> tuple:
        """The baseline period that applies to ``area`` (an override or the default)."""
        for override in self.baseline_overrides.all():
            if override.area_id == area.pk:
                return override.baseline_start, override.baseline_end
        return self.baseline_start, self.baseline_end


class AreaQuerySet(models.QuerySet):
    def national(self) -> "Area | None":
        """England and Wales, the area every other is compared with."""
        return self.filter(slug=NATIONAL_AREA_SLUG).first()

    def compared_with(self, area: "Area") -> "Area | None":
        """The area ``area``'s figures are shown beside: England and Wales,
        unless ``area`` is England and Wales itself."""
        national = self.national()
        return None if national is None or national.pk == area.pk else national


class Area(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        help_text="The Office for National Statistics geography code, e.g. K04000001.",
    )
    kind = models.CharField(max_length=20, choices=AreaKind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
        help_text="The area this one lies in, e.g. a partnership's police force area.",
    )
    home_office_names = models.CharField(
        "Home Office names",
        max_length=300,
        blank=True,
        help_text="How the Home Office's tables write the force in their “Force Name” column; "
        "several spellings separated by |.",
    )
    police_uk_id = models.CharField(
        "data.police.uk identifier",
        max_length=50,
        blank=True,
        help_text="The force's identifier at data.police.uk, e.g. humberside.",
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.ons_code == "":
            self.ons_code = None
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "An area cannot lie inside itself."})


class BaselineOverride(models.Model):
    """A force that publishes against another baseline, e.g. the 12 months to March 2020."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="baseline_overrides"
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="baseline_overrides")
    baseline_start = models.DateField()
    baseline_end = models.DateField()
    reason = models.CharField(max_length=255, blank=True)

    # Who set which baseline when, as for figures: a baseline changes every
    # status of the area, so its changes are kept.
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "area"]
        verbose_name = "baseline override"
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area"], name="baseline_override_one_per_measure_area"
            ),
            models.CheckConstraint(
                condition=Q(baseline_end__gte=F("baseline_start")),
                name="baseline_override_end_not_before_start",
                violation_error_message="The baseline cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=within_dates("baseline_start", "baseline_end"),
                name="baseline_override_within_dates",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.measure} in {self.area}: {self.baseline_start} to {self.baseline_end}"

    def clean(self):
        errors = dates_outside_range(
            baseline_start=self.baseline_start, baseline_end=self.baseline_end
        )
        if self.baseline_start and self.baseline_end and self.baseline_end < self.baseline_start:
            errors.setdefault("baseline_end", "The baseline cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


# A figure's stored verdict (``measures.verdicts`` writes them).
VERDICT_FIELDS = (
    "verdict",
    "verdict_method",
    "comparison_start",
    "comparison_end",
    "comparison_value",
    "change",
    "change_unit",
    "p_value",
    "verdict_text",
)

# What the pages read of a figure: loaded as plain values, not model instances.
POINT_FIELDS = (
    "id",
    "measure_id",
    "area_id",
    "period_start",
    "period_end",
    "value",
    "lower",
    "upper",
    "provisional",
    "series_break",
    "note",
    "revised_at",
    "previous_value",
    "revision_reason",
    "updated",
    *VERDICT_FIELDS,
)


class FigureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=PublicationStatus.DRAFT)

    def comparable(self, measures, areas):
        """The published figures of ``measures`` in ``areas`` that can be
        compared with the baseline, oldest first, as named tuples of
        ``POINT_FIELDS``: one query.

        Only periods as long as the area's baseline period count: a measure
        may also have monthly or quarterly figures, and a month is no more
        comparable with a 12-month baseline than it belongs on the same line
        of a chart.
        """
        # One condition per baseline length (most measures share one) over the
        # (measure, area) pairs of that length: short for Django to build, and
        # answered from the figure_published_length index.
        pairs_by_length = {}
        for measure in measures:
            for area in areas:
                if area is None:
                    continue
                start, end = measure.baseline_for(area)
                pairs_by_length.setdefault((end - start).days, []).append((measure.pk, area.pk))
        figures = (
            self.published()
            .alias(days=DaysBetween("period_start", "period_end"))
            # When the figure last changed for the public: one timestamp to load, not three.
            .annotate(updated=Coalesce("revised_at", "published_at", "updated_at"))
            .order_by("measure_id", "area_id", "period_end", "period_start")
            .values_list(*POINT_FIELDS, named=True)
        )
        if not pairs_by_length:
            return figures.none()
        condition = Q()
        for days, pairs in pairs_by_length.items():
            condition |= _pairs(pairs) & Q(
                days__gte=days - SAME_LENGTH_SLACK.days,
                days__lte=days + SAME_LENGTH_SLACK.days,
            )
        return figures.filter(condition)

    def latest_comparable(self, measures, area):
        """The newest of ``comparable``'s figures of each of ``measures`` in
        ``area``, as the same named tuples: one query, and one row per measure
        however many years of figures there are, for a page that shows each
        measure's latest figure and nothing older (a force's own page)."""
        return (
            self.comparable(measures, [area])
            .annotate(
                newest=Window(
                    RowNumber(),
                    partition_by=[F("measure_id")],
                    order_by=[F("period_end").desc(), F("period_start").desc()],
                )
            )
            .filter(newest=1)
        )


def _pairs(pairs: list[tuple[int, int]]) -> Q:
    """Figures of these (measure, area) pairs.

    Usually every measure is paired with every area: two IN lists then say it,
    which PostgreSQL plans and runs fastest. Otherwise (an area whose baseline
    override gives it another length) the pairs themselves.
    """
    measure_ids = sorted({measure_id for measure_id, _ in pairs})
    area_ids = sorted({area_id for _, area_id in pairs})
    if len(pairs) == len(measure_ids) * len(area_ids):
        return Q(measure_id__in=measure_ids, area_id__in=area_ids)
    return Q(PairIn("measure_id", "area_id", pairs))


class Figure(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="figures")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="figures")
    period_start = models.DateField(help_text="First day of the period the figure covers.")
    period_end = models.DateField(help_text="Last day of the period the figure covers.")
    value = models.DecimalField(max_digits=16, decimal_places=4)
    lower = models.DecimalField(
        "lower bound",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Lower end of the 95% confidence interval, for survey figures.",
    )
    upper = models.DecimalField(
        "upper bound",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Upper end of the 95% confidence interval, for survey figures.",
    )
    # Copied from the measure on save so that the database itself can hold a
    # percentage between 0 and 100: a check constraint cannot look across a join.
    unit = models.CharField(max_length=20, choices=Unit, editable=False)
    provisional = models.BooleanField(
        default=False, help_text="Tick if the source says the figure may still change."
    )
    series_break = models.BooleanField(
        default=False,
        help_text="Tick if this figure is not comparable with earlier periods "
        "(a change of method or definition).",
    )
    note = models.TextField(blank=True, help_text="Shown beside the figure on public pages.")
    source_url = models.URLField(
        "source web address", max_length=500, blank=True, help_text="Where this figure comes from."
    )
    status = models.CharField(
        max_length=10, choices=PublicationStatus, default=PublicationStatus.DRAFT
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one on every save; guards against lost updates.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The last revision of a published figure, shown publicly beside it; every
    # earlier value stays in the history.
    revised_at = models.DateTimeField(null=True, blank=True, editable=False)
    previous_value = models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True, editable=False
    )
    # Why a publisher changed the published value, shown publicly with the
    # revision note ("Revised 3 March 2026; previously 1,234: …").
    revision_reason = models.CharField(
        "reason for the revision", max_length=200, blank=True, editable=False
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
    # The verdict against the comparison, worked out once from the published
    # figures whenever a figure, a baseline or the measure's method changes
    # (``measures.verdicts``), and read by every page and download.
    verdict = models.CharField(
        max_length=24,
        choices=VERDICT_CHOICES,
        default=Status.NOT_ENOUGH_DATA.value,
        editable=False,
    )
    verdict_method = models.CharField(
        "method", max_length=24, choices=StatisticalMethod, blank=True, editable=False
    )
    comparison_start = models.DateField(null=True, blank=True, editable=False)
    comparison_end = models.DateField(null=True, blank=True, editable=False)
    comparison_value = models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True, editable=False
    )
    # Rounded as published (the measure's change places); the verdict was
    # decided on the unrounded change.
    change = models.DecimalField(
        max_digits=20, decimal_places=4, null=True, blank=True, editable=False
    )
    change_unit = models.CharField(
        max_length=20, choices=CHANGE_UNIT_CHOICES, blank=True, editable=False
    )
    # Four significant figures.
    p_value = models.DecimalField(
        "p-value", max_digits=24, decimal_places=20, null=True, blank=True, editable=False
    )
    verdict_text = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=list(VERDICT_FIELDS))
    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "area", "-period_end"]
        permissions = [
            ("publish_figure", "Can publish and unpublish figures"),
            ("export_figure", "Can export figures, drafts included"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "period_start", "period_end"],
                name="figure_one_per_measure_area_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="figure_period_end_not_before_start",
                violation_error_message="The period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=within_dates("period_start", "period_end"),
                name="figure_period_within_dates",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=True, upper__isnull=True)
                | Q(lower__isnull=False, upper__isnull=False),
                name="figure_bounds_both_or_neither",
                violation_error_message="Give both ends of the confidence interval, or neither.",
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=True) | Q(lower__lte=F("value")),
                name="figure_lower_not_above_value",
                violation_error_message="The lower bound cannot be above the value.",
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gte=F("value")),
                name="figure_upper_not_below_value",
                violation_error_message="The upper bound cannot be below the value.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & (Q(lower__isnull=True) | Q(lower__gte=0)),
                name="figure_value_not_negative",
                violation_error_message="A figure cannot be negative.",
            ),
            models.CheckConstraint(
                condition=~Q(unit=Unit.PERCENTAGE)
                | (Q(value__lte=100) & (Q(upper__isnull=True) | Q(upper__lte=100))),
                name="figure_percentage_at_most_100",
                violation_error_message="A percentage cannot be more than 100.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["measure", "area", "status", "-period_end"],
                name="figure_latest_lookup",
            ),
            # The public pages compare only periods as long as the baseline
            # (FigureQuerySet.comparable): this finds them among the
            # monthly and quarterly figures without reading those.
            models.Index(
                F("measure"),
                F("area"),
                DaysBetween("period_start", "period_end"),
                condition=Q(status=PublicationStatus.PUBLISHED),
                name="figure_published_length",
            ),
            # A measure page's table, newest first across every area: read in
            # order from here, the first page costs the same however many
            # years of figures the measure has. With the area and id, the
            # comparison's list of periods (compare.selectors.periods_of)
            # is read from the index alone, not from a row per force and period.
            models.Index(
                "measure",
                F("period_end").desc(),
                F("period_start").desc(),
                condition=Q(status=PublicationStatus.PUBLISHED),
                include=["area", "id"],
                name="figure_published_newest",
            ),
            # /data/?status=…: the published figures with one verdict.
            models.Index(
                fields=["verdict", "measure", "area", "period_end"],
                condition=Q(status=PublicationStatus.PUBLISHED),
                name="figure_published_verdict",
            ),
            # The /data/ table's default order, newest first across every
            # measure and area, ties on the primary key: read in order from
            # here, its first page is 50 index entries, not a sort of every
            # published figure.
            models.Index(
                F("period_end").desc(),
                F("period_start").desc(),
                "id",
                condition=Q(status=PublicationStatus.PUBLISHED),
                name="figure_published_all_newest",
            ),
            # /data/?area=… (a manager's own force), in the same order.
            models.Index(
                "area",
                F("period_end").desc(),
                F("period_start").desc(),
                "id",
                condition=Q(status=PublicationStatus.PUBLISHED),
                name="figure_area_newest",
            ),
            # /data/?status=…, in the same order.
            models.Index(
                "verdict",
                F("period_end").desc(),
                F("period_start").desc(),
                "id",
                condition=Q(status=PublicationStatus.PUBLISHED),
                name="figure_verdict_newest",
            ),
        ]

    def __str__(self):
        return f"{self.measure} – {self.area} – {period_label(self.period_start, self.period_end)}"

    def save(self, *args, **kwargs):
        if self.measure_id:
            self.unit = self.measure.unit
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    def clean(self):
        """Every check constraint's rule in words, on the field it is about."""
        if self.measure_id:
            self.unit = self.measure.unit
        errors: dict[str, list[str]] = {}
        for check in (self._period_problems, self._interval_problems, self._value_problems):
            for name, message in check():
                errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def _period_problems(self):
        yield from dates_outside_range(
            period_start=self.period_start, period_end=self.period_end
        ).items()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            yield "period_end", "The period cannot end before it starts."

    def _interval_problems(self):
        """The confidence interval: both ends or neither, around the value."""
        if (self.lower is None) != (self.upper is None):
            missing = "upper" if self.upper is None else "lower"
            yield missing, "Give both ends of the confidence interval, or neither."
        if self.value is None:
            return
        if self.lower is not None and self.lower > self.value:
            yield "lower", "The lower bound cannot be above the value."
        if self.upper is not None and self.upper < self.value:
            yield "upper", "The upper bound cannot be below the value."

    def _value_problems(self):
        """Never negative; a percentage at most 100."""
        if self.value is None:
            return
        if self.value < 0:
            yield "value", "A figure cannot be negative."
        if self.lower is not None and self.lower < 0:
            yield "lower", "The lower bound cannot be negative."
        if self.unit == Unit.PERCENTAGE:
            for name in ("value", "upper"):
                if (number := getattr(self, name)) is not None and number > 100:
                    yield name, "A percentage cannot be more than 100."


class TargetQuerySet(models.QuerySet):
    def by_due(self):
        """With their areas and steps, in the order a summary lists one area's
        targets of one measure: by due date (the default order would join the
        measure and area tables to sort by them first)."""
        return (
            self.select_related("area")
            .prefetch_related(Prefetch("steps", queryset=TargetStep.objects.order_by("date")))
            .order_by("due", "pk")
        )


class Target(models.Model):
    """What a measure should reach, nationally (no area) or for one area, and by when."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        related_name="targets",
        null=True,
        blank=True,
        help_text="Leave empty for a national target.",
    )
    kind = models.CharField(max_length=12, choices=TargetKind, default=TargetKind.VALUE)
    value = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="For “reach a value”: the value, e.g. 75 for 75%. For a change: the change "
        "in % against the baseline, e.g. -10 for a 10% reduction. Empty for a significant "
        "improvement.",
    )
    due = models.DateField("by", help_text="The date by which the target should be met.")
    description = models.CharField(
        max_length=255, blank=True, help_text="The target in words, as it is published."
    )
    source_url = models.URLField("source web address", max_length=500, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "area", "due"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=TargetKind.IMPROVEMENT) | Q(value__isnull=False),
                name="target_value_given_unless_improvement",
                violation_error_message="Give the value to reach, or the % change.",
            ),
            models.CheckConstraint(
                condition=within_dates("due"),
                name="target_due_within_dates",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        where = self.area.name if self.area_id else "England and Wales (national)"
        return f"{self.measure}: {self.get_kind_display().lower()} in {where} by {self.due:%B %Y}"

    def clean(self):
        errors = dates_outside_range(due=self.due)
        if self.kind != TargetKind.IMPROVEMENT and self.value is None:
            errors["value"] = "Give the value to reach, or the % change."
        if errors:
            raise ValidationError(errors)


class TargetStep(models.Model):
    """One step of a target's year-by-year trajectory."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="steps")
    date = models.DateField(help_text="The date by which this step should be reached.")
    value = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        help_text="Same meaning as the target's value: a value, or a % change.",
    )

    class Meta:
        ordering = ["target", "date"]
        verbose_name = "trajectory step"
        constraints = [
            models.UniqueConstraint(fields=["target", "date"], name="target_step_one_per_date"),
            models.CheckConstraint(
                condition=within_dates("date"),
                name="target_step_date_within_dates",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.value} by {self.date}"

    def clean(self):
        errors = dates_outside_range(date=self.date)
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------
# National frameworks: the priorities as the Home Secretary communicated them
# (Specified Information Order 2011, paragraph 7A). A framework owns its
# priority areas; a measure belongs to the framework of its priority area and
# may be shared with another framework's priority area (``SharedMeasure``).
# Loaded from the files in measures/frameworks/ (FORMAT.md) by load_framework.


class SourceKind(models.TextChoices):
    PRIMARY = "primary", "Issuing body's own publication"
    COPY = "copy", "Copy of the text at another address"
    SECONDARY = "secondary", "Someone else's report of it"


class FrameworkQuerySet(models.QuerySet):
    def with_priorities(self):
        """Each framework with its priority areas, their measures and the
        measures shared into them, in a fixed number of queries."""
        measures = Measure.objects.select_related("data_source").order_by("order", "name")
        return self.prefetch_related(
            Prefetch(
                "priority_areas",
                queryset=PriorityArea.objects.order_by("order", "name").prefetch_related(
                    Prefetch("measures", queryset=measures),
                    Prefetch(
                        "shared_measures",
                        queryset=SharedMeasure.objects.select_related(
                            "measure__data_source", "measure__priority_area__framework"
                        ),
                    ),
                ),
            )
        )


class Framework(models.Model):
    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(
        max_length=200, help_text="The framework's name as its source writes it."
    )
    issued_by = models.CharField(max_length=200, help_text="Who issued it, e.g. “Home Office”.")
    date_communicated = models.DateField(
        help_text="When the Home Secretary communicated it to local policing bodies."
    )
    month_only = models.BooleanField(
        "only the month is known",
        default=False,
        help_text="Tick when the source gives only the month it was communicated.",
    )
    date_superseded = models.DateField(
        null=True, blank=True, help_text="When another framework replaced it; empty while current."
    )
    source_url = models.URLField(
        "source web address", max_length=500, help_text="The issuing body's publication of it."
    )
    summary = models.TextField(blank=True, help_text="One or two sentences for the public.")
    expectation = models.TextField(blank=True, help_text="What the framework expects, in words.")
    expectation_due = models.DateField(null=True, blank=True)
    notes = models.TextField(
        blank=True, help_text="What a reader should know: what is uncertain or not yet checked."
    )

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["date_communicated", "name"]
        verbose_name = "national framework"
        constraints = [
            models.CheckConstraint(
                condition=Q(date_superseded__isnull=True)
                | Q(date_superseded__gte=F("date_communicated")),
                name="framework_superseded_not_before_communicated",
                violation_error_message="A framework cannot be superseded before it was "
                "communicated.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.date_communicated.year})"

    def clean(self):
        if (
            self.date_superseded
            and self.date_communicated
            and self.date_superseded < self.date_communicated
        ):
            raise ValidationError(
                {"date_superseded": "A framework cannot be superseded before it was communicated."}
            )

    @property
    def is_current(self) -> bool:
        return self.date_superseded is None


class FrameworkSource(models.Model):
    """Where a framework's facts come from (a file's [[framework.source]] blocks)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=500)
    url = models.URLField("web address", max_length=500)
    publisher = models.CharField(max_length=200)
    date = models.CharField(
        max_length=10, help_text="As the source shows it: YYYY-MM-DD, YYYY-MM or “not-stated”."
    )
    kind = models.CharField(max_length=10, choices=SourceKind)
    notes = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = "framework source"

    def __str__(self):
        return self.title


class SharedMeasure(models.Model):
    """A measure defined in one framework that another framework's priority
    area also uses (``defined_in`` in a framework file)."""

    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="shared_measures"
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="shared_in")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority_area", "order"]
        verbose_name = "measure shared from another framework"
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "measure"], name="shared_measure_once_per_priority"
            ),
        ]

    def __str__(self):
        return f"{self.measure} in {self.priority_area}"

    def clean(self):
        if (
            self.measure_id
            and self.priority_area_id
            and (self.measure.priority_area_id == self.priority_area_id)
        ):
            raise ValidationError(
                {"measure": "This measure already belongs to this priority area."}
            )


class MeasureTranscript(models.Model):
    """What a framework file says of a measure beyond the catalogue's fields:
    what it covers, a milestone date, where the source gives it, more data
    sources, and notes on what is uncertain."""

    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, primary_key=True, related_name="transcript"
    )
    includes = models.JSONField(default=list, blank=True, help_text="What the measure covers.")
    due = models.DateField(null=True, blank=True, help_text="For a milestone: the date it is due.")
    source_url = models.URLField("source web address", max_length=500, blank=True)
    other_data_sources = models.ManyToManyField(DataSource, blank=True, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "framework details of a measure"

    def __str__(self):
        return str(self.measure)
