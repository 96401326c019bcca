from django.urls import path

from orientation.views import cases, documents, measures, queues, settings

app_name = "orientation"

urlpatterns = [
    path("miprof/file/", queues.miprof_queue, name="miprof_queue"),
    path("departement/file/", queues.departement_queue, name="departement_queue"),
    path("files/<str:queue>/filtres/", queues.saved_filter_create, name="saved_filter_create"),
    path("files/filtres/<int:pk>/supprimer/", queues.saved_filter_delete, name="saved_filter_delete"),
    path("dossiers/<uuid:public_id>/", cases.case_detail, name="case_detail"),
    path("dossiers/<uuid:public_id>/mesures/", measures.measure_create, name="measure_create"),
    path("dossiers/<uuid:public_id>/mesures/<uuid:measure_id>/", measures.measure_update, name="measure_update"),
    path("dossiers/<uuid:public_id>/fiche-droits/<str:language>/", measures.rights_sheet, name="rights_sheet"),
    path("dossiers/<uuid:public_id>/<slug:action>/", cases.case_action, name="case_action"),
    path("attestations/<str:token>/", documents.decision_letter, name="decision_letter"),
    path("miprof/delais/", settings.clock_settings, name="clock_settings"),
    path("mon-compte/rappels/", settings.notification_preferences, name="notification_preferences"),
]
