"""Écrire une ligne du journal d'accès. Chaque vue ou point d'API qui lit ou écrit des données protégées l'appelle,
dans la transaction de la requête (ATOMIC_REQUESTS). La base chaîne chaque ligne à la précédente à l'insertion
(`accounts/access_chain.py`) : rien à faire ici."""

from accounts.models import AccessAction, AccessLog
from mniop.observability.context import current_request_id


def object_public_id(obj):
    return str(getattr(obj, "public_id", obj.pk))


def log_access(request, *, action, obj=None, model=None, object_id=""):
    """Journalise un accès : `obj` pour un objet, `model` (et pas d'identifiant) pour une liste ou une recherche."""
    if action not in AccessAction.values:
        raise ValueError(f"Action inconnue : {action}")
    model = model or type(obj)
    membership = getattr(request, "membership", None)
    match = getattr(request, "resolver_match", None)
    return AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        organisation_id=membership.organisation_id if membership else None,
        role=membership.role if membership else "",
        action=action,
        object_type=model._meta.label_lower,
        object_id=object_public_id(obj) if obj is not None else object_id,
        view_name=(match.view_name if match else "")[:150],
        path=request.path[:500],
        method=request.method,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        request_id=getattr(request, "request_id", "") or current_request_id(),
        # Un dossier de mineur·e (`Signalement.is_minor`) : l'accès est signalé, quel que soit l'objet lu.
        concerns_minor=bool(getattr(obj, "is_minor", False)),
    )
