from django.urls import path

from . import charts, views

app_name = "measures"

urlpatterns = [
    path("measures/<slug:slug>/", views.MeasureDetailView.as_view(), name="measure-detail"),
    path(
        "measures/<slug:slug>/chart/<slug:area>/",
        charts.MeasureChartView.as_view(),
        name="measure-chart",
    ),
    path("priorities/<slug:slug>/", views.PriorityDetailView.as_view(), name="priority-detail"),
]
