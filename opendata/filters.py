"""The one FilterSet of figures: the public figures table, a measure's table,
and every figures download (CSV and JSON, public and staff) filter through it,
so that a download holds exactly what the page showed."""

import json

import django_filters
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from measures.models import Area, Figure, Measure, PriorityArea, PublicationStatus
from measures.status import Status
from plan.models import LocalOutcome

from .figures import StatusLookup
from .pgcopy import ids_with_status


def with_status(queryset: QuerySet, status: Status) -> QuerySet:
    """The figures of ``queryset`` whose status against the baseline is
    ``status``. The status is worked out once, by PostgreSQL with the
    download's own SQL or in Python elsewhere (SQLite, the embedded default,
    holds one force's figures), and the figures found are handed back as one
    parameter, however many there are."""
    if connection.vendor == "postgresql":
        ids = ids_with_status(queryset, status)
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    lookup = StatusLookup()
    fields = ("measure_id", "area_id", "period_start", "period_end", "value", "lower", "upper")
    ids = [
        pk
        for pk, *figure in queryset.values_list("pk", *fields).iterator(chunk_size=2000)
        if lookup.status(*figure) == status
    ]
    return queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),)))


class FigureFilter(django_filters.FilterSet):
    measure = django_filters.ModelChoiceFilter(
        queryset=Measure.objects.all(), to_field_name="slug", empty_label="All measures"
    )
    priority_area = django_filters.ModelChoiceFilter(
        field_name="measure__priority_area",
        queryset=PriorityArea.objects.all(),
        to_field_name="slug",
        label="National priority area",
        empty_label="All priority areas",
    )
    outcome = django_filters.ModelChoiceFilter(
        queryset=LocalOutcome.objects.filter(plan__is_current=True),
        to_field_name="slug",
        method="filter_outcome",
        label="Local outcome",
        empty_label="All local outcomes",
    )
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.all(), to_field_name="slug", empty_label="All areas"
    )
    period_from = django_filters.DateFilter(
        field_name="period_end",
        lookup_expr="gte",
        label="Periods ending on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_to = django_filters.DateFilter(
        field_name="period_end",
        lookup_expr="lte",
        label="Periods ending on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    status = django_filters.ChoiceFilter(
        choices=[(status.value, status.label) for status in Status],
        method="filter_status",
        label="Status against the baseline",
        empty_label="Any status",
    )

    class Meta:
        model = Figure
        fields = [
            "measure",
            "priority_area",
            "outcome",
            "area",
            "period_from",
            "period_to",
            "status",
        ]

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(measure__contributions__outcome=value)

    def filter_status(self, queryset, name, value):
        # The status is derived from the baseline figure, never stored: the
        # downloads' own rule works it out for the figures the other filters
        # leave (the status filter is declared, and so applied, last).
        return with_status(queryset, Status(value))


class StaffFigureFilter(FigureFilter):
    """The staff downloads add drafts, and so a filter on publication status."""

    publication_status = django_filters.ChoiceFilter(
        field_name="status",
        choices=PublicationStatus.choices,
        label="Publication status",
        empty_label="Draft and published",
    )

    class Meta(FigureFilter.Meta):
        fields = [*FigureFilter.Meta.fields, "publication_status"]
