from django.urls import path

from directory.api import views

app_name = "directory_api"

urlpatterns = [
    path("annuaire/fiches/", views.DirectoryEntryListApiView.as_view(), name="directory_entry_list"),
]
