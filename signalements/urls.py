from django.urls import path

from signalements.views import anonymous_notifications, cases, intake, receipts, reference_values

app_name = "signalements"

urlpatterns = [
    path("signalements/nouveau/", intake.draft_create, name="draft_create"),
    path(
        "notifications-statistiques/nouvelle/",
        anonymous_notifications.anonymous_notification_create,
        name="anonymous_notification_create",
    ),
    path(
        "notifications-statistiques/<uuid:public_id>/",
        anonymous_notifications.anonymous_notification_detail,
        name="anonymous_notification_detail",
    ),
    path("signalements/<uuid:public_id>/brouillon/", intake.draft_resume, name="draft_resume"),
    path("signalements/<uuid:public_id>/brouillon/<slug:step>/", intake.draft_step, name="draft_step"),
    path("signalements/<uuid:public_id>/rapprochement/", intake.link_request_create, name="link_request_create"),
    path("signalements/<uuid:public_id>/deposer/", intake.draft_submit, name="draft_submit"),
    path("signalements/<uuid:public_id>/depose/", intake.signalement_submitted, name="signalement_submitted"),
    path("signalements/", cases.signalement_list, name="signalement_list"),
    path("signalements/<uuid:public_id>/", cases.signalement_detail, name="signalement_detail"),
    path("signalements/<uuid:public_id>/partager/", cases.signalement_share, name="signalement_share"),
    path("signalements/<uuid:public_id>/identite/", cases.signalement_identity_open, name="signalement_identity_open"),
    path(
        "signalements/<uuid:public_id>/partages/<uuid:user_id>/retirer/",
        cases.signalement_unshare,
        name="signalement_unshare",
    ),
    path("referentiels/", reference_values.reference_value_list, name="reference_value_list"),
    path("referentiels/ajouter/", reference_values.reference_value_create, name="reference_value_create"),
    path(
        "referentiels/<uuid:public_id>/modifier/",
        reference_values.reference_value_update,
        name="reference_value_update",
    ),
    path(
        "referentiels/<uuid:public_id>/retirer/",
        reference_values.reference_value_retire,
        name="reference_value_retire",
    ),
    path(
        "referentiels/<uuid:public_id>/restaurer/",
        reference_values.reference_value_restore,
        name="reference_value_restore",
    ),
    path(
        "signalements/<uuid:public_id>/accuse-de-reception.pdf",
        receipts.signalement_receipt,
        name="signalement_receipt",
    ),
]
