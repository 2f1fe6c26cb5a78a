"""The downloads, public and staff.

Each figures view picks a queryset (published figures for the public, all of
them for staff), filters it with the one FilterSet of figures, and hands it
to the writer: PostgreSQL's COPY when the database is PostgreSQL, Python's
csv module otherwise. A filter value that does not validate is a 400 with
the form's message. The staff downloads let in whom the admin lets in
(``core.sites.staff_view``), and then only those with the export permission.
"""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import connection, router
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.cache import cache_query_parameters
from core.sites import staff_view
from core.tables import configure
from measures.models import Figure, Measure
from plan.models import Contribution, PublishingBody

from . import catalogue, datapackage, pgcopy
from .columns import (
    COMPARISON_COLUMNS,
    MAPPING_COLUMNS,
    MEASURE_COLUMNS,
    READABLE_FIGURE_COLUMNS,
    REVISION_COLUMNS,
    labels,
    names,
)
from .comparison import comparison_csv_rows, comparison_json_chunks, measure_comparison
from .exports import blocks, export_filename, reach_database, stream_csv
from .figures import figure_columns, figure_json_chunks, figure_rows, figure_values
from .filters import FigureFilter, StaffFigureFilter
from .tables import FigureTable, count_rows
from .workbook import CONTENT_TYPE as XLSX_CONTENT_TYPE
from .workbook import build_workbook

EXPORT_PERMISSION = "measures.export_figure"


def wants_excel(request: HttpRequest) -> bool:
    return request.GET.get("excel") == "1"


def csv_response(chunks, *, stem: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    filename = export_filename(stem, "csv", today=timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def figure_csv_chunks(queryset, *, staff: bool, bom: bool, readable: bool = False):
    """Header and rows of the figures CSV, from whichever path suits the database:
    the upload format's columns by name, or with ``readable`` the readable
    file's, by label."""
    if readable:
        columns, header = READABLE_FIGURE_COLUMNS, labels(READABLE_FIGURE_COLUMNS)
    else:
        columns = figure_columns(staff=staff)
        header = names(columns)
    if connection.vendor == "postgresql":
        reach_database(connection.alias)  # COPY reads through this connection
        body = pgcopy.figure_csv_blocks(queryset, staff=staff, columns=columns)
        return blocks(_header_then(header, body), bom=bom)
    reach_database(queryset.db)
    return stream_csv(header, figure_rows(queryset, columns=columns), bom=bom)


def _header_then(header, body):
    yield from stream_csv(header, ())
    yield from body


def filter_problems(form) -> list[str]:
    """The form's errors as sentences: "Measure: Select a valid choice. …"."""
    problems = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        problems += [f"{label}: {message}" if label else message for message in messages]
    return problems


def bad_filter(request: HttpRequest, filterset) -> HttpResponse:
    return render(
        request,
        "opendata/bad_filter.html",
        {"problems": filter_problems(filterset.form)},
        status=400,
    )


def figures_response(request: HttpRequest, filterset, *, staff: bool, as_json: bool):
    if not filterset.is_valid():
        return bad_filter(request, filterset)
    queryset = filterset.qs
    if as_json:
        metadata = {
            "title": "Figures for the National Crime and Policing Measures",
            "licence": datapackage.LICENCE["title"],
            "licence_url": datapackage.LICENCE["path"],
            "created": timezone.now().isoformat(timespec="seconds"),
            "published_only": not staff,
        }
        chunks = figure_json_chunks(queryset, metadata=metadata, staff=staff)
        reach_database(queryset.db)
        response = StreamingHttpResponse(blocks(chunks), content_type="application/json")
        filename = export_filename("figures", "json", today=timezone.localdate())
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    stem = "figures-with-drafts" if staff else "figures"
    chunks = figure_csv_chunks(queryset, staff=staff, bom=wants_excel(request))
    return csv_response(chunks, stem=stem)


@require_GET
@cache_query_parameters(*FigureFilter.Meta.fields, "sort", "page", "per_page")
def index(request: HttpRequest) -> HttpResponse:
    filterset = FigureFilter(request.GET, queryset=Figure.objects.published())
    if not filterset.is_valid():
        return bad_filter(request, filterset)
    figures = filterset.qs
    table = FigureTable(
        figures.select_related("measure", "area"),
        row_count=count_rows(figures),
        filtered=any(filterset.form.cleaned_data.get(name) for name in filterset.form.fields),
    )
    configure(table, request)
    # The downloads carry the filters but not the table's sorting or page.
    query = request.GET.copy()
    for key in ("sort", "page", "per_page", "excel"):
        query.pop(key, None)
    suffix = f"?{query.urlencode()}" if query else ""
    return render(
        request,
        "opendata/index.html",
        {
            "filter": filterset,
            "table": table,
            "csv_url": reverse("opendata:figures-csv") + suffix,
            "readable_url": reverse("opendata:figures-readable-csv") + suffix,
            "xlsx_url": reverse("opendata:figures-xlsx") + suffix,
            "json_url": reverse("opendata:figures-json") + suffix,
        },
    )


@require_GET
def figures_csv(request: HttpRequest) -> HttpResponse:
    filterset = FigureFilter(request.GET, queryset=Figure.objects.published())
    return figures_response(request, filterset, staff=False, as_json=False)


@require_GET
def figures_readable_csv(request: HttpRequest) -> HttpResponse:
    """The published figures for people: readable headers, names first, no
    slugs, UTF-8 with a byte order mark so that spreadsheets read it as such."""
    filterset = FigureFilter(request.GET, queryset=Figure.objects.published())
    if not filterset.is_valid():
        return bad_filter(request, filterset)
    chunks = figure_csv_chunks(filterset.qs, staff=False, bom=True, readable=True)
    return csv_response(chunks, stem="figures-readable")


WORKBOOK_TITLE = "Figures for the National Crime and Policing Measures"


@require_GET
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    """The readable file's figures as an Excel workbook, with a sheet that
    says where they come from, under which licence, and when."""
    filterset = FigureFilter(request.GET, queryset=Figure.objects.published())
    if not filterset.is_valid():
        return bad_filter(request, filterset)
    body = PublishingBody.objects.current()
    query = request.GET.urlencode()
    source = request.build_absolute_uri(reverse("opendata:index")) + (f"?{query}" if query else "")
    about = [
        ("Published by", body.name if body else ""),
        ("Source", source),
        ("Filters", query or "none: every published figure"),
        ("Figures as at", timezone.localtime().replace(tzinfo=None, microsecond=0)),
        ("Time zone", str(timezone.get_current_timezone())),
        ("Licence", f"{datapackage.LICENCE['title']}: {datapackage.LICENCE['path']}"),
        ("What it holds", "Published figures only, as on the data page."),
    ]
    workbook = build_workbook(
        columns=READABLE_FIGURE_COLUMNS,
        rows=figure_values(filterset.qs, READABLE_FIGURE_COLUMNS),
        title=WORKBOOK_TITLE,
        about=about,
    )
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=export_filename("figures", "xlsx", today=timezone.localdate()),
        content_type=XLSX_CONTENT_TYPE,
    )


@require_GET
def figures_json(request: HttpRequest) -> HttpResponse:
    filterset = FigureFilter(request.GET, queryset=Figure.objects.published())
    return figures_response(request, filterset, staff=False, as_json=True)


@require_GET
def mapping_csv(request: HttpRequest) -> HttpResponse:
    reach_database(router.db_for_read(Contribution))
    chunks = stream_csv(names(MAPPING_COLUMNS), catalogue.mapping_rows(), bom=wants_excel(request))
    return csv_response(chunks, stem="mapping")


@require_GET
def measures_csv(request: HttpRequest) -> HttpResponse:
    reach_database(router.db_for_read(Measure))
    chunks = stream_csv(names(MEASURE_COLUMNS), catalogue.measure_rows(), bom=wants_excel(request))
    return csv_response(chunks, stem="measures")


@require_GET
def revisions_csv(request: HttpRequest) -> HttpResponse:
    """The revisions official releases made to published figures (see /releases/)."""
    reach_database(router.db_for_read(Figure))
    chunks = stream_csv(
        names(REVISION_COLUMNS), catalogue.revision_rows(), bom=wants_excel(request)
    )
    return csv_response(chunks, stem="revisions")


@require_GET
def comparison_download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    """Every force's figure of one measure for one period (``?period=``, else the
    period the comparison page opens on), as CSV or JSON."""
    measure = get_object_or_404(Measure, slug=slug)
    try:
        found = measure_comparison(measure, request.GET.get("period"))
    except ValueError as error:
        return render(request, "opendata/bad_filter.html", {"problems": [str(error)]}, status=400)
    stem = f"comparison-{measure.slug}-{found.start}-to-{found.end}"
    if extension == "json":
        metadata = {
            "title": f"How forces compare: {measure.name}",
            "licence": datapackage.LICENCE["title"],
            "licence_url": datapackage.LICENCE["path"],
            "created": timezone.now().isoformat(timespec="seconds"),
        }
        response = StreamingHttpResponse(
            blocks(comparison_json_chunks(found, metadata=metadata)),
            content_type="application/json",
        )
        filename = export_filename(stem, "json", today=timezone.localdate())
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    chunks = stream_csv(
        names(COMPARISON_COLUMNS), comparison_csv_rows(found), bom=wants_excel(request)
    )
    return csv_response(chunks, stem=stem)


@require_GET
def package(request: HttpRequest) -> FileResponse:
    today = timezone.localdate()
    archive = datapackage.build_package(
        figures=figure_csv_chunks(Figure.objects.published(), staff=False, bom=False),
        created=timezone.now(),
    )
    return FileResponse(
        archive,
        as_attachment=True,
        filename=export_filename("policing-measures-data", "zip", today=today),
        content_type="application/zip",
    )


def _require_export_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied("You need permission to export figures, drafts included.")


@require_GET
@staff_view
def staff_index(request: HttpRequest) -> HttpResponse:
    _require_export_permission(request)
    filterset = StaffFigureFilter(request.GET or None, queryset=Figure.objects.all())
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return render(
        request,
        "opendata/staff.html",
        {
            "filter": filterset,
            "title": "Download figures",
            "site_header": "Policing measures: staff",
            "has_permission": True,
            "csv_url": reverse("opendata:staff-figures-csv"),
            "json_url": reverse("opendata:staff-figures-json"),
        },
        status=status,
    )


@require_GET
@staff_view
@permission_required(EXPORT_PERMISSION, raise_exception=True)
def staff_figures_csv(request: HttpRequest) -> HttpResponse:
    filterset = StaffFigureFilter(request.GET, queryset=Figure.objects.all())
    return figures_response(request, filterset, staff=True, as_json=False)


@require_GET
@staff_view
@permission_required(EXPORT_PERMISSION, raise_exception=True)
def staff_figures_json(request: HttpRequest) -> HttpResponse:
    filterset = StaffFigureFilter(request.GET, queryset=Figure.objects.all())
    return figures_response(request, filterset, staff=True, as_json=True)
