from django.core.exceptions import PermissionDenied, ValidationError

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


def require_status(signalement, statuses, action):
    """Refuse une transition depuis un état qui ne la permet pas, avec l'état actuel en clair."""
    if signalement.status not in statuses:
        raise ValidationError(
            f"Impossible de {action} : le signalement est à l'état « {signalement.get_status_display()} »."
        )
