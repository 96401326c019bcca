"""L'administration Django, réservée aux administrateurs de la plateforme (rôle `platform_admin`).

Elle sert aux données de référence et aux organisations ; elle n'expose jamais de données de cas.
"""

from django.contrib import admin


class PlatformAdminSite(admin.AdminSite):
    site_header = "MNIOP — administration de la plateforme"
    site_title = "MNIOP administration"
    index_title = "Données de référence et organisations"

    def has_permission(self, request):
        """Comme `django_otp.admin.OTPAdminSite` : sans second facteur vérifié, pas d'administration."""
        user = request.user
        is_verified = getattr(user, "is_verified", None)
        return user.is_active and user.is_authenticated and user.is_staff and bool(is_verified and is_verified())


class PlatformAdminPermissions:
    """Un administrateur de la plateforme peut tout faire sur les modèles enregistrés ici ; personne d'autre."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff


class PlatformAdminModelAdmin(PlatformAdminPermissions, admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_staff


class PlatformAdminInline(PlatformAdminPermissions, admin.TabularInline):
    pass


class ReadOnlyModelAdmin(PlatformAdminModelAdmin):
    """Pour les tables en ajout seul (journal d'accès, historique) : consultation uniquement."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
