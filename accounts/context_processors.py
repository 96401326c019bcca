def current_membership(request):
    """Rend l'adhésion courante disponible dans tous les gabarits (en-tête, navigation par rôle)."""
    return {"current_membership": getattr(request, "membership", None)}


def navigation(request):
    """Le menu principal selon le rôle de l'adhésion courante ; aucun menu tant que le second facteur de la session
    n'est pas vérifié (ses liens renverraient tous vers la vérification)."""
    from django.urls import reverse

    from accounts.two_factor import is_session_verified
    from mniop.roles import NATIONAL_ROLES, ORGANISATION_ADMIN_ROLES, OVERSIGHT_ROLES, Role

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not is_session_verified(request):
        return {"navigation": []}

    #: Les rôles qui ont un tableau de bord statistique (observatoire/scope.py, `STATISTICS_ROLES`).
    STATISTICS_ROLES = {
        Role.MIPROF_AGENT,
        Role.MIPROF_ADMIN,
        Role.DEPARTMENTAL_VALIDATOR,
        Role.ASSOCIATION_ADMIN,
        Role.STATISTICIAN,
    }
    membership = getattr(request, "membership", None)
    items = [("Accueil", reverse("home")), ("Annuaire", reverse("directory:directory_home"))]
    if membership is not None:
        organisation_url = reverse("accounts:organisation_detail", args=[membership.organisation.public_id])
        items.append(("Mon organisation", organisation_url))
        if membership.role in (Role.ASSOCIATION_AGENT, Role.ASSOCIATION_ADMIN):
            items.append(("Mes signalements", reverse("signalements:signalement_list")))
        if membership.role in ORGANISATION_ADMIN_ROLES:
            items.append(
                ("Membres", reverse("accounts:organisation_members", args=[membership.organisation.public_id]))
            )
        if membership.role in (Role.ASSOCIATION_AGENT, Role.ASSOCIATION_ADMIN):
            items.append(("Nouveau signalement", reverse("signalements:draft_create")))
        if membership.organisation.kind == "shelter":
            items.append(("Hébergement", reverse("orientation:shelter_home")))
        if membership.organisation.kind == "acse":
            items.append(("Coordination Ac.Sé", reverse("orientation:acse_dispatch")))
        if membership.role in NATIONAL_ROLES:
            items.append(("Organisations", reverse("accounts:organisation_list")))
        if membership.role in (Role.MIPROF_AGENT, Role.MIPROF_ADMIN):
            items.append(("File Miprof", reverse("orientation:miprof_queue")))
        if membership.role == Role.DEPARTMENTAL_VALIDATOR:
            items.append(("File du département", reverse("orientation:departement_queue")))
        if membership.role == Role.MIPROF_ADMIN:
            items.append(("Délais", reverse("orientation:clock_settings")))
            items.append(("Hébergements", reverse("orientation:shelter_list")))
        if membership.role in STATISTICS_ROLES:
            items.append(("Statistiques", reverse("observatoire:statistics_dashboard")))
        if membership.role in OVERSIGHT_ROLES:
            items.append(("Journal d'accès", reverse("accounts:access_log_list")))
            items.append(("Listes de référence", reverse("signalements:reference_value_list")))
        if membership.role == Role.PLATFORM_ADMIN:
            items.append(("Administration", reverse("admin:index")))
    path = request.path
    matches = [url for _, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len) if matches else None
    return {"navigation": [{"label": label, "url": url, "current": url == current} for label, url in items]}


def on_call_warning(request):
    """Pour l'administration de la Miprof : la liste d'astreinte est-elle vide ? (accueil, page des membres).
    Évalué seulement si le gabarit le lit, et seulement pour ce rôle."""
    from accounts import recipients
    from mniop.roles import MIPROF_ADMIN_ROLES

    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in MIPROF_ADMIN_ROLES:
        return {"on_call_list_is_empty": False}
    return {"on_call_list_is_empty": recipients.on_call_list_is_empty}
