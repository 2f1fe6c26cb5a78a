"""Names for the inputs in the admin's tables: a change list's editable rows
and a tabular inline's rows.

Django draws each of them as a bare input in a table cell, with no label
(axe-core: ``label``, ``label-title-only``): a screen reader user hears "edit
text" fifty times. Each input here is named by its field and its row's
record, as "Value: Homicides – Humberside – 12 months to June 2026", or "Value:
new figure" in an inline's empty row.
"""


def name_inputs(form, row: str) -> None:
    """Name every visible input of ``form`` by its field's label and ``row``."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        # The admin wraps a relation's widget (for its add and change links);
        # the wrapper's attrs are the original widget's, shared by every form.
        widget = getattr(widget, "widget", widget)
        widget.attrs["aria-label"] = f"{field.label}: {row}"


class NamedRowInputs:
    """A change-list form mixin: every visible input named by field and row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            name_inputs(self, str(self.instance))


class NamedListRowsAdmin:
    """A ModelAdmin mixin whose change list names its editable inputs."""

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        return type(form.__name__, (NamedRowInputs, form), {})


class NamedRowsFormSet:
    """An inline formset mixin: each row's inputs, its Delete box included
    (which the formset adds after the form is made), named by field and row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk is not None:
            row = str(form.instance)
        else:
            row = f"new {self.model._meta.verbose_name}"
        name_inputs(form, row)


class NamedRowsInline:
    """An inline mixin whose formset names its rows' inputs (for a tabular
    inline, whose rows have no labels; its template names the header cells:
    ``templates/admin/edit_inline/tabular.html``)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (NamedRowsFormSet, formset), {})
