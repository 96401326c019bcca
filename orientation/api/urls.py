from django.urls import path

from orientation.api import views
from orientation.api.serializers import ACTION_INPUTS

app_name = "orientation_api"

CASE = "orientation/dossiers/<uuid:public_id>/"

urlpatterns = [
    path("orientation/file-miprof/", views.MiprofQueueApiView.as_view(), name="miprof_queue"),
    path("orientation/file-departement/", views.DepartementQueueApiView.as_view(), name="departement_queue"),
    path(CASE, views.CaseApiView.as_view(), name="case_detail"),
    *[path(f"{CASE}{slug}/", views.make_action_view(slug), name=f"case_{slug}") for slug in ACTION_INPUTS],
    path(f"{CASE}mesures/", views.MeasureListCreateApiView.as_view(), name="measure_list"),
    path(f"{CASE}mesures/<uuid:measure_id>/etat/", views.MeasureStatusApiView.as_view(), name="measure_status"),
    path(f"{CASE}procedures/", views.ProcedureListCreateApiView.as_view(), name="procedure_list"),
    path(f"{CASE}procedures/<uuid:procedure_id>/", views.ProcedureApiView.as_view(), name="procedure_detail"),
    path(f"{CASE}documents/", views.CaseAttachmentListCreateApiView.as_view(), name="attachment_list"),
    path(
        f"{CASE}documents/<uuid:attachment_id>/contenu/",
        views.CaseAttachmentContentApiView.as_view(),
        name="attachment_content",
    ),
    path(f"{CASE}orientations/", views.CaseReferralListCreateApiView.as_view(), name="referral_list"),
    path("orientation/orientations/<uuid:public_id>/", views.ReferralApiView.as_view(), name="referral_detail"),
    *[
        path(
            f"orientation/orientations/<uuid:public_id>/{slug}/",
            views.make_referral_action_view(slug),
            name=f"referral_{slug}",
        )
        for slug in views.REFERRAL_ACTIONS
    ],
    path("hebergement/places/", views.ShelterCapacityApiView.as_view(), name="shelter_places"),
]
