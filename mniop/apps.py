from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class MniopAdminConfig(AdminConfig):
    default_site = "mniop.admin.PlatformAdminSite"


class MniopConfig(AppConfig):
    """Le socle commun (réglages, URL, Celery, petits utilitaires) : n'importe aucune application du MNIOP. Ses
    commandes : `prepare_platform` (ce que `make run` fait avant de servir)."""

    name = "mniop"
    verbose_name = "Plateforme"
    default_auto_field = "django.db.models.BigAutoField"
