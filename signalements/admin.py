"""Les listes de référence se gèrent par les pages de la Miprof (`/referentiels/`) ; l'administration Django ne les
montre qu'en lecture, et rien ne s'y supprime."""

from django.contrib import admin

from mniop.admin import PlatformAdminModelAdmin
from signalements.models import ReferenceValue


@admin.register(ReferenceValue)
class ReferenceValueAdmin(PlatformAdminModelAdmin):
    list_display = ["label", "category", "code", "position", "retired_at"]
    list_filter = ["category"]
    search_fields = ["code", "label"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
