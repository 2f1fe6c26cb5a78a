"""The one FilterSet of figures: the public figures table, a measure's table,
and every figures download (CSV and JSON, public and staff) filter through it,
so that a download holds exactly what the page showed."""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from measures.models import Area, Figure, Measure, PriorityArea, PublicationStatus
from measures.status import STATUS_LABELS, Status
from plan.models import LocalOutcome


class OptionsSelect(forms.Select):
    """Django's select, with its options written in Python rather than one
    template each: the same HTML, without a template per measure and area
    (rendering those was a third of the /data/ page's time)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


class ListedChoices(forms.models.ModelChoiceIterator):
    """A model choice field's options from one plain query: Django's iterator
    reads them through a server-side cursor on PostgreSQL, three round trips
    for a list of a few dozen measures or areas."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset.all():
            yield self.choice(instance)


class FigureFilter(django_filters.FilterSet):
    measure = django_filters.ModelChoiceFilter(
        queryset=Measure.objects.all(),
        to_field_name="slug",
        label=_("Measure"),
        empty_label=_("All measures"),
        widget=OptionsSelect,
    )
    priority_area = django_filters.ModelChoiceFilter(
        field_name="measure__priority_area",
        queryset=PriorityArea.objects.all(),
        to_field_name="slug",
        label=_("National priority area"),
        empty_label=_("All priority areas"),
        widget=OptionsSelect,
    )
    outcome = django_filters.ModelChoiceFilter(
        queryset=LocalOutcome.objects.filter(plan__is_current=True),
        to_field_name="slug",
        method="filter_outcome",
        label=_("Local outcome"),
        empty_label=_("All local outcomes"),
        widget=OptionsSelect,
    )
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.all(),
        to_field_name="slug",
        label=_("Area"),
        empty_label=_("All areas"),
        widget=OptionsSelect,
    )
    period_from = django_filters.DateFilter(
        field_name="period_end",
        lookup_expr="gte",
        label=_("Periods ending on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_to = django_filters.DateFilter(
        field_name="period_end",
        lookup_expr="lte",
        label=_("Periods ending on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    # The verdict stored on each figure (measures.verdicts), on the
    # figure_published_verdict index.
    status = django_filters.ChoiceFilter(
        field_name="verdict",
        choices=[(status.value, STATUS_LABELS[status]) for status in Status],
        label=_("Status"),
        empty_label=_("Any status"),
        widget=OptionsSelect,
    )

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ListedChoices
                field.widget.choices = field.choices
        return form

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
