def current_membership(request):
    """Rend l'adhésion courante disponible dans tous les gabarits (en-tête, navigation par rôle)."""
    return {"current_membership": getattr(request, "membership", None)}
