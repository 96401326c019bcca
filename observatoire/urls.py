from django.urls import path

from observatoire import views

app_name = "observatoire"

urlpatterns = [
    path("statistiques/", views.statistics_dashboard, name="statistics_dashboard"),
    path("statistiques/enquete-miprof/", views.statistics_survey, name="statistics_survey"),
    path("statistiques/grille-greta/", views.statistics_greta, name="statistics_greta"),
    path("statistiques/microdonnees/", views.statistics_microdata, name="statistics_microdata"),
    path("statistiques/exports/<uuid:public_id>/", views.export_job_detail, name="export_job_detail"),
    path("statistiques/exports/<uuid:public_id>/telecharger/", views.export_job_download, name="export_job_download"),
]
