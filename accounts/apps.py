from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes, adhésions et journal d'accès"

    def ready(self):
        from axes.signals import user_locked_out

        from accounts.lockout import on_user_locked_out

        user_locked_out.connect(on_user_locked_out, dispatch_uid="accounts-lockout-notice")
