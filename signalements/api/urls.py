from django.urls import path

from signalements.api import views

app_name = "signalements_api"

urlpatterns = [
    path("signalements/", views.SignalementListCreateView.as_view(), name="signalement_list"),
    path("signalements/<uuid:public_id>/", views.SignalementDetailView.as_view(), name="signalement_detail"),
    path("signalements/<uuid:public_id>/depot/", views.SignalementSubmitView.as_view(), name="signalement_submit"),
]
