from django.contrib import admin

from accounts.models import AccessLog, Invitation, Membership, User
from mniop.admin import PlatformAdminInline, PlatformAdminModelAdmin, ReadOnlyModelAdmin


class MembershipInline(PlatformAdminInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["organisation", "role", "departements", "is_active"]
    autocomplete_fields = ["organisation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(PlatformAdminModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "date_joined"]
    list_filter = ["is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fields = ["email", "first_name", "last_name", "is_active"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(PlatformAdminModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["departements"]
    exclude = ["invited_by", "deactivated_by", "deactivated_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "user", "organisation", "action", "object_type", "object_id", "view_name"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__email", "object_id", "=request_id"]
    date_hierarchy = "at"
