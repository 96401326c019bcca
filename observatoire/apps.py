from django.apps import AppConfig


class ObservatoireConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "observatoire"
    verbose_name = "Observatoire"
