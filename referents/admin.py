"""Administration des données de référence et des organisations (administrateurs de la plateforme seulement).

Les tables de permissions objet de django-guardian ne sont pas exposées ici : les partages se gèrent par les services.
"""

from django.contrib import admin

from mniop.admin import PlatformAdminInline, PlatformAdminModelAdmin
from referents.models import Habilitation, Organisation, Region, Territory


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
    model = Habilitation
    extra = 0
    fields = ["kind", "territory", "starts_on", "ends_on", "reference"]
    autocomplete_fields = ["territory"]


@admin.register(Organisation)
class OrganisationAdmin(PlatformAdminModelAdmin):
    list_display = ["name", "kind", "is_national", "is_active", "created_at"]
    list_filter = ["kind", "is_national", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["territories"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [HabilitationInline]
