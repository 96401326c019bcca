"""Les procédures judiciaires d'un dossier : une page pour enregistrer une procédure, une pour la mettre à jour ;
le dossier les liste (`templates/orientation/procedures/section.html`). Les règles sont dans
`orientation.services.procedures`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.audit import log_access
from accounts.models import AccessAction
from orientation.forms import ProcedureForm
from orientation.permissions import can_edit_procedure
from orientation.services import procedures
from orientation.views.cases import visible_signalement
from orientation.views.measures import submit_case_form
from signalements import lifecycle


def _page(request, signalement, form, procedure=None, status=200):
    name = "update_procedure" if procedure is not None else "record_procedure"
    refusal = ""
    if not lifecycle.allows(signalement, name):
        refusal = lifecycle.refusal(signalement, lifecycle.transition(name).label).messages[0]
    context = {"signalement": signalement, "form": form, "procedure": procedure, "refusal": refusal}
    return render(request, "orientation/procedures/procedure_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def procedure_create(request, public_id):
    """« Ajouter une procédure judiciaire » : le formulaire a sa page."""
    signalement = visible_signalement(request.user, public_id)
    if not can_edit_procedure(request.user, signalement):
        raise PermissionDenied
    if request.method == "POST":
        form = ProcedureForm(request.POST, prefix="procedure")
        return submit_case_form(
            request,
            signalement,
            form,
            lambda data: procedures.record_procedure(signalement=signalement, by=request.user, **data),
            success="La procédure judiciaire est enregistrée.",
            on_error=lambda status: _page(request, signalement, form, status=status),
        )
    log_access(request, action=AccessAction.READ, obj=signalement)
    return _page(request, signalement, ProcedureForm(prefix="procedure"))


@require_http_methods(["GET", "POST"])
def procedure_update(request, public_id, procedure_id):
    """Mettre à jour une procédure : stade, partie civile, indemnisation."""
    signalement = visible_signalement(request.user, public_id)
    procedure = procedures.visible_procedure(signalement, procedure_id)
    if procedure is None:
        raise Http404
    if not can_edit_procedure(request.user, signalement):
        raise PermissionDenied
    if request.method == "POST":
        form = ProcedureForm(request.POST, prefix="procedure")
        return submit_case_form(
            request,
            signalement,
            form,
            lambda data: procedures.update_procedure(procedure=procedure, by=request.user, **data),
            success="La procédure judiciaire est mise à jour.",
            on_error=lambda status: _page(request, signalement, form, procedure, status=status),
        )
    initial = {name: getattr(procedure, name) for name in procedures.FIELDS}
    log_access(request, action=AccessAction.READ, obj=signalement)
    return _page(request, signalement, ProcedureForm(initial=initial, prefix="procedure"), procedure)
