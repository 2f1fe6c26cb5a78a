"""The figure admin's own screens: the CSV upload (upload, preview, confirm),
its template file, and the bulk entry screen.

The parsed upload waits for its confirmation in the session (kept in the
database, so any application server can take the confirming request), with
the version of every figure the preview showed; the confirmation checks the
file again and refuses any row whose figure has moved on since.
"""

import csv
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .checks import CONFIRM_LABEL, NOT_CONFIRMED, Limits, as_typed, check_value, fingerprint
from .csvformat import FIGURE_COLUMNS, FIGURE_REQUIRED_COLUMNS
from .formatting import format_change
from .forms import BulkEntryChooseForm, BulkEntryRowForm, UploadForm
from .imports import MAX_UPLOAD_BYTES, Problem, UploadRow
from .models import Area, Figure, Measure, UpdateFrequency
from .periods import period_label
from .permissions import can_publish, can_revise
from .services import (
    NO_REVISION_REASON,
    REVISION_REASON_MAX,
    BulkEntry,
    FigureConflict,
    import_figures,
    last_published_values,
    previous_figures,
    save_bulk_entry,
    value_warnings,
    verdicts_once_published,
)
from .status import Status

UPLOAD_SESSION_KEY = "figure_upload"
# The area a person last entered figures for, chosen for them next time.
BULK_ENTRY_AREA_KEY = "bulk_entry_area"

# What the upload page says about each column.
COLUMN_HELP = {
    "measure": "The measure's name or slug, e.g. Homicides or homicides (listed below).",
    "area": "The area's name, slug or ONS code, e.g. England and Wales, england-and-wales "
    "or K04000001 (listed below).",
    "period_start": "First day of the period: YYYY-MM-DD or DD/MM/YYYY, e.g. 2025-10-01 or "
    "01/10/2025.",
    "period_end": "Last day of the period, written the same way.",
    "value": "A number, e.g. 1234.5 or 1,234.5: no % sign or other unit.",
    "lower": "Lower end of the 95% confidence interval (survey measures), or empty.",
    "upper": "Upper end of the interval, or empty. Give both ends or neither.",
    "provisional": "true or false (also yes/no, 1/0); empty means false.",
    "series_break": "true if not comparable with earlier periods; empty means false.",
    "note": "Optional; shown beside the figure on public pages.",
    "source_url": "Optional web address of the source.",
}

TEMPLATE_ROWS = [
    {
        "measure": "homicides",
        "area": "england-and-wales",
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
        "value": "570",
        "provisional": "false",
        "series_break": "false",
        "note": "",
        "source_url": "https://www.ons.gov.uk/",
    },
    {
        "measure": "victim-satisfaction",
        "area": "K04000001",
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
        "value": "66.5",
        "lower": "64.9",
        "upper": "68.1",
        "provisional": "true",
        "series_break": "false",
    },
]


@dataclass
class PublishRow:
    """A draft on the publish confirmation, with what a publisher checks it
    against: the previous period's published value, the comparison, the
    change and the status it will show, and the entry checks' warnings."""

    figure: Figure
    value: str
    previous: str
    comparison: str
    change: str
    status: Status
    warnings: list
    public_value: Decimal | None  # the value the public saw of it, if it ever did


def _labelled(start, end, value, unit, places) -> str:
    if value is None:
        return "–"
    return f"{period_label(start, end)}: {as_typed(value, unit, places)}"


def publish_review(drafts: list[Figure]) -> list[PublishRow]:
    """The drafts as the publish confirmation lists them, those the entry
    checks warn about first."""
    previous = previous_figures(drafts, published=True)
    verdicts = verdicts_once_published(drafts)
    public_values = last_published_values(figure.pk for figure in drafts)
    rows = []
    for figure, before in zip(drafts, previous, strict=True):
        measure = figure.measure
        unit, places = measure.unit, measure.decimal_places
        verdict = verdicts[figure.pk]
        rows.append(
            PublishRow(
                figure=figure,
                value=as_typed(figure.value, unit, places),
                previous=_labelled(*before.key, before.value, unit, places)
                if before
                else "none published",
                comparison=_labelled(
                    verdict["comparison_start"],
                    verdict["comparison_end"],
                    verdict["comparison_value"],
                    unit,
                    places,
                ),
                change=format_change(verdict["change"], unit, measure.change_decimal_places)
                if verdict["change"] is not None
                else "–",
                status=Status(verdict["verdict"]),
                warnings=check_value(
                    figure.value,
                    Limits.of(measure),
                    previous=before,
                    series_break=figure.series_break,
                ),
                public_value=public_values.get(figure.pk),
            )
        )
    rows.sort(key=lambda row: not row.warnings)  # stable: otherwise as selected
    return rows


def _is_value_warning(problem: Problem, result) -> bool:
    return any(
        problem.line == row.line and problem.message == warning.message
        for row in result.value_warnings
        for warning in row.value_warnings
    )


class FigureEntryViews:
    """Mixed into the figure admin: its extra URLs and views."""

    change_list_template = "admin/measures/figure/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("upload/", wrap(self.upload_view), name=f"{prefix}_upload"),
            path(
                "upload/confirm/",
                wrap(self.upload_confirm_view),
                name=f"{prefix}_upload_confirm",
            ),
            path(
                "upload/template.csv",
                wrap(self.upload_template_view),
                name=f"{prefix}_upload_template",
            ),
            path("bulk-entry/", wrap(self.bulk_entry_view), name=f"{prefix}_bulk_entry"),
            *super().get_urls(),
        ]

    def _require_entry(self, request):
        if not (self.has_add_permission(request) and self.has_view_permission(request)):
            raise PermissionDenied

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "changelist_url": reverse("admin:measures_figure_changelist"),
            **extra,
        }

    # The CSV upload

    def upload_view(self, request):
        self._require_entry(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            rows = form.cleaned_data["rows"]
            name = form.cleaned_data["file"].name
            result = import_figures(rows=rows, user=request.user, dry_run=True)
            token = ""
            if result.ok:
                token = secrets.token_urlsafe(16)
                request.session[UPLOAD_SESSION_KEY] = {
                    "token": token,
                    "name": name,
                    "rows": [row.as_json() for row in rows],
                    "versions": {str(row.line): row.version for row in result.rows},
                }
            return self._preview(request, result, name=name, token=token)
        return TemplateResponse(
            request,
            "admin/measures/figure/upload.html",
            self._context(
                request,
                "Upload figures from a CSV or Excel file",
                form=form,
                columns=[
                    (name, name in FIGURE_REQUIRED_COLUMNS, COLUMN_HELP[name])
                    for name in FIGURE_COLUMNS
                ],
                max_megabytes=MAX_UPLOAD_BYTES // 1024 // 1024,
                measures=Measure.objects.order_by("order", "name").only(
                    "name", "slug", "unit", "order"
                ),
                areas=Area.objects.order_by("name").only("name", "slug", "ons_code", "kind"),
            ),
        )

    def _preview(
        self, request, result, *, name, token, status=200, unconfirmed=False, no_reason=False
    ):
        return TemplateResponse(
            request,
            "admin/measures/figure/upload_preview.html",
            self._context(
                request,
                f"Check the upload: {name}",
                result=result,
                unconfirmed=unconfirmed,
                no_reason=no_reason,
                other_warnings=[
                    problem for problem in result.warnings if not _is_value_warning(problem, result)
                ],
                name=name,
                token=token,
                can_publish=can_publish(request.user),
                form=UploadForm(),
                confirm_label=CONFIRM_LABEL,
                reason_max=REVISION_REASON_MAX,
            ),
            status=status,
        )

    @staticmethod
    def _parse_stored(stored) -> tuple[list[UploadRow], dict[int, int]]:
        rows = [UploadRow.from_json(row) for row in stored["rows"]]
        versions = {int(line): int(version) for line, version in stored["versions"].items()}
        return rows, versions

    def upload_confirm_view(self, request):
        return require_POST(self._upload_confirm)(request)

    def _upload_confirm(self, request):
        self._require_entry(request)
        stored = request.session.get(UPLOAD_SESSION_KEY)
        if not stored or not secrets.compare_digest(
            str(stored.get("token", "")), request.POST.get("token", "")
        ):
            self.message_user(
                request,
                "This upload is no longer waiting for confirmation (it was saved, replaced "
                "by a later upload, or your session ended). Nothing was written: upload "
                "the file again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:measures_figure_upload"))
        publish = request.POST.get("publish") == "on"
        checked = request.POST.get("checked_values") == "on"
        reason = request.POST.get("reason_for_revision", "")
        rows, versions = self._parse_stored(stored)
        try:
            result = import_figures(
                rows=rows,
                user=request.user,
                publish=publish,
                expected_versions=versions,
                source=f"CSV upload: {stored['name']}"[:100],
                checked=checked,
                revision_reason=reason,
            )
        except (ValidationError, PermissionDenied) as error:
            result = import_figures(rows=rows, user=request.user, dry_run=True)
            result.errors.append(Problem(0, "", " ".join(getattr(error, "messages", [str(error)]))))
        waiting = {Problem(0, "", NOT_CONFIRMED), Problem(0, "", NO_REVISION_REASON)}
        unconfirmed = Problem(0, "", NOT_CONFIRMED) in result.errors
        no_reason = Problem(0, "", NO_REVISION_REASON) in result.errors
        if result.errors and set(result.errors) <= waiting:
            # Only the confirmation or the reason is missing: the same
            # preview, still waiting for them.
            result.errors.clear()
            return self._preview(
                request,
                result,
                name=stored["name"],
                token=stored["token"],
                status=400,
                unconfirmed=unconfirmed,
                no_reason=no_reason,
            )
        del request.session[UPLOAD_SESSION_KEY]
        if not result.ok:
            return self._preview(request, result, name=stored["name"], token="", status=409)
        self.message_user(request, f"{stored['name']}: {result.summary()}", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:measures_figure_changelist"))

    def upload_template_view(self, request):
        self._require_entry(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="figures-template.csv"'
        writer = csv.DictWriter(response, fieldnames=FIGURE_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(TEMPLATE_ROWS)
        return response

    # Bulk entry

    def bulk_entry_view(self, request):
        self._require_entry(request)
        choose = self._bulk_choose_form(request)
        context = self._context(
            request,
            "Enter figures for every measure",
            choose=choose,
            may_publish=can_publish(request.user),
        )
        if not choose.is_valid():
            return TemplateResponse(request, "admin/measures/figure/bulk_entry.html", context)
        area = choose.cleaned_data["area"]
        # The next visit starts with the same area chosen.
        request.session[BULK_ENTRY_AREA_KEY] = area.pk
        start, end = choose.cleaned_data["period_start"], choose.cleaned_data["period_end"]
        data = request.POST if request.method == "POST" else None
        rows = self._bulk_rows(request, data, area, start, end)
        context.update(self._bulk_context(rows, area, start, end))
        if data is not None and all(row.is_valid() for row in rows):
            entries = self._bulk_entries(rows, area, start, end)
            if entries is not None and self._bulk_save(request, rows, entries, context):
                if "_publish" in data and context["may_publish"]:
                    return self._bulk_publish_confirmation(request, area, start, end)
                return HttpResponseRedirect(request.get_full_path())
        context["rows_refused"] = any(row.errors for row in rows) if data is not None else False
        return TemplateResponse(request, "admin/measures/figure/bulk_entry.html", context)

    @staticmethod
    def _bulk_choose_form(request) -> BulkEntryChooseForm:
        """The area and period chosen, offering the periods of the measures'
        cadences (months only if a measure is monthly) and, at first, the
        area the person last entered figures for."""
        monthly = Measure.objects.filter(data_source__update_frequency=UpdateFrequency.MONTHLY)
        return BulkEntryChooseForm(
            request.GET or None,
            today=timezone.localdate(),
            months=monthly.exists(),
            initial={"area": request.session.get(BULK_ENTRY_AREA_KEY)},
        )

    @staticmethod
    def _bulk_context(rows, area, start, end) -> dict:
        return {
            "rows": rows,
            "area": area,
            "period": period_label(start, end),
            "period_start": start,
            "period_end": end,
            "revisable": any(
                row.figure is not None and row.figure.is_published and not row.locked
                for row in rows
            ),
            "reason_max": REVISION_REASON_MAX,
            "has_intervals": any(row.measure.is_survey for row in rows),
        }

    def _bulk_save(self, request, rows, entries, context) -> bool:
        """Save the entries, once any value the entry checks warn about has
        been confirmed; False (and why, in ``context`` or the rows) if not."""
        stamp = self._bulk_checks(rows)
        checked = bool(stamp) and request.POST.get("checked_values") == stamp
        if stamp and not checked:
            context.update(checks_stamp=stamp, confirm_label=CONFIRM_LABEL)
            context["unconfirmed"] = "checked_values" in request.POST
            return False
        if not entries:
            if "_publish" not in request.POST:
                self.message_user(request, "Nothing was saved: no value was changed.")
            return True
        try:
            saved = save_bulk_entry(
                entries=entries,
                user=request.user,
                checked=checked,
                revision_reason=request.POST.get("reason_for_revision", ""),
            )
        except FigureConflict as conflict:
            self._show_conflict(rows, conflict)
        except ValidationError as error:
            # A figure deleted meanwhile, or the checks' figures changed: nothing was saved.
            context["problems"] = error.messages
        else:
            self.message_user(
                request,
                f"Saved {len(saved)} figure{'s' if len(saved) != 1 else ''} "
                f"for {context['area']} as drafts.",
                messages.SUCCESS,
            )
            return True
        return False

    def _bulk_publish_confirmation(self, request, area, start, end):
        """The publish confirmation for the screen's drafts (those just saved
        and any saved before), as the figure list's publish action shows it:
        its form goes to the figure list, which publishes them."""
        figures = Figure.objects.filter(area=area, period_start=start, period_end=end)
        response = self.publish_selected(request, figures)
        response.context_data["form_action"] = reverse("admin:measures_figure_changelist")
        return response

    @staticmethod
    def _bulk_checks(rows) -> str:
        """Mark each row whose new value the entry checks warn about; the
        fingerprint of those values, which the confirmation must carry ("" if
        none)."""
        typed = [
            row
            for row in rows
            if getattr(row, "entry", None) is not None
            and row.initial.get("value") != row.entry.figure.value
        ]
        for row, warnings in zip(
            typed, value_warnings(row.entry.figure for row in typed), strict=True
        ):
            row.value_warnings = warnings
        warned = [row for row in typed if row.value_warnings]
        if not warned:
            return ""
        return fingerprint((row.measure.pk, row.entry.figure.value) for row in warned)

    @staticmethod
    def _bulk_rows(request, data, area, start, end) -> list[BulkEntryRowForm]:
        """A row per measure, filled in with the figure there is for the area
        and period; a published one is locked for those who may not revise it."""
        existing = {
            figure.measure_id: figure
            for figure in Figure.objects.filter(area=area, period_start=start, period_end=end)
        }
        may_revise = can_revise(request.user)
        rows = []
        # Each framework's measures together, the oldest framework first, so that
        # a quarter's national figures are typed one after another.
        measures = Measure.objects.select_related("data_source", "priority_area__framework")
        for measure in measures.order_by(
            "priority_area__framework__date_communicated",
            "priority_area__framework__name",
            "order",
            "name",
        ):
            figure = existing.get(measure.pk)
            # Version 0: the screen showed no figure, so one added meanwhile is a conflict.
            initial = {"version": 0}
            if figure is not None:
                initial = {
                    "value": figure.value,
                    "lower": figure.lower,
                    "upper": figure.upper,
                    "provisional": figure.provisional,
                    "version": figure.version,
                }
            rows.append(
                BulkEntryRowForm(
                    data,
                    prefix=f"m{measure.pk}",
                    initial=initial,
                    measure=measure,
                    figure=figure,
                    locked=figure is not None and figure.is_published and not may_revise,
                )
            )
        return rows

    @classmethod
    def _bulk_entries(cls, rows, area, start, end) -> list[BulkEntry] | None:
        """The figures to save, or None after marking the rows the model rules refuse."""
        entries = []
        failed = False
        for row in rows:
            if row.locked or not row.has_entry:
                continue
            figure = cls._entered_figure(row, area, start, end)
            if figure is None:
                continue
            try:
                figure.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                failed = True
                for name, messages_ in error.message_dict.items():
                    target = name if name in row.fields else None
                    for message in messages_:
                        row.add_error(target, message)
                continue
            # No version (a hand-made request) counts as having seen no figure.
            version = row.cleaned_data.get("version") or 0
            row.entry = BulkEntry(figure=figure, expected_version=version)
            entries.append(row.entry)
        return None if failed else entries

    @staticmethod
    def _entered_figure(row, area, start, end) -> Figure | None:
        """The row's figure with what was typed, or None for a row left as it was."""
        cleaned = row.cleaned_data
        figure = row.figure or Figure(
            measure=row.measure, area=area, period_start=start, period_end=end
        )
        new_values = {
            "value": cleaned["value"],
            "lower": cleaned.get("lower"),
            "upper": cleaned.get("upper"),
            "provisional": cleaned["provisional"],
        }
        if not row.measure.is_survey and row.figure is not None:
            new_values["lower"], new_values["upper"] = row.figure.lower, row.figure.upper
        # A row left as it was is not saved, unless the screen showed no
        # figure there: then someone added it meanwhile, and that is a conflict.
        if (
            row.figure is not None
            and cleaned.get("version")
            and all(getattr(row.figure, name) == value for name, value in new_values.items())
        ):
            return None
        for name, value in new_values.items():
            setattr(figure, name, value)
        figure.unit = row.measure.unit
        return figure

    @staticmethod
    def _show_conflict(rows, conflict: FigureConflict) -> None:
        for row in rows:
            if row.measure.pk == conflict.figure.measure_id:
                # Take the new version, so that saving again is a deliberate overwrite.
                row.data = row.data.copy()
                row.data[row.add_prefix("version")] = conflict.figure.version
                row.add_error(
                    None,
                    conflict.message
                    + " Nothing on this screen was saved: check the values and save again.",
                )
