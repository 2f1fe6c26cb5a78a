"""Reads of the calendar that other apps' pages add to their own queries."""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from official.models import Recipe

from .models import ReleaseDate


def updating(measure, recipe_measure) -> Q:
    """Releases of ``measure`` itself, and of the official sources it has an
    active recipe from (``recipe_measure``: the same measure, one level
    deeper when ``measure`` is an ``OuterRef``)."""
    sources = Recipe.objects.filter(measure=recipe_measure, active=True).values("source")
    return Q(measure=measure) | Q(source__in=sources)


def with_next_update(measures: QuerySet) -> QuerySet:
    """Measures annotated with ``next_update``, the time of the next pending
    release that updates each (None when none is announced): a subquery of
    the same query, so a page pays no query for it."""
    upcoming = ReleaseDate.objects.upcoming(timezone.now()).filter(
        updating(OuterRef("pk"), OuterRef(OuterRef("pk")))
    )
    return measures.annotate(next_update=Subquery(upcoming.values("publish_at")[:1]))
