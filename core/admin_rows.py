"""Names for the inputs of an admin change list's editable rows.

Django's change list draws each editable field as a bare input in a table
cell, with no label (axe-core: ``label``, ``label-title-only``): a screen
reader user hears "edit text" fifty times. Each input here is named by its
field and its row's record, as "Value: Homicides – Humberside – 12 months to
June 2026".
"""


class NamedRowInputs:
    """A change-list form mixin: every visible input named by field and row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        row = str(self.instance)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{field.label}: {row}"


class NamedListRowsAdmin:
    """A ModelAdmin mixin whose change list names its editable inputs."""

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        return type(form.__name__, (NamedRowInputs, form), {})
