from django.urls import path

from signalements import views

app_name = "signalements"

urlpatterns = [
    path("referentiels/", views.reference_value_list, name="reference_value_list"),
    path("referentiels/ajouter/", views.reference_value_create, name="reference_value_create"),
    path("referentiels/<uuid:public_id>/modifier/", views.reference_value_update, name="reference_value_update"),
    path("referentiels/<uuid:public_id>/retirer/", views.reference_value_retire, name="reference_value_retire"),
    path("referentiels/<uuid:public_id>/restaurer/", views.reference_value_restore, name="reference_value_restore"),
]
