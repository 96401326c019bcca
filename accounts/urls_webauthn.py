"""Les points d'entrée des clés d'accès (WebAuthn, django-otp-webauthn), sous leur espace de noms `otp_webauthn` : ceux
de la bibliothèque, sauf deux fins de cérémonie : la vérification compte aussi comme authentification récente
(`accounts.reauth`), comme le code d'une application ; l'ajout d'une clé ferme les autres sessions."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views

from accounts.reauth import mark_recent_auth
from accounts.views.two_factor import end_my_other_sessions

app_name = "otp_webauthn"


class CompleteCredentialRegistrationView(views.CompleteCredentialRegistrationView):
    """Une clé d'accès ajoutée change le second facteur : les autres sessions de la personne prennent fin."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            end_my_other_sessions(self.request)
        return response


class CompleteCredentialAuthenticationView(views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)
        mark_recent_auth(self.request)


urlpatterns = [
    path(
        "inscription/debut/",
        views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "inscription/fin/",
        CompleteCredentialRegistrationView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "verification/debut/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "verification/fin/",
        CompleteCredentialAuthenticationView.as_view(),
        name="credential-authentication-complete",
    ),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
