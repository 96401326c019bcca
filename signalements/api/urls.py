from django.urls import path

from signalements.api import views

app_name = "signalements_api"

urlpatterns = [
    path("signalements/", views.SignalementListCreateView.as_view(), name="signalement_list"),
    path("signalements/<uuid:public_id>/", views.SignalementDetailView.as_view(), name="signalement_detail"),
    path("signalements/<uuid:public_id>/depot/", views.SignalementSubmitView.as_view(), name="signalement_submit"),
    path(
        "notifications-statistiques/",
        views.AnonymousNotificationListCreateView.as_view(),
        name="anonymous_notification_list",
    ),
    path(
        "notifications-statistiques/<uuid:public_id>/",
        views.AnonymousNotificationDetailView.as_view(),
        name="anonymous_notification_detail",
    ),
]
