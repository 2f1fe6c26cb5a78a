from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Release calendar"

    def ready(self):
        from core.cache import data_changed

        from .models import ReleaseDate

        # The public calendar and every measure's "next update" read release dates.
        uid = "releases.data_changed.ReleaseDate"
        post_save.connect(data_changed, sender=ReleaseDate, dispatch_uid=uid + ".save")
        post_delete.connect(data_changed, sender=ReleaseDate, dispatch_uid=uid + ".delete")
