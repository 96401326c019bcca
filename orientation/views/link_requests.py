"""Les demandes de rapprochement (chercher avant de créer, issue 16), côté Miprof : la page d'une demande, qui dit la
conséquence de chaque réponse avant de l'envoyer (confirmer : le signalement est clos comme doublon ; écarter : avec
un motif que la structure lira). Vues minces : portée `visible_to`, règles dans
`orientation.services.link_requests`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts.audit import log_access
from accounts.models import AccessAction
from mniop.forms import add_service_errors
from orientation.forms import LinkConfirmForm, LinkDismissForm
from orientation.permissions import can_triage_signalement
from orientation.services import link_requests
from signalements.duplicates import possible_duplicates
from signalements.models import LinkRequest, Signalement


def _link_request(request, public_id, request_id):
    signalement = get_object_or_404(Signalement.objects.visible_to(request.user), public_id=public_id)
    link_request = get_object_or_404(LinkRequest.objects.filter(signalement=signalement), public_id=request_id)
    return signalement, link_request


def link_request_detail(request, public_id, request_id):
    """La page d'une demande de rapprochement, pour la Miprof (403 pour les autres rôles qui voient le dossier)."""
    signalement, link_request = _link_request(request, public_id, request_id)
    if not can_triage_signalement(request.user):
        raise PermissionDenied
    candidates = possible_duplicates(signalement, user=request.user)
    confirm_form = LinkConfirmForm(prefix="confirmer", candidates=candidates)
    dismiss_form = LinkDismissForm(prefix="ecarter")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirmer":
                confirm_form = LinkConfirmForm(request.POST, prefix="confirmer", candidates=candidates)
                if confirm_form.is_valid():
                    link_requests.confirm_link(
                        link_request=link_request, original=confirm_form.cleaned_data["original"], by=request.user
                    )
                    messages.success(request, "Rapprochement confirmé : le signalement est clos comme doublon.")
            elif action == "ecarter":
                dismiss_form = LinkDismissForm(request.POST, prefix="ecarter")
                if dismiss_form.is_valid():
                    link_requests.dismiss_link(
                        link_request=link_request, reason=dismiss_form.cleaned_data["reason"], by=request.user
                    )
                    messages.success(request, "Rapprochement écarté : la structure en est prévenue avec le motif.")
        except ValidationError as error:
            add_service_errors(confirm_form if action == "confirmer" else dismiss_form, error)
        if not (confirm_form.errors or dismiss_form.errors) and action in ("confirmer", "ecarter"):
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            return redirect("orientation:case_detail", public_id=signalement.public_id)
        status = 400
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render(
        request,
        "orientation/link_request.html",
        {
            "signalement": signalement,
            "link_request": link_request,
            "candidates": candidates,
            "confirm_form": confirm_form,
            "dismiss_form": dismiss_form,
        },
        status=status,
    )
