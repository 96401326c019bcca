from django.urls import path

from orientation.views import (
    attachments,
    cases,
    documents,
    link_requests,
    measures,
    procedures,
    queues,
    referrals,
    settings,
    shelters,
)

app_name = "orientation"

urlpatterns = [
    path("miprof/file/", queues.miprof_queue, name="miprof_queue"),
    path("departement/file/", queues.departement_queue, name="departement_queue"),
    path("files/<str:queue>/filtres/", queues.saved_filter_create, name="saved_filter_create"),
    path("files/filtres/<int:pk>/supprimer/", queues.saved_filter_delete, name="saved_filter_delete"),
    path("dossiers/<uuid:public_id>/", cases.case_detail, name="case_detail"),
    path(
        "dossiers/<uuid:public_id>/complements/<uuid:request_id>/repondre/",
        cases.information_request_answer,
        name="information_request_answer",
    ),
    path(
        "dossiers/<uuid:public_id>/rapprochements/<uuid:request_id>/",
        link_requests.link_request_detail,
        name="link_request_detail",
    ),
    path("dossiers/<uuid:public_id>/hebergement/", referrals.referral_request, name="referral_request"),
    path("dossiers/<uuid:public_id>/bris-de-glace/", cases.break_glass_open, name="break_glass"),
    path("dossiers/<uuid:public_id>/mineurs/", cases.minor_protection_record, name="minor_protection"),
    path("dossiers/<uuid:public_id>/mesures/", measures.measure_create, name="measure_create"),
    path("dossiers/<uuid:public_id>/mesures/<uuid:measure_id>/", measures.measure_update, name="measure_update"),
    path("dossiers/<uuid:public_id>/procedures/", procedures.procedure_create, name="procedure_create"),
    path(
        "dossiers/<uuid:public_id>/procedures/<uuid:procedure_id>/",
        procedures.procedure_update,
        name="procedure_update",
    ),
    path("dossiers/<uuid:public_id>/documents/ajouter/", attachments.attachment_create, name="attachment_create"),
    path(
        "dossiers/<uuid:public_id>/documents/<uuid:attachment_id>/telecharger/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    path("dossiers/<uuid:public_id>/fiche-droits/<str:language>/", measures.rights_sheet, name="rights_sheet"),
    path("dossiers/<uuid:public_id>/<slug:action>/", cases.case_action, name="case_action"),
    path("orientations/<uuid:public_id>/", referrals.referral_detail, name="referral_detail"),
    path("orientations/<uuid:public_id>/fiche.pdf", referrals.referral_sheet, name="referral_sheet"),
    path(
        "orientations/<uuid:public_id>/coordination/<slug:action>/",
        referrals.referral_coordination,
        name="referral_coordination",
    ),
    path("orientations/<uuid:public_id>/<slug:action>/", referrals.referral_action, name="referral_action"),
    path("hebergement/", shelters.shelter_home, name="shelter_home"),
    path("hebergement/profil/", shelters.shelter_profile_edit, name="shelter_profile"),
    path("miprof/hebergements/", shelters.shelter_list, name="shelter_list"),
    path("miprof/hebergements/<uuid:public_id>/acse/", shelters.shelter_acse_partner, name="shelter_acse_partner"),
    path("acse/", shelters.acse_dispatch, name="acse_dispatch"),
    path("attestations/<str:token>/", documents.decision_letter, name="decision_letter"),
    path("verifier-une-attestation/", documents.attestation_verify, name="attestation_verify_form"),
    path("verifier-une-attestation/<str:code>/", documents.attestation_verify, name="attestation_verify"),
    path("miprof/delais/", settings.clock_settings, name="clock_settings"),
    path("mon-compte/rappels/", settings.notification_preferences, name="notification_preferences"),
]
