"""The figure admin's downloads: the selected figures, drafts included."""

from django.contrib import admin

from measures.admin import FigureAdmin
from measures.models import Figure

from .admin_actions import export_figures_csv, export_figures_csv_for_excel


class FigureWithExportAdmin(FigureAdmin):
    actions = [*FigureAdmin.actions, export_figures_csv, export_figures_csv_for_excel]


admin.site.unregister(Figure)
admin.site.register(Figure, FigureWithExportAdmin)
