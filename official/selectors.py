"""Reads of the official records that other apps' pages add to their own
queries, so that a page costs no extra query for them."""

from django.db.models import OuterRef, QuerySet, Subquery

from .models import ChangeKind, FigureChange, release_title


def with_revising_release(figures: QuerySet) -> QuerySet:
    """Figures annotated with the official release that last revised each one
    (``revised_by_source``, ``revised_by_date``; None for any other figure),
    as two subqueries of the same query."""
    last = FigureChange.objects.filter(figure=OuterRef("pk"), kind=ChangeKind.REVISED).order_by(
        "-release__release_date", "-release_id"
    )
    return figures.annotate(
        revised_by_source=Subquery(last.values("release__source")[:1]),
        revised_by_date=Subquery(last.values("release__release_date")[:1]),
    )


def revising_release(record) -> str:
    """ "the Home Office release of 23 April 2026" for a figure that
    ``with_revising_release`` found revised by one; "" otherwise."""
    source = getattr(record, "revised_by_source", None)
    if not source:
        return ""
    return release_title(source, record.revised_by_date)
