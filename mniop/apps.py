from django.contrib.admin.apps import AdminConfig


class MniopAdminConfig(AdminConfig):
    default_site = "mniop.admin.PlatformAdminSite"
