"""Les jetons d'API d'une organisation : lister, créer (le secret s'affiche une seule fois), révoquer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from accounts.audit import log_access
from accounts.forms import ApiTokenForm
from accounts.models import AccessAction, ApiToken
from accounts.permissions import can_manage_api_tokens
from accounts.services_api_tokens import create_api_token, revoke_api_token
from accounts.views.organisations import visible_organisation
from mniop.forms import add_service_errors


def managed_organisation(request, public_id):
    organisation = visible_organisation(request, public_id)
    if not can_manage_api_tokens(request.user, organisation):
        raise PermissionDenied
    return organisation


@never_cache
@login_required
def api_token_list(request, public_id):
    """La liste et le formulaire de création. Après une création, la page montre le secret, une seule fois :
    il n'est gardé nulle part (seule son empreinte l'est) et la réponse n'est pas mise en cache."""
    organisation = managed_organisation(request, public_id)
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = create_api_token(
                organisation=organisation, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.CREATE, obj=token)
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(organisation=organisation).select_related("created_by")
    log_access(request, action=AccessAction.READ, model=ApiToken, object_id=str(organisation.public_id))
    return render(
        request,
        "accounts/api_token_list.html",
        {"organisation": organisation, "tokens": tokens, "form": form, "secret": secret},
    )


@login_required
def api_token_revoke(request, public_id, token_id):
    organisation = managed_organisation(request, public_id)
    token = get_object_or_404(ApiToken.objects.filter(organisation=organisation), public_id=token_id)
    if request.method == "POST":
        try:
            revoke_api_token(token=token, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            log_access(request, action=AccessAction.UPDATE, obj=token)
            messages.success(request, f"Le jeton « {token.name} » est révoqué : il n'authentifie plus aucune requête.")
        return redirect("accounts:api_token_list", public_id=organisation.public_id)
    return render(request, "accounts/api_token_revoke.html", {"organisation": organisation, "token": token})
