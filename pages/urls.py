from django.urls import path

from . import about, charts, compare_charts, forces, views

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("outcomes/<slug:slug>/", views.OutcomeDetailView.as_view(), name="outcome-detail"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path(
        "plans/<slug:plan>/outcomes/<slug:slug>/",
        views.OutcomeDetailView.as_view(),
        name="plan-outcome-detail",
    ),
    path("mapping/", views.MappingView.as_view(), name="mapping"),
    path("logo/", views.logo, name="logo"),
    path("statement/", views.StatementView.as_view(), name="statement"),
    path("statement/archive/", views.StatementArchiveView.as_view(), name="statement-archive"),
    path("statement/<slug:slug>/", views.statement_edition, name="statement-edition"),
    path("statement/<slug:slug>/pdf/", views.statement_pdf, name="statement-pdf"),
    path("measures/<slug:slug>/", views.MeasureDetailView.as_view(), name="measure-detail"),
    path(
        "measures/<slug:slug>/chart/<slug:area>/",
        charts.MeasureChartView.as_view(),
        name="measure-chart",
    ),
    path("priorities/<slug:slug>/", views.PriorityDetailView.as_view(), name="priority-detail"),
    path("releases/", views.ReleasesView.as_view(), name="releases"),
    # How forces compare (pages/forces.py)
    path(
        "measures/<slug:slug>/compare/",
        forces.MeasureComparisonView.as_view(),
        name="measure-compare",
    ),
    path(
        "measures/<slug:slug>/compare/bars.json",
        compare_charts.ComparisonChartView.as_view(kind="bar"),
        name="measure-compare-bars",
    ),
    path(
        "measures/<slug:slug>/compare/funnel.json",
        compare_charts.ComparisonChartView.as_view(kind="funnel"),
        name="measure-compare-funnel",
    ),
    path("areas/", forces.areas_index, name="areas"),
    path("areas/<slug:slug>/", forces.AreaDetailView.as_view(), name="area-detail"),
    # The pages a public body must have (pages/about.py)
    path("accessibility/", about.accessibility, name="accessibility"),
    path("contact/", about.contact, name="contact"),
    path("privacy/", about.privacy, name="privacy"),
]
