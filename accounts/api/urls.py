from django.urls import path

from accounts.api import directory

app_name = "accounts_api"

urlpatterns = [
    path("annuaire/fiches/", directory.DirectoryEntryListApiView.as_view(), name="directory_entry_list"),
]
