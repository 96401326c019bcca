from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/tout-marquer-lu/", views.notification_mark_all_read, name="notification_mark_all_read"),
    path("notifications/<uuid:public_id>/lue/", views.notification_mark_read, name="notification_mark_read"),
]
