"""Le parcours sur la page du dossier : les mesures (enregistrer, faire évoluer) et la fiche d'information des
droits de la victime en sept langues. Les règles sont dans `orientation.services.measures`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from mniop.forms import add_service_errors
from orientation import forms as f
from orientation.journey import measure_actions
from orientation.permissions import can_download_rights_sheet, can_record_measure
from orientation.rights_sheet import LANGUAGES, render_rights_sheet
from orientation.services import measures
from orientation.views.cases import render_case, visible_signalement
from signalements import lifecycle


def submit_case_form(request, signalement, form, run, *, success, on_error):
    """Lance le service si le formulaire est valide : succès, retour au dossier ; refus, la page du formulaire
    (`on_error(status)`) avec les erreurs en français à côté des champs (400)."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            messages.success(request, success)
            return redirect("orientation:case_detail", public_id=signalement.public_id)
    signalement.refresh_from_db()
    log_access(request, action=AccessAction.READ, obj=signalement)
    return on_error(400)


def _measure_page(request, signalement, form, status=200):
    refusal = ""
    if not lifecycle.allows(signalement, "record_measure"):
        refusal = lifecycle.refusal(signalement, lifecycle.transition("record_measure").label).messages[0]
    context = {"signalement": signalement, "form": form, "refusal": refusal}
    return render(request, "orientation/measures/measure_create.html", context, status=status)


@require_http_methods(["GET", "POST"])
def measure_create(request, public_id):
    """« Ajouter une mesure » : le formulaire a sa page ; le dossier liste les mesures et renvoie ici."""
    signalement = visible_signalement(request.user, public_id)
    if not can_record_measure(request.user, signalement):
        raise PermissionDenied
    if request.method == "POST":
        form = f.MeasureForm(request.POST, prefix="mesure", signalement=signalement)
        return submit_case_form(
            request,
            signalement,
            form,
            lambda data: measures.record_measure(signalement=signalement, by=request.user, **data),
            success="La mesure est enregistrée.",
            on_error=lambda status: _measure_page(request, signalement, form, status),
        )
    log_access(request, action=AccessAction.READ, obj=signalement)
    return _measure_page(request, signalement, f.MeasureForm(prefix="mesure", signalement=signalement))


@require_POST
def measure_update(request, public_id, measure_id):
    signalement = visible_signalement(request.user, public_id)
    measure = measures.visible_measure(signalement, measure_id)
    if measure is None:
        raise Http404
    if not can_record_measure(request.user, signalement):
        raise PermissionDenied
    form = f.MeasureUpdateForm(request.POST, actions=measure_actions(measure), prefix=f"mesure-{measure.public_id}")
    return submit_case_form(
        request,
        signalement,
        form,
        lambda data: measures.change_measure_status(
            measure=measure, by=request.user, action=data["action"], on=data["on"], ends_on=data["ends_on"]
        ),
        success="La mesure est mise à jour.",
        on_error=lambda status: render_case(
            request, signalement, status=status, journey={"bound_update": (measure.pk, form)}
        ),
    )


def rights_sheet(request, public_id, language):
    """La fiche d'information des droits pour la victime, dans sa langue : téléchargement journalisé."""
    if language not in dict(LANGUAGES):
        raise Http404
    signalement = visible_signalement(request.user, public_id)
    if not can_download_rights_sheet(request.user, signalement):
        raise PermissionDenied
    pdf = render_rights_sheet(signalement, language)
    log_access(request, action=AccessAction.DOWNLOAD, obj=signalement)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="vos-droits-{language}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
