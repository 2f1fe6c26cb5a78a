from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures.csv", views.figures_csv, name="figures-csv"),
    path("figures-readable.csv", views.figures_readable_csv, name="figures-readable-csv"),
    path("figures.xlsx", views.figures_xlsx, name="figures-xlsx"),
    path("figures.json", views.figures_json, name="figures-json"),
    path("mapping.csv", views.mapping_csv, name="mapping-csv"),
    path("measures.csv", views.measures_csv, name="measures-csv"),
    path("revisions.csv", views.revisions_csv, name="revisions-csv"),
    path("package.zip", views.package, name="package"),
    path(
        "comparison/<slug:slug>.csv",
        views.comparison_download,
        {"extension": "csv"},
        name="comparison-csv",
    ),
    path(
        "comparison/<slug:slug>.json",
        views.comparison_download,
        {"extension": "json"},
        name="comparison-json",
    ),
    path("staff/", views.staff_index, name="staff"),
    path("staff/figures.csv", views.staff_figures_csv, name="staff-figures-csv"),
    path("staff/figures.json", views.staff_figures_json, name="staff-figures-json"),
]
