"""Populations and most similar groups in the admin, each with a CSV upload
that checks every row and writes nothing unless all are good."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .forms import PopulationUploadForm, SimilarGroupForm, SimilarGroupUploadForm
from .imports import POPULATION_COLUMNS, SIMILAR_GROUP_COLUMNS
from .models import Population, SimilarGroup
from .services import import_populations, import_similar_groups


class UploadMixin:
    change_list_template = "admin/compare/change_list.html"
    upload_form = None
    upload_columns: tuple[str, ...] = ()

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_upload"
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name=name),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = self.upload_form(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = self.run_import(form.cleaned_data)
            if result.ok:
                messages.success(request, result.summary())
                info = self.opts.app_label, self.opts.model_name
                return HttpResponseRedirect(reverse("admin:{}_{}_changelist".format(*info)))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Upload {self.opts.verbose_name_plural} from a CSV file",
            "opts": self.opts,
            "form": form,
            "result": result,
            "columns": self.upload_columns,
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, "admin/compare/upload.html", context, status=status)


@admin.register(Population)
class PopulationAdmin(UploadMixin, admin.ModelAdmin):
    list_display = ["area", "year", "population", "source"]
    list_filter = ["year"]
    search_fields = ["area__name"]
    list_select_related = ["area"]
    upload_form = PopulationUploadForm
    upload_columns = POPULATION_COLUMNS

    @staticmethod
    def run_import(data):
        return import_populations(rows=data["rows"], source=data["source"])


@admin.register(SimilarGroup)
class SimilarGroupAdmin(UploadMixin, admin.ModelAdmin):
    form = SimilarGroupForm
    list_display = ["force", "source", "illustrative"]
    list_filter = ["illustrative"]
    list_select_related = ["force"]
    filter_horizontal = ["members"]
    upload_form = SimilarGroupUploadForm
    upload_columns = SIMILAR_GROUP_COLUMNS

    @staticmethod
    def run_import(data):
        return import_similar_groups(
            rows=data["rows"],
            source=data["source"],
            source_url=data["source_url"],
            illustrative=data["illustrative"],
        )
