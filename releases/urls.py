from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("releases/upcoming/", views.UpcomingReleasesView.as_view(), name="upcoming"),
]
