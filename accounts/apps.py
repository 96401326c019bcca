from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes, adhésions et journal d'accès"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from accounts.lockout import on_user_locked_out
        from accounts.sessions import on_user_logged_in

        user_locked_out.connect(on_user_locked_out, dispatch_uid="accounts-lockout-notice")
        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts-session-register")
