from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Policing measures: staff"
admin.site.site_title = "Policing measures admin"
admin.site.index_title = "Figures, measures and the Police and Crime Plan"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("data/", include("opendata.urls")),
    path("", include("measures.urls")),
    path("", include("plan.urls")),
]
