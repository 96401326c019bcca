"""Les pages de l'annuaire territorialisé (espace de noms `directory:`). L'application `directory` est au-dessus de
`accounts` : ses pages écrivent le journal d'accès ; les modèles des fiches restent dans `referents`, en bas."""

from django.urls import path

from directory.views import browse, coverage, maintenance, territories

app_name = "directory"

urlpatterns = [
    path("annuaire/", browse.directory_home, name="directory_home"),
    path("annuaire/recherche/", browse.directory_search, name="directory_search"),
    path("annuaire/recherche/export.csv", browse.directory_search_export, name="directory_search_export"),
    path("annuaire/couverture/", coverage.coverage, name="coverage"),
    path("annuaire/mes-fiches/", maintenance.my_entries, name="my_entries"),
    path("annuaire/fiches/ajouter/", maintenance.entry_create, name="entry_create"),
    path("annuaire/fiches/importer/", maintenance.entry_import, name="entry_import"),
    path("annuaire/fiches/<uuid:public_id>/", browse.entry_detail, name="entry_detail"),
    path("annuaire/fiches/<uuid:public_id>/vcard/", browse.entry_vcard, name="entry_vcard"),
    path("annuaire/fiches/<uuid:public_id>/modifier/", maintenance.entry_update, name="entry_update"),
    path("annuaire/fiches/<uuid:public_id>/verifier/", maintenance.entry_verify, name="entry_verify"),
    path("annuaire/fiches/<uuid:public_id>/moderer/", maintenance.entry_moderate, name="entry_moderate"),
    path("annuaire/regions/<str:code>/", territories.region_detail, name="region_detail"),
    path("annuaire/territoires/<str:code>/", territories.territory_detail, name="territory_detail"),
    path("annuaire/territoires/<str:code>/annuaire.pdf", territories.territory_pdf, name="territory_pdf"),
    path("annuaire/public/<str:code>/", territories.territory_public, name="territory_public"),
]
