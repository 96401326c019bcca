from django.apps import AppConfig


class SignalementsConfig(AppConfig):
    name = "signalements"
    verbose_name = "Signalements"

    def ready(self):
        from accounts.reading_alerts import register_case_scopes
        from signalements.models import Signalement

        # Les alertes de lecture « hors du périmètre habituel » lisent le département et l'organisation des dossiers.
        register_case_scopes(Signalement.objects.scopes_by_public_id)
