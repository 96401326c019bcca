"""Administration des données de référence et des organisations (administrateurs de la plateforme seulement)."""

from django.contrib import admin

from mniop.admin import PlatformAdminInline, PlatformAdminModelAdmin
from referents.models import DirectoryEntry, Habilitation, Organisation, Region, Territory
from referents.services import update_organisation


@admin.register(Region)
class RegionAdmin(PlatformAdminModelAdmin):
    list_display = ["code", "name", "zone"]
    list_filter = ["zone"]
    search_fields = ["code", "name"]


@admin.register(Territory)
class TerritoryAdmin(PlatformAdminModelAdmin):
    list_display = ["code", "name", "kind", "region", "zone", "time_zone", "holiday_subdivision"]
    list_filter = ["kind", "zone", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


class HabilitationInline(PlatformAdminInline):
    """Consultation seulement : habiliter une organisation lui ouvre le dépôt de signalements ; c'est l'administration
    de la Miprof qui accorde, renouvelle et met fin (`/organisations/<uuid>/habilitations/`), jamais l'administration
    technique de la plateforme."""

    model = Habilitation
    extra = 0
    fields = ["kind", "territory", "starts_on", "ends_on", "reference"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(PlatformAdminModelAdmin):
    list_display = ["name", "kind", "is_national", "is_active", "created_at"]
    list_filter = ["kind", "is_national", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["territories"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [HabilitationInline]

    def save_model(self, request, obj, form, change):
        """Une modification passe par le service : un renommage tient à jour la recherche de l'annuaire."""
        if not change:
            return super().save_model(request, obj, form, change)
        many_to_many = {field.name for field in obj._meta.many_to_many}
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name not in many_to_many}
        update_organisation(organisation=obj, by=request.user, **changed)


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(PlatformAdminModelAdmin):
    """Consultation technique ; les écritures passent par les pages de l'annuaire (services, historique)."""

    list_display = ["title", "organisation", "category", "main_territory", "last_verified_on", "needs_verification"]
    list_filter = ["category", "needs_verification", "is_active", "is_public"]
    list_select_related = ["organisation", "main_territory"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation", "territories", "main_territory"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    exclude = ["search_names", "search_terms", "main_territory_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
