from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("protection-des-donnees/dossiers/<uuid:public_id>/consentements/", views.consents, name="consents"),
    path(
        "protection-des-donnees/dossiers/<uuid:public_id>/consentements/enregistrer/",
        views.consent_record,
        name="consent_record",
    ),
    path(
        "protection-des-donnees/dossiers/<uuid:public_id>/consentements/retirer/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("protection-des-donnees/dossiers/<uuid:public_id>/notice/<str:language>/", views.notice, name="notice"),
    path("protection-des-donnees/dpo/", views.dpo_home, name="dpo_home"),
    path("protection-des-donnees/dpo/conservation/", views.retention_report, name="retention_report"),
    path("protection-des-donnees/dpo/dossiers/<uuid:public_id>/", views.dpo_case, name="dpo_case"),
    path(
        "protection-des-donnees/dpo/dossiers/<uuid:public_id>/export.<str:fmt>",
        views.dpo_export,
        name="dpo_export",
    ),
    path("protection-des-donnees/dpo/dossiers/<uuid:public_id>/rectifier/", views.dpo_rectify, name="dpo_rectify"),
    path("protection-des-donnees/dpo/dossiers/<uuid:public_id>/demande/", views.dpo_request, name="dpo_request"),
]
