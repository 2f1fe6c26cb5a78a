from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Site operations"


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site that can make two-factor sign-in compulsory."""

    default = False
    default_site = "core.sites.StaffAdminSite"
