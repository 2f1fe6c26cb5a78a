from django.urls import path  # noqa: F401 - the public pages are added here

app_name = "measures"

urlpatterns = []
