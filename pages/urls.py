from django.urls import path

from . import charts, views

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
    path("measures/<slug:slug>/", views.MeasureDetailView.as_view(), name="measure-detail"),
    path(
        "measures/<slug:slug>/chart/<slug:area>/",
        charts.MeasureChartView.as_view(),
        name="measure-chart",
    ),
    path("priorities/<slug:slug>/", views.PriorityDetailView.as_view(), name="priority-detail"),
]
