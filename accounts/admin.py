from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AccessLog, Invitation, Membership, RoleGrant, RoleGrantStatus, User
from accounts.reauth import recent_auth_required
from accounts.services_role_grants import approve_role_grant, check_role_grant, refuse_role_grant, request_role_grant
from mniop.admin import PlatformAdminInline, PlatformAdminModelAdmin, ReadOnlyModelAdmin


class MembershipInline(PlatformAdminInline):
    """Les adhésions d'une personne, en lecture : un rôle s'attribue par une « attribution de rôle » approuvée par
    un second administrateur de la plateforme (`RoleGrantAdmin`)."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["organisation", "role", "departements", "is_active"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(PlatformAdminModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "date_joined"]
    list_filter = ["is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fields = ["email", "first_name", "last_name", "is_active"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        """L'adresse d'un compte existant ne change pas ici : la changer pour la sienne, puis demander un nouveau
        mot de passe, ouvrirait le compte (et ses dossiers) à l'administration technique."""
        return ["email"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyModelAdmin):
    """Consultation seulement : aucun administrateur de la plateforme ne se donne (ni ne donne) un rôle seul. Les
    rôles s'attribuent par `RoleGrantAdmin` (deux personnes), ou par invitation dans l'interface."""

    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "organisation__name"]
    exclude = ["invited_by", "deactivated_by", "deactivated_at"]


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["user", "organisation", "role", "departements"]

    def clean(self):
        data = super().clean()
        if data.get("organisation") and data.get("role"):
            try:
                check_role_grant(
                    organisation=data["organisation"], role=data["role"], departements=data.get("departements") or []
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    self.add_error(field, errors)
        return data


@admin.register(RoleGrant)
class RoleGrantAdmin(PlatformAdminModelAdmin):
    """Demander une attribution de rôle, puis la faire approuver par un autre administrateur de la plateforme
    (actions « Approuver » et « Refuser » de la liste)."""

    form = RoleGrantForm
    list_display = ["user", "organisation", "role", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status", "role"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["departements"]
    actions = ["approve", "refuse"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, *args, **kwargs):
        """Demander une attribution (POST du formulaire) : mot de passe et code récents (`accounts.reauth`)."""
        return recent_auth_required(super().changeform_view, only_writes=True)(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        """Approuver ou refuser (actions de la liste, en POST) : mot de passe et code récents aussi."""
        return recent_auth_required(super().changelist_view, only_writes=True)(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        grant = request_role_grant(
            user=form.cleaned_data["user"],
            organisation=form.cleaned_data["organisation"],
            role=form.cleaned_data["role"],
            departements=form.cleaned_data.get("departements") or [],
            by=request.user,
        )
        obj.pk = grant.pk

    def save_related(self, request, form, formsets, change):
        """Les départements sont posés par `request_role_grant`."""

    def _decide(self, request, queryset, service, done):
        for grant in queryset.filter(status=RoleGrantStatus.PENDING):
            try:
                service(grant=grant, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{grant} : {text}", messages.ERROR)
            else:
                self.message_user(request, f"{grant} : {done}", messages.SUCCESS)

    @admin.action(description="Approuver les attributions sélectionnées (second administrateur)")
    def approve(self, request, queryset):
        self._decide(request, queryset, approve_role_grant, "approuvée, le rôle est attribué.")

    @admin.action(description="Refuser les attributions sélectionnées")
    def refuse(self, request, queryset):
        self._decide(request, queryset, refuse_role_grant, "refusée.")


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
