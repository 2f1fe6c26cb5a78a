from django.urls import path  # noqa: F401 - the downloads are added here

app_name = "data"

urlpatterns = []
