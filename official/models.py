"""Recipes (how a measure is made from an official file), releases (each file
imported) and the change each release made to each figure."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from measures.formatting import format_date
from measures.models import Figure, Measure

from .readers import SourceKind


class Source(models.TextChoices):
    HOME_OFFICE_PFA = SourceKind.HOME_OFFICE_PFA.value, "Home Office police force area open data"
    ONS_PFA = SourceKind.ONS_PFA.value, "ONS police force area data tables"


#: Who publishes each source, for the public's sentences ("the Home Office release of …").
PUBLISHER = {Source.HOME_OFFICE_PFA: "Home Office", Source.ONS_PFA: "ONS"}

#: Where the public and staff find each file (checked in 2026: see the README).
SOURCE_URL = {
    Source.HOME_OFFICE_PFA: (
        "https://www.gov.uk/government/statistics/police-recorded-crime-open-data-tables"
    ),
    Source.ONS_PFA: (
        "https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice/datasets/"
        "policeforceareadatatables"
    ),
}


class Aggregation(models.TextChoices):
    ROLLING_YEAR = "rolling-12-months", "12 months to the end of each quarter"
    FINANCIAL_YEAR = "financial-year", "Financial year (April to March)"
    QUARTER = "quarter", "Each quarter"


class Recipe(models.Model):
    """How one measure's figures are made from one official source.

    Home Office: the sum of the counts of the listed offence codes, for each
    force area, and for England and Wales, England and Wales (the sums of
    their force areas), over the chosen periods. ONS: one table's values, in
    the column named (or every column headed by a period, such as
    ``Apr 2023 to Mar 2024``), for every area the table lists.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="recipes")
    source = models.CharField(max_length=20, choices=Source)
    offence_codes = models.CharField(
        max_length=500,
        blank=True,
        help_text="Home Office only: the offence codes to add up, separated by commas, "
        "as the tables write them (4.1 for the Counting Rules' 4/1), e.g. 1, 4.1, 4.2, 4.10.",
    )
    ons_table = models.CharField(
        "ONS table",
        max_length=20,
        blank=True,
        help_text="ONS only: the table, e.g. Table P8 (trailing spaces in the sheet name "
        "do not matter).",
    )
    ons_column = models.CharField(
        "ONS column",
        max_length=200,
        blank=True,
        help_text="ONS only: the column header without its [note n] markers, e.g. "
        "“Apr 2024 to Mar 2025”. Leave empty to take every column headed by a period.",
    )
    aggregation = models.CharField(
        max_length=20,
        choices=Aggregation,
        default=Aggregation.ROLLING_YEAR,
        help_text="Home Office only (the quarters are added up into these periods); an ONS "
        "column's period is the one its header names.",
    )
    definition_source = models.TextField(
        blank=True,
        help_text="Where the definition (the offence codes, the table) comes from, "
        "so that anyone can check it.",
    )
    active = models.BooleanField(
        default=True, help_text="Untick to leave this recipe out of imports."
    )

    class Meta:
        ordering = ["measure", "source", "aggregation"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "source", "aggregation", "ons_table", "ons_column"],
                name="recipe_one_per_measure_source_period",
            ),
            models.CheckConstraint(
                condition=~Q(source=Source.HOME_OFFICE_PFA) | ~Q(offence_codes=""),
                name="recipe_home_office_has_codes",
                violation_error_message="A Home Office recipe lists its offence codes.",
            ),
            models.CheckConstraint(
                condition=~Q(source=Source.ONS_PFA) | ~Q(ons_table=""),
                name="recipe_ons_has_table",
                violation_error_message="An ONS recipe names its table.",
            ),
        ]

    def __str__(self):
        return f"{self.measure} from the {self.get_source_display()}"

    def clean(self):
        if self.source == Source.HOME_OFFICE_PFA and not self.codes:
            raise ValidationError(
                {"offence_codes": "A Home Office recipe lists its offence codes."}
            )
        if self.source == Source.ONS_PFA and not self.ons_table.strip():
            raise ValidationError({"ons_table": "An ONS recipe names its table."})
        self.ons_table = self.ons_table.strip()
        self.ons_column = self.ons_column.strip()

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code.strip() for code in self.offence_codes.split(",") if code.strip())


class Release(models.Model):
    """One official file, imported: what it was, who imported it, what it changed."""

    source = models.CharField(max_length=20, choices=Source)
    file_name = models.CharField(max_length=255)
    checksum = models.CharField(
        "SHA-256 checksum", max_length=64, unique=True, help_text="Of the file's bytes."
    )
    release_date = models.DateField(help_text="The day the publisher released the file.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    published = models.BooleanField(
        default=False, help_text="Whether the import published the figures it wrote."
    )
    rows_read = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    revised = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(
        default=0, help_text="Staff-entered figures for the same period, left as they were."
    )

    class Meta:
        ordering = ["-release_date", "-imported_at"]
        verbose_name = "official release"

    def __str__(self):
        return f"{self.title} ({self.file_name})"

    @property
    def title(self) -> str:
        """ "the Home Office release of 23 April 2026"."""
        return release_title(self.source, self.release_date)


def release_title(source: str, release_date) -> str:
    return gettext("the %(publisher)s release of %(day)s") % {
        "publisher": PUBLISHER[Source(source)],
        "day": format_date(release_date),
    }


class ChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    REVISED = "revised", "Revised"


class FigureChange(models.Model):
    """What one release did to one figure: added it, or revised its value."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="changes")
    # PROTECT: a figure that an official release made keeps its record.
    figure = models.ForeignKey(Figure, on_delete=models.PROTECT, related_name="official_changes")
    kind = models.CharField(max_length=10, choices=ChangeKind)
    old_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["release", "figure"]
        verbose_name = "figure changed by a release"
        constraints = [
            models.UniqueConstraint(
                fields=["release", "figure"], name="figure_change_one_per_release"
            ),
            models.CheckConstraint(
                condition=Q(kind=ChangeKind.ADDED) | Q(old_value__isnull=False),
                name="figure_change_revision_has_old_value",
                violation_error_message="A revision keeps the value it replaced.",
            ),
        ]

    def __str__(self):
        return f"{self.figure}: {self.get_kind_display().lower()} by {self.release.title}"
