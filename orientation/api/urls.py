from django.urls import path

from orientation.api import views
from orientation.views.cases import ACTIONS

app_name = "orientation_api"

urlpatterns = [
    path("orientation/file-miprof/", views.MiprofQueueApiView.as_view(), name="miprof_queue"),
    path("orientation/file-departement/", views.DepartementQueueApiView.as_view(), name="departement_queue"),
    path("orientation/dossiers/<uuid:public_id>/", views.CaseApiView.as_view(), name="case_detail"),
    *[
        path(f"orientation/dossiers/<uuid:public_id>/{slug}/", views.make_action_view(slug), name=f"case_{slug}")
        for slug in ACTIONS
    ],
]
