from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.health import healthz

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("data/", include("opendata.urls")),
    path("", include("releases.urls")),
    path("", include("pages.urls")),
]

# A database that cannot be reached is a 503 wherever it is met, never a 500.
handler500 = "core.middleware.server_error"
