"""Admin actions that download the selected figures, drafts included.

Plain functions, so that the figure admin can list them in its ``actions``:
``actions = [export_figures_csv, export_figures_csv_for_excel]``.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from .views import EXPORT_PERMISSION, csv_response, figure_csv_chunks

REFUSED = "You need permission to export figures, drafts included: ask a publisher."


def _export(modeladmin, request, queryset, *, bom: bool):
    # The admin let the request in, but ask again: the same check as the
    # staff downloads, so that no way to drafts asks less than another.
    if not modeladmin.admin_site.has_permission(request):
        raise PermissionDenied
    if not request.user.has_perm(EXPORT_PERMISSION):
        modeladmin.message_user(request, REFUSED, level=messages.ERROR)
        return None
    chunks = figure_csv_chunks(queryset, staff=True, bom=bom)
    return csv_response(chunks, stem="figures-with-drafts")


@admin.action(description="Download the selected figures as CSV")
def export_figures_csv(modeladmin, request, queryset):
    return _export(modeladmin, request, queryset, bom=False)


@admin.action(description="Download the selected figures as CSV for Excel")
def export_figures_csv_for_excel(modeladmin, request, queryset):
    return _export(modeladmin, request, queryset, bom=True)
