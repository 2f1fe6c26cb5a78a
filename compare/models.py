"""What force comparison needs beyond the figures: how many people live in
each area, and which forces are most similar to each other.

Both are data, loaded from a CSV file (``compare.services``) or edited in the
admin; neither is invented by the code. A most similar group carries its
source, and says whether it is the published list or an illustration.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from measures.models import Area, AreaKind


class Population(models.Model):
    """An area's usual resident population at the middle (30 June) of a year."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(
        help_text="The year of the mid-year estimate: 2023 for the population on 30 June 2023."
    )
    population = models.PositiveIntegerField(help_text="Number of people, a whole number.")
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the estimate comes from, e.g. “ONS mid-year population estimates, "
        "mid-2023”, or “Illustrative” for made-up numbers.",
    )

    class Meta:
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="population_one_per_area_year"),
            models.CheckConstraint(
                condition=Q(population__gt=0),
                name="population_positive",
                violation_error_message="A population must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2100),
                name="population_year_plausible",
                violation_error_message="Give the year in four digits, between 1900 and 2100.",
            ),
        ]

    def __str__(self):
        return f"{self.area}: {self.population:,} (mid-{self.year})"

    def clean(self):
        errors = {}
        if self.population is not None and self.population <= 0:
            errors["population"] = "A population must be more than zero."
        if self.year is not None and not 1900 <= self.year <= 2100:
            errors["year"] = "Give the year in four digits, between 1900 and 2100."
        if errors:
            raise ValidationError(errors)


class SimilarGroup(models.Model):
    """A force's most similar group: the forces it is compared with first.

    The Home Office and HMICFRS publish one group per force. A group typed in
    or imported without that list as its source is marked illustrative, and
    every page that shows it says so.
    """

    force = models.OneToOneField(
        Area,
        on_delete=models.CASCADE,
        related_name="similar_group",
        limit_choices_to={"kind": AreaKind.POLICE_FORCE_AREA},
    )
    members = models.ManyToManyField(
        Area,
        related_name="+",
        limit_choices_to={"kind": AreaKind.POLICE_FORCE_AREA},
        help_text="The other forces of the group (not the force itself).",
    )
    source = models.CharField(
        max_length=300,
        help_text="Who published this group, and when: the publication's title and date.",
    )
    source_url = models.URLField("source web address", max_length=500, blank=True)
    illustrative = models.BooleanField(
        default=True,
        help_text="Leave ticked unless the members are exactly those of the published list "
        "named as the source: the public pages then call the group illustrative.",
    )

    class Meta:
        ordering = ["force"]
        verbose_name = "most similar group"

    def __str__(self):
        return f"Most similar group of {self.force}"

    def clean(self):
        if self.force_id and self.force.kind != AreaKind.POLICE_FORCE_AREA:
            raise ValidationError({"force": "A most similar group belongs to a police force area."})
