"""The official sources in the admin: recipes (editable), releases (a record,
read-only) and the page "Import an official release": upload → preview →
confirm, as the figures' CSV upload works.

The preview waits for its confirmation in the session (in the database, so
any application server can take the confirming request): the figures it
would write and a fingerprint of what it compared them with. The file itself
is not kept; the confirmation refuses if the fingerprint no longer matches.
"""

import secrets
import tempfile
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from measures.permissions import can_publish

from .forms import ImportForm
from .models import FigureChange, Recipe, Release
from .services import ImportRefused, Preview, preview_release, write_release

SESSION_KEY = "official_import"
# How many revised figures and conflicts the preview lists one by one.
LISTED = 500


@admin.register(Recipe)
class RecipeAdmin(admin.ModelAdmin):
    list_display = ["measure", "source", "offence_codes", "ons_table", "aggregation", "active"]
    list_filter = ["source", "active"]
    list_select_related = ["measure"]
    search_fields = ["measure__name", "offence_codes", "ons_table"]
    fields = [
        "measure",
        "source",
        "offence_codes",
        "ons_table",
        "ons_column",
        "aggregation",
        "definition_source",
        "active",
    ]


@admin.register(FigureChange)
class FigureChangeAdmin(admin.ModelAdmin):
    list_display = ["figure", "kind", "old_value", "new_value", "release"]
    list_filter = ["kind", "release"]
    list_select_related = ["figure__measure", "figure__area", "release"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = [
        "release_date",
        "source",
        "file_name",
        "added",
        "revised",
        "unchanged",
        "conflicts",
        "imported_by",
        "imported_at",
    ]
    list_filter = ["source"]
    readonly_fields = [
        "source",
        "file_name",
        "checksum",
        "release_date",
        "imported_by",
        "imported_at",
        "published",
        "rows_read",
        "added",
        "revised",
        "unchanged",
        "conflicts",
    ]
    change_list_template = "official/admin/release_change_list.html"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="official_release_import"),
            path(
                "import/confirm/",
                wrap(require_POST(self.confirm_view)),
                name="official_release_import_confirm",
            ),
            *super().get_urls(),
        ]

    def _require_import(self, request):
        if not request.user.has_perm("official.add_release"):
            raise PermissionDenied

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            **extra,
        }

    def _page(self, request, form, status=200, **extra):
        return TemplateResponse(
            request,
            "official/admin/import.html",
            self._context(request, "Import an official release", form=form, **extra),
            status=status,
        )

    def import_view(self, request):
        self._require_import(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._page(request, form)
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / "release"
            with local.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                preview = preview_release(
                    local, file_name=upload.name, release_date=form.cleaned_data["release_date"]
                )
            except ImportRefused as refused:
                return self._page(request, form, status=400, problems=refused.messages)
        token = ""
        if preview.changes_anything:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {"token": token, "preview": preview.as_json()}
        return self._preview(request, preview, token)

    def _preview(self, request, preview: Preview, token: str, status=200, problems=()):
        return TemplateResponse(
            request,
            "official/admin/import_preview.html",
            self._context(
                request,
                f"Check the release: {preview.file_name}",
                preview=preview,
                token=token,
                per_measure_area=preview.per_measure_area(),
                revised=preview.revised[:LISTED],
                conflicts=preview.conflicts[:LISTED],
                listed=LISTED,
                can_publish=can_publish(request.user),
                problems=problems,
            ),
            status=status,
        )

    def confirm_view(self, request):
        self._require_import(request)
        stored = request.session.get(SESSION_KEY)
        if not stored or not secrets.compare_digest(
            str(stored.get("token", "")), request.POST.get("token", "")
        ):
            self.message_user(
                request,
                "This release is no longer waiting for confirmation (it was imported, replaced "
                "by a later preview, or your session ended). Nothing was written: upload it "
                "again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:official_release_import"))
        preview = Preview.from_json(stored["preview"])
        del request.session[SESSION_KEY]
        try:
            release = write_release(
                preview, user=request.user, publish=request.POST.get("publish") == "on"
            )
        except ImportRefused as refused:
            return self._preview(request, preview, "", status=409, problems=refused.messages)
        if release is None:
            self.message_user(request, "This file was already imported: nothing changes.")
        else:
            self.message_user(request, f"{release}: {preview.summary()}", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:official_release_changelist"))
