"""Inlines that take no more rows than a person could have sent.

A formset builds as many forms as its management form says were sent, up to
``absolute_max``, which Django sets to 1,000 more than ``max_num``: a change
form posted with ``TOTAL_FORMS=2147483648`` made the server build and draw a
thousand empty rows, about ten seconds of work for one request. These
inlines take the rows the page drew plus as many again as anyone adds by
hand (``ROWS_ADDED_MAX``); a form that says more is refused with Django's own
message ("Please submit at most … forms") and only that many are built.
"""

from django.contrib import admin

from .admin_rows import NamedRowsInline

# The rows a person may add with "Add another" before saving.
ROWS_ADDED_MAX = 50


class BoundedInline:
    """An inline whose formset takes its existing rows plus ``ROWS_ADDED_MAX``."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        existing = 0
        if obj is not None and obj.pk is not None:
            existing = self.get_queryset(request).filter(**{formset.fk.name: obj}).count()
        # A class of its own, made for this request by the factory above. Both
        # limits: Django's message names max_num, and "Add another" stops there.
        # An inline's own max_num, where it sets one, still holds.
        limit = existing + max(self.extra, ROWS_ADDED_MAX)
        own = self.get_max_num(request, obj, **kwargs)
        formset.max_num = formset.absolute_max = limit if own is None else min(limit, own)
        return formset


class TabularInline(BoundedInline, NamedRowsInline, admin.TabularInline):
    """Bounded, and its rows' inputs named (``core.admin_rows``)."""


class StackedInline(BoundedInline, admin.StackedInline):
    pass
