"""Les jetons d'API d'une organisation : lister, créer (le secret s'affiche une seule fois), révoquer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.forms import ApiTokenForm
from accounts.models import AccessAction, ApiToken
from accounts.permissions import can_approve_api_token, can_manage_api_tokens
from accounts.reauth import recent_auth_required
from accounts.services_api_tokens import approve_api_token, create_api_token, revoke_api_token
from accounts.views.organisations import visible_organisation
from mniop.forms import add_service_errors


def managed_organisation(request, public_id):
    organisation = visible_organisation(request, public_id)
    if not can_manage_api_tokens(request.user, organisation):
        raise PermissionDenied
    return organisation


#: Le secret d'un jeton tout juste créé attend dans la session la page suivante (POST-redirect-GET), qui le retire.
SECRET_SESSION_KEY = "api_token_secret"


def _pop_new_secret(request, organisation):
    """Le secret créé pour cette organisation, une seule fois : il est retiré de la session dès qu'il est lu."""
    pending = request.session.get(SECRET_SESSION_KEY)
    if not pending or pending.get("organisation") != str(organisation.public_id):
        return None
    del request.session[SECRET_SESSION_KEY]
    return pending["secret"]


@never_cache
@recent_auth_required(only_writes=True)
def api_token_list(request, public_id):
    """La liste et le formulaire de création. Une création redirige vers la liste (recharger la page ne crée pas
    de second jeton), qui montre le secret une seule fois : la session le garde jusqu'à cet affichage, la base n'en
    garde que l'empreinte, et la réponse n'est pas mise en cache."""
    organisation = managed_organisation(request, public_id)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = create_api_token(organisation=organisation, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.CREATE, obj=token)
            request.session[SECRET_SESSION_KEY] = {"organisation": str(organisation.public_id), "secret": secret}
            return redirect("accounts:api_token_list", public_id=organisation.public_id)
    tokens = ApiToken.objects.filter(organisation=organisation).select_related("created_by", "approved_by")
    log_access(request, action=AccessAction.READ, model=ApiToken, object_id=str(organisation.public_id))
    return render(
        request,
        "accounts/api_token_list.html",
        {
            "organisation": organisation,
            "tokens": tokens,
            "form": form,
            "secret": _pop_new_secret(request, organisation),
            "can_approve": {
                token.pk for token in tokens if token.is_pending and can_approve_api_token(request.user, token)
            },
        },
    )


def managed_token(request, public_id, token_id):
    organisation = managed_organisation(request, public_id)
    return organisation, get_object_or_404(ApiToken.objects.filter(organisation=organisation), public_id=token_id)


def change_token(request, organisation, token, service, done):
    """Applique le service au jeton, journalise, et revient à la liste avec le message (ou l'erreur) en français."""
    try:
        service(token=token, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        log_access(request, action=AccessAction.UPDATE, obj=token)
        messages.success(request, f"Le jeton « {token.name} » est {done}.")
    return redirect("accounts:api_token_list", public_id=organisation.public_id)


def api_token_revoke(request, public_id, token_id):
    organisation, token = managed_token(request, public_id, token_id)
    if request.method == "POST":
        return change_token(
            request, organisation, token, revoke_api_token, "révoqué : il n'authentifie plus aucune requête"
        )
    return render(request, "accounts/api_token_revoke.html", {"organisation": organisation, "token": token})


@require_POST
@recent_auth_required
def api_token_approve(request, public_id, token_id):
    """Le second administrateur de la Miprof approuve un jeton créé par un collègue."""
    organisation, token = managed_token(request, public_id, token_id)
    return change_token(
        request, organisation, token, approve_api_token, "approuvé : il authentifie désormais les requêtes"
    )
