"""Forms of the staff screens: the figure form with its lost-update check,
the unpublish reason, the CSV upload and the bulk entry screen."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import checks
from .csvformat import FIGURE_COLUMNS
from .history import describe_changes_since
from .imports import MAX_UPLOAD_BYTES, UploadError, read_csv
from .models import Area, Figure, dates_outside_range
from .periods import entry_periods, period_value
from .services import (
    NO_REVISION_REASON,
    REVISION_REASON_MAX,
    UNPUBLISH_REASON_MAX,
    needs_check,
    value_warnings,
)


class FigureAdminForm(forms.ModelForm):
    """The admin's figure form, which remembers the version the person opened.

    If someone else saved the figure in between, the form says who and what
    they changed, and takes the new version, so that saving again (after a
    look at their change) is a deliberate overwrite.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Rendered inside the value's cell once the entry checks warn: the
    # checkbox carries a fingerprint of the values it confirms.
    checked_values = forms.CharField(required=False, widget=forms.HiddenInput)
    reason_for_revision = forms.CharField(
        label="Reason for the revision",
        required=False,
        max_length=REVISION_REASON_MAX,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Only when you change a published value: why, in words the public reads "
        "beside the revised figure, e.g. “the force corrected a recording error”.",
    )
    # Whether the form shows the reason's box (the figure list does not).
    reason_in_form = True

    # What the entry checks warned about and the person confirmed.
    confirmed_warnings: list = []

    class Meta:
        model = Figure
        fields = FIGURE_COLUMNS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirmed_warnings = []
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        # "11", not the stored "11.0000", wherever a figure is edited.
        for name in ("value", "lower", "upper"):
            field = self.fields.get(name)
            if field is not None and type(field.widget) is forms.NumberInput:
                field.widget = PlainNumberInput(attrs=field.widget.attrs)

    def has_changed(self):
        # A version that moved on is not a change of this person's: a row of
        # the figure list they did not touch is left alone, not refused.
        return any(
            name not in ("expected_version", "checked_values", "reason_for_revision")
            for name in self.changed_data
        )

    def clean(self):
        cleaned = self._clean_version(super().clean())
        if self.has_changed() or not self.instance.pk:
            self._check_values(cleaned)
            self._check_revision(cleaned)
        return cleaned

    def _check_revision(self, cleaned) -> None:
        """A change to a published value is a public revision: its reason is required."""
        value = cleaned.get("value")
        if not self.instance.is_published or value is None or value == self.instance.value:
            return
        cleaned["reason_for_revision"] = " ".join(cleaned.get("reason_for_revision", "").split())
        if cleaned["reason_for_revision"]:
            return
        if self.reason_in_form:
            self.add_error("reason_for_revision", NO_REVISION_REASON)
        else:
            self.add_error(
                "value",
                "A change to a published value needs a reason, shown to the public: open "
                "the figure and change it there.",
            )

    def _figure_as_entered(self, cleaned) -> Figure | None:
        """The figure as it would be saved, for the entry checks; None while
        a field they need is missing or wrong."""
        values = {}
        for name in ("measure", "area", "period_start", "period_end", "value", "series_break"):
            if name in self.fields:
                values[name] = cleaned.get(name)
            else:  # a column the figure list does not show
                values[name] = getattr(self.instance, name, None)
        if any(values[name] is None for name in values):
            return None
        return Figure(pk=self.instance.pk, **values)

    def _check_values(self, cleaned) -> None:
        """The entry checks (``measures.checks``): a warning must be
        confirmed with the box they bring up beside the value."""
        figure = self._figure_as_entered(cleaned)
        current = self.instance if self.instance.pk else None
        if figure is None or (current is not None and not needs_check(figure, current)):
            return
        warnings = value_warnings([figure])[0]
        if not warnings:
            return
        stamp = checks.fingerprint((warning.kind, warning.value) for warning in warnings)
        ticked = cleaned.get("checked_values") == stamp
        if "value" in self.fields:
            self.fields["value"].widget = CheckedValuesInput(
                self.fields["value"].widget,
                name=self.add_prefix("checked_values"),
                stamp=stamp,
                ticked=ticked,
            )
        if ticked:
            self.confirmed_warnings = warnings
            return
        for warning in warnings:
            self.add_error("value" if "value" in self.fields else None, warning.message)
        self.add_error(
            "value" if "value" in self.fields else None,
            f"Tick “{checks.CONFIRM_LABEL}” once you have checked it, and save again.",
        )

    def _clean_version(self, cleaned):
        expected = cleaned.get("expected_version")
        if not self.instance.pk or not self.has_changed():
            return cleaned
        if expected is None:
            raise ValidationError(
                "This form did not say which version of the figure it showed, so your "
                "change could not be checked against other people's and was not saved. "
                "Open the figure again and enter your change."
            )
        if expected != self.instance.version:
            data = self.data.copy()
            data[self.add_prefix("expected_version")] = self.instance.version
            self.data = data
            raise ValidationError(
                "Someone else changed this figure while you were editing it, so your change "
                "was not saved. "
                + describe_changes_since(self.instance, expected)
                + " Your values are still in the form: save again to replace theirs."
            )
        return cleaned


class CheckedValuesInput(forms.Widget):
    """A value's input followed by the “I have checked these values” box,
    which the entry checks bring up when they warn about the value."""

    def __init__(self, inner: forms.Widget, *, name: str, stamp: str, ticked: bool):
        super().__init__(inner.attrs)
        self.inner = inner
        self.box_name = name
        self.stamp = stamp
        self.ticked = ticked

    @property
    def is_hidden(self):
        return self.inner.is_hidden

    def value_from_datadict(self, data, files, name):
        return self.inner.value_from_datadict(data, files, name)

    def render(self, name, value, attrs=None, renderer=None):
        box_id = f"id_{self.box_name}"
        box = format_html(
            '<span class="checked-values"><input type="checkbox" name="{}" value="{}" '
            'id="{}"{}> <label for="{}" class="vCheckboxLabel">{}</label></span>',
            self.box_name,
            self.stamp,
            box_id,
            mark_safe(" checked") if self.ticked else "",
            box_id,
            checks.CONFIRM_LABEL,
        )
        return self.inner.render(name, value, attrs, renderer) + box


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        widget=forms.TextInput(attrs={"size": 60}),
        max_length=UNPUBLISH_REASON_MAX,
        help_text="Kept in each figure's history, e.g. “the source withdrew the figure”.",
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Say why the figures are being unpublished.")
        return reason


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text=f"A .csv or .xlsx file of at most {MAX_UPLOAD_BYTES // 1024 // 1024} MB, in "
        "the format below.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,text/csv,.xlsx,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is too big ({upload.size / 1024 / 1024:.1f} MB): the limit is "
                f"{MAX_UPLOAD_BYTES / 1024 / 1024:.1f} MB. Split it into several files."
            )
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            self.cleaned_data["rows"] = read_csv(data)
        except UploadError as error:
            raise ValidationError(str(error)) from None
        return upload


class BulkEntryChooseForm(forms.Form):
    """The area and the period of a bulk entry screen.

    The period is chosen by its label from the periods staff usually enter
    (``periods.entry_periods``), the newest first and chosen by default;
    dates typed below it, for any other period, take its place.
    """

    area = forms.ModelChoiceField(queryset=Area.objects.all(), empty_label="Choose an area")
    period = forms.ChoiceField(
        required=False,
        help_text="Periods that have ended, newest first, named as the public pages name them.",
    )
    period_start = forms.DateField(
        label="Or other dates: from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave both dates empty to use the period chosen above.",
    )
    period_end = forms.DateField(
        label="to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today: datetime.date, months: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        groups = entry_periods(today, months=months)
        self.fields["period"].choices = [
            (group, [(period_value(*period), label) for period, label in periods])
            for group, periods in groups
        ]
        self.fields["period"].initial = period_value(*groups[0][1][0][0])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        outside = dates_outside_range(period_start=start, period_end=end)
        for name, message in outside.items():
            self.add_error(name, message)
        typed = any(self.data.get(self.add_prefix(name)) for name in ("period_start", "period_end"))
        if not typed:
            if cleaned.get("period"):
                start, end = cleaned["period"].split("/")
                cleaned["period_start"] = datetime.date.fromisoformat(start)
                cleaned["period_end"] = datetime.date.fromisoformat(end)
            elif "period" not in self.errors:
                self.add_error("period", "Choose a period, or type its dates.")
        elif start and end:
            if end < start and not outside:
                self.add_error("period_end", "The period cannot end before it starts.")
        elif not self.errors:
            missing = "period_end" if start else "period_start"
            self.add_error(missing, "Give both dates, or neither to use the period chosen above.")
        return cleaned


class PlainNumberMixin:
    """A number as stored, without the padding: "587", not "587.0000".

    Formatting the widget, not the initial value, keeps the initial value a
    number, so that a row sent back as it was shown counts as unchanged.
    """

    def format_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return super().format_value(value)


class PlainTextNumberInput(PlainNumberMixin, forms.TextInput):
    """A short text box that brings up a number keyboard: a number input would
    round or refuse what a person pastes from a spreadsheet before the form's
    own message could explain it."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "size": 10, **(attrs or {})})


class BulkEntryRowForm(forms.Form):
    """One measure's figure for the chosen area and period."""

    value = forms.DecimalField(
        max_digits=16, decimal_places=4, required=False, widget=PlainTextNumberInput
    )
    lower = forms.DecimalField(
        max_digits=16, decimal_places=4, required=False, widget=PlainTextNumberInput
    )
    upper = forms.DecimalField(
        max_digits=16, decimal_places=4, required=False, widget=PlainTextNumberInput
    )
    provisional = forms.BooleanField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, measure, figure=None, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.figure = figure
        self.locked = locked
        self.entry = None  # what the row would save (``services.BulkEntry``)
        self.value_warnings = []  # what the entry checks say about its new value
        if not measure.is_survey:
            del self.fields["lower"]
            del self.fields["upper"]
        for name, field in self.fields.items():
            field.label = f"{measure.name}: {name}"
            if locked:
                field.disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.figure is not None and cleaned.get("value") is None and not self.locked:
            self.add_error(
                "value", "A saved figure cannot be emptied here: correct it, or ask a superuser."
            )
        return cleaned

    @property
    def has_entry(self) -> bool:
        return self.cleaned_data.get("value") is not None


class PlainNumberInput(PlainNumberMixin, forms.NumberInput):
    """A number input showing the number as stored, without the padding."""


class VersionedNumberInput(PlainNumberInput):
    """The value's input in the figure list, carrying the version the person saw.

    Django's changelist renders only the editable columns of a row, so the
    hidden version travels inside the value's cell.
    """

    def __init__(self, *args, version_name: str, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_name = version_name
        self.version = version

    def render(self, name, value, attrs=None, renderer=None):
        hidden = forms.HiddenInput().render(self.version_name, self.version, renderer=renderer)
        return super().render(name, value, attrs, renderer) + hidden


class FigureListForm(FigureAdminForm):
    """A row of the figure list: the same lost-update check as the figure form.

    ``can_revise`` is set per request: published rows are read-only for staff
    who may not correct published figures.
    """

    can_revise = False
    reason_in_form = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "value" in self.fields and self.instance.pk:
            self.fields["value"].widget = VersionedNumberInput(
                attrs={"step": "any", "class": "vIntegerField"},
                version_name=self.add_prefix("expected_version"),
                version=self.instance.version,
            )
        if self.instance.is_published and not self.can_revise:
            for field in self.fields.values():
                field.disabled = True
