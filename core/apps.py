from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import m2m_changed, post_delete, post_save


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Site operations"

    def ready(self):
        from .cache import CACHED_APPS, data_changed

        for app_label in CACHED_APPS:
            for model in apps.get_app_config(app_label).get_models():
                if model.__name__.startswith("Historical"):
                    continue
                uid = f"core.data_changed.{model._meta.label}"
                post_save.connect(data_changed, sender=model, dispatch_uid=uid + ".save")
                post_delete.connect(data_changed, sender=model, dispatch_uid=uid + ".delete")
                for field in model._meta.local_many_to_many:
                    m2m_changed.connect(
                        data_changed, sender=field.remote_field.through, dispatch_uid=uid + ".m2m"
                    )


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site that can make two-factor sign-in compulsory."""

    default = False
    default_site = "core.sites.StaffAdminSite"
