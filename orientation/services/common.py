from django.core.exceptions import PermissionDenied

from signalements.models import Signalement


def lock(signalement):
    return (
        Signalement.objects.select_for_update(of=("self",))
        .select_related("departement", "competent_departement")
        .get(pk=signalement.pk)
    )


def require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)
