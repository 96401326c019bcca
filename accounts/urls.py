from django.contrib.auth.decorators import login_not_required
from django.urls import path

from accounts.proconnect import ProConnectCallbackView, ProConnectLoginView, logout_callback
from accounts.views import access_log, api_tokens, auth, habilitations, invitations, organisations, two_factor

app_name = "accounts"

urlpatterns = [
    path("connexion/", auth.LoginView.as_view(), name="login"),
    path("deconnexion/", auth.LogoutView.as_view(), name="logout"),
    path("proconnect/connexion/", login_not_required(ProConnectLoginView.as_view()), name="proconnect_login"),
    path("proconnect/retour/", login_not_required(ProConnectCallbackView.as_view()), name="proconnect_callback"),
    path("proconnect/deconnexion/", login_not_required(logout_callback), name="proconnect_logout_callback"),
    path("mot-de-passe/oublie/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/change/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("second-facteur/activer/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("second-facteur/verifier/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("second-facteur/codes-de-secours/", two_factor.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("confirmer-identite/", two_factor.reauthenticate, name="reauthenticate"),
    path("mon-compte/", auth.account_detail, name="account_detail"),
    path("mon-compte/sessions/<uuid:public_id>/fermer/", auth.session_end, name="session_end"),
    path("mon-compte/session/prolonger/", auth.session_keep_alive, name="session_keep_alive"),
    path("organisation-courante/", auth.membership_switch, name="membership_switch"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/nouvelle/", habilitations.organisation_create, name="organisation_create"),
    path("organisations/<uuid:public_id>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<uuid:public_id>/habilitations/",
        habilitations.organisation_habilitations,
        name="organisation_habilitations",
    ),
    path(
        "organisations/<uuid:public_id>/habilitations/accorder/",
        habilitations.habilitation_grant,
        name="habilitation_grant",
    ),
    path(
        "organisations/<uuid:public_id>/habilitations/demander/",
        habilitations.habilitation_request_create,
        name="habilitation_request_create",
    ),
    path(
        "organisations/<uuid:public_id>/habilitations/<uuid:habilitation_id>/renouveler/",
        habilitations.habilitation_renew,
        name="habilitation_renew",
    ),
    path(
        "organisations/<uuid:public_id>/habilitations/<uuid:habilitation_id>/fin/",
        habilitations.habilitation_end,
        name="habilitation_end",
    ),
    path("demandes-habilitation/", habilitations.habilitation_request_list, name="habilitation_request_list"),
    path(
        "demandes-habilitation/<uuid:public_id>/",
        habilitations.habilitation_request_decide,
        name="habilitation_request_decide",
    ),
    path("organisations/<uuid:public_id>/membres/", organisations.organisation_members, name="organisation_members"),
    path("organisations/<uuid:public_id>/membres/inviter/", organisations.member_invite, name="member_invite"),
    path(
        "organisations/<uuid:public_id>/membres/<uuid:membership_id>/desactiver/",
        organisations.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "organisations/<uuid:public_id>/membres/<uuid:membership_id>/astreinte/",
        organisations.member_on_call,
        name="member_on_call",
    ),
    path(
        "organisations/<uuid:public_id>/membres/<uuid:membership_id>/second-facteur/",
        organisations.member_second_factor_reset,
        name="member_second_factor_reset",
    ),
    path("organisations/<uuid:public_id>/jetons-api/", api_tokens.api_token_list, name="api_token_list"),
    path(
        "organisations/<uuid:public_id>/jetons-api/<uuid:token_id>/revoquer/",
        api_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
    path(
        "organisations/<uuid:public_id>/jetons-api/<uuid:token_id>/approuver/",
        api_tokens.api_token_approve,
        name="api_token_approve",
    ),
    path("journal-acces/", access_log.access_log_list, name="access_log_list"),
]
