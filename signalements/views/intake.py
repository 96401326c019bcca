"""Le formulaire de signalement en étapes : création, étapes du brouillon, reprise, récapitulatif, dépôt.

Chaque étape enregistre le brouillon (« Suivant », « Précédent », « Enregistrer et quitter ») et
`static/js/autosave.js` l'enregistre en arrière-plan : requête POST avec l'en-tête `X-Autosave: 1` (ou le champ
`autosave=1` pour `navigator.sendBeacon`), réponse 204 (201 avec `Location` à la création), ou 400 avec les erreurs
en JSON. Ce qui est valide est toujours enregistré ; seul le dépôt exige un signalement complet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from mniop.forms import add_service_errors
from mniop.roles import current_membership
from signalements.duplicates import probably_filed_already
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.forms.intake import REQUIRED_FOR_SUBMISSION, STEP_OF_FIELD, STEPS, STEPS_BY_SLUG, SUMMARY_SLUG
from signalements.models import Signalement
from signalements.notifications import signalement_path
from signalements.permissions import can_edit_signalement, filing_refusal
from signalements.presentation import display
from signalements.services.drafts import (
    RELEVANCE,
    create_draft,
    submission_errors,
    submit_signalement,
    update_draft,
)
from signalements.services.link_requests import request_link

CANNOT_EDIT = (
    "Vous ne pouvez pas modifier ce brouillon : seuls son auteur et l'administrateur de la structure le peuvent."
)
SAVED = "Brouillon enregistré. Vous pourrez le reprendre où vous l'avez laissé."


def _refused(request, reason):
    return render(request, "signalements/intake/filing_refused.html", {"reason": reason}, status=403)


def _is_autosave(request):
    return request.headers.get("X-Autosave") == "1" or request.POST.get("autosave") == "1"


def step_url(signalement, step):
    return reverse("signalements:draft_step", args=[signalement.public_id, step.slug])


def _draft(request, public_id):
    """Le brouillon, s'il est dans le périmètre de la personne (404 sinon)."""
    return get_object_or_404(
        Signalement.objects.visible_to(request.user).select_related("organisation", "departement"),
        public_id=public_id,
    )


def _editable_draft(request, public_id):
    """(brouillon, None) si la personne peut le modifier ; sinon (signalement, la réponse à donner à la place) : la
    confirmation s'il est déjà déposé, 403 s'il est visible mais pas modifiable."""
    signalement = _draft(request, public_id)
    if signalement.status != SignalementStatus.DRAFT:
        return signalement, redirect("signalements:signalement_submitted", public_id=signalement.public_id)
    if not can_edit_signalement(request.user, signalement):
        return signalement, _refused(request, CANNOT_EDIT)
    return signalement, None


def _save(form, save):
    """Enregistre ce que l'étape a de valide ; les erreurs (du formulaire ou du service) restent sur le formulaire.
    Renvoie le signalement enregistré, ou None si rien n'a pu l'être."""
    form.is_valid()
    fields = dict(form.cleaned_data)
    try:
        return save(**fields)
    except ValidationError as error:
        add_service_errors(form, error)
        if not hasattr(error, "error_dict"):
            return None
        rest = {name: value for name, value in fields.items() if name not in error.error_dict}
    try:
        return save(**rest)
    except ValidationError:
        return None


def step_warnings(signalement, step):
    """Ce que le dépôt refuserait encore dans cette étape (les règles du service, `submission_errors`), vérifié à
    chaque enregistrement : [{"field", "label", "message", "url"}], vide pour un brouillon pas encore créé."""
    if signalement is None or signalement.pk is None or step.form_class is None:
        return []
    # Les consentements, lus une fois pour toutes les règles qui les regardent.
    prefetch_related_objects([signalement], "consents")
    return [
        {"field": name, "label": step.form_class.base_fields[name].label, "message": message, "url": f"#id_{name}"}
        for name, message in submission_errors(signalement).items()
        if name in step.fields
    ]


def step_relevance(form):
    """Les champs de l'étape qui n'ont d'objet que pour certaines réponses d'un autre champ de l'étape, pour
    `static/js/relevance.js` : {champ: {"controllers": [...], "values": [...]}}, dans l'ordre de la table."""
    return {
        name: {"controllers": list(rule.controllers), "values": sorted(rule.values)}
        for name, rule in RELEVANCE.items()
        if name in form.fields and all(controller in form.fields for controller in rule.controllers)
    }


def _autosave_response(form, signalement, step, created):
    body = {"warnings": step_warnings(signalement, step)}
    if form.errors:
        body["errors"] = {name: [str(message) for message in errors] for name, errors in form.errors.items()}
        response = JsonResponse(body, status=400)
    elif body["warnings"] or created:
        response = JsonResponse(body, status=201 if created else 200)
    else:
        response = HttpResponse(status=204)
    if created and signalement is not None:
        response["Location"] = step_url(signalement, STEPS[0])
    return response


def _step_context(step, form, signalement=None, checked=False):
    index = STEPS.index(step)
    fields = []
    for bound_field in form:
        groups = (
            form.grouped_choices(bound_field.name) if bound_field.widget_type == "checkboxselectmultiple" else None
        )
        fields.append((bound_field, groups))
    return {
        "step": step,
        "steps": STEPS,
        "index": index + 1,
        "total": len(STEPS),
        "previous_step": STEPS[index - 1] if index else None,
        "next_step": STEPS[index + 1] if index + 1 < len(STEPS) else None,
        "form": form,
        "fields": fields,
        "signalement": signalement,
        "checked": checked,
        "warnings": step_warnings(signalement, step),
        "relevance": step_relevance(form),
        "required_for_submission": REQUIRED_FOR_SUBMISSION,
    }


def draft_create(request):
    """La première étape, avant que le brouillon existe : il naît au premier enregistrement (jamais vide)."""
    refusal = filing_refusal(request.user)
    if refusal is not None:
        return _refused(request, refusal)
    step = STEPS[0]
    organisation = current_membership(request.user).organisation
    form = step.form_class(request.POST or None, signalement=Signalement(organisation=organisation))
    if request.method != "POST":
        return render(request, "signalements/intake/draft_step.html", _step_context(step, form))
    signalement = _save(form, lambda **fields: create_draft(organisation=organisation, by=request.user, **fields))
    if signalement is not None:
        log_access(request, action=AccessAction.CREATE, obj=signalement)
    if _is_autosave(request):
        return _autosave_response(form, signalement, step, created=True)
    if signalement is None or form.errors:
        # Ce qui était valide est enregistré : le formulaire renvoie désormais au brouillon, pas à la création.
        context = _step_context(step, form, signalement)
        return render(request, "signalements/intake/draft_step.html", context, status=400)
    return _navigate(request, signalement, step)


def _navigate(request, signalement, step):
    index = STEPS.index(step)
    navigation = request.POST.get("navigation", "next")
    if warnings := step_warnings(signalement, step):
        labels = ", ".join(warning["label"] for warning in warnings)
        messages.warning(request, f"Étape « {step.title} » enregistrée. À compléter avant le dépôt : {labels}.")
    if navigation == "quit":
        messages.success(request, SAVED)
        return redirect("home")
    target = STEPS[max(index - 1, 0)] if navigation == "previous" else STEPS[min(index + 1, len(STEPS) - 1)]
    return redirect(step_url(signalement, target))


def draft_step(request, public_id, step):
    step = STEPS_BY_SLUG.get(step)
    if step is None:
        raise Http404("Cette étape n'existe pas.")
    signalement, refused = _editable_draft(request, public_id)
    if refused is not None:
        return refused
    if step.slug == SUMMARY_SLUG:
        return _summary(request, signalement, step)
    if request.method == "POST":
        form = step.form_class(request.POST, signalement=signalement)
        saved = _save(form, lambda **fields: update_draft(signalement=signalement, by=request.user, **fields))
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        if _is_autosave(request):
            return _autosave_response(form, saved, step, created=False)
        # Les règles du dépôt se lisent sur ce qui vient d'être enregistré.
        signalement = saved or signalement
        if not form.errors:
            return _navigate(request, signalement, step)
    else:
        form = step.form_class(signalement=signalement)
        log_access(request, action=AccessAction.READ, obj=signalement)
    checked = request.method == "GET" and "verifier" in request.GET
    if checked:
        form.add_submission_errors(submission_errors(signalement))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "signalements/intake/draft_step.html", _step_context(step, form, signalement, checked), status=status
    )


def _summary(request, signalement, step):
    log_access(request, action=AccessAction.READ, obj=signalement)
    # Les consentements, lus une fois pour les règles du dépôt et l'affichage de l'étape « Consentement ».
    prefetch_related_objects([signalement], "consents")
    errors = []
    for name, message in submission_errors(signalement).items():
        field_step = STEP_OF_FIELD.get(name, STEPS[0])
        label = field_step.form_class.base_fields[name].label if name in field_step.fields else name
        errors.append(
            {"label": label, "message": message, "url": f"{step_url(signalement, field_step)}?verifier=1#id_{name}"}
        )
    sections = [
        {
            "step": section,
            "url": step_url(signalement, section),
            "rows": [
                (section.form_class.base_fields[name].label, display(signalement, name)) for name in section.fields
            ],
        }
        for section in STEPS
        if section.form_class is not None
    ]
    index = STEPS.index(step)
    refusal = filing_refusal(request.user)
    context = {
        "step": step,
        "steps": STEPS,
        "index": index + 1,
        "total": len(STEPS),
        "previous_step": STEPS[index - 1],
        "signalement": signalement,
        "errors": errors,
        "sections": sections,
        "refusal": refusal,
        "can_submit": not errors and refusal is None,
        "probably_filed_already": probably_filed_already(signalement),
        "pending_link_request": signalement.link_requests.pending().exists(),
    }
    return render(request, "signalements/intake/draft_summary.html", context)


def draft_resume(request, public_id):
    """Reprendre un brouillon : à la dernière étape modifiée, sinon à la première étape incomplète."""
    signalement, refused = _editable_draft(request, public_id)
    if refused is not None:
        return refused
    log_access(request, action=AccessAction.READ, obj=signalement)
    events = signalement.events.filter(
        kind__in=[SignalementEventKind.CREATED, SignalementEventKind.DRAFT_SAVED]
    ).order_by("-at", "-id")
    for data in events.values_list("data", flat=True)[:50]:
        edited = [STEP_OF_FIELD[name] for name in data.get("fields", []) if name in STEP_OF_FIELD]
        if edited:
            return redirect(step_url(signalement, max(edited, key=STEPS.index)))
    errors = submission_errors(signalement)
    incomplete = [STEP_OF_FIELD[name] for name in errors if name in STEP_OF_FIELD]
    target = min(incomplete, key=STEPS.index) if incomplete else STEPS_BY_SLUG[SUMMARY_SLUG]
    return redirect(step_url(signalement, target))


@require_POST
def draft_submit(request, public_id):
    signalement, refused = _editable_draft(request, public_id)
    if refused is not None:
        return refused
    refusal = filing_refusal(request.user)
    if refusal is not None:
        return _refused(request, refusal)
    try:
        signalement = submit_signalement(signalement=signalement, by=request.user)
    except ValidationError:
        messages.error(
            request, "Le signalement n'est pas complet : corrigez les points ci-dessous avant de le déposer."
        )
        return redirect(step_url(signalement, STEPS_BY_SLUG[SUMMARY_SLUG]))
    log_access(request, action=AccessAction.UPDATE, obj=signalement)
    return redirect("signalements:signalement_submitted", public_id=signalement.public_id)


def signalement_submitted(request, public_id):
    """La confirmation du dépôt : la référence et la suite."""
    signalement = _draft(request, public_id)
    if signalement.status == SignalementStatus.DRAFT:
        return redirect("signalements:draft_resume", public_id=signalement.public_id)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render(request, "signalements/intake/signalement_submitted.html", {"signalement": signalement})


@require_POST
def link_request_create(request, public_id):
    """« Demander au Miprof de rapprocher ces signalements » : depuis le récapitulatif du brouillon (ou l'espace de
    travail d'un signalement déposé). La structure n'apprend rien de l'autre signalement."""
    signalement = _draft(request, public_id)
    try:
        request_link(signalement=signalement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        return _refused(request, str(error))
    else:
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        messages.success(
            request, "Demande envoyée : la Miprof rapprochera les signalements et vous dira ce qu'elle a décidé."
        )
    if signalement.status == SignalementStatus.DRAFT:
        return redirect(step_url(signalement, STEPS_BY_SLUG[SUMMARY_SLUG]))
    return redirect(signalement_path(signalement) + "#rapprochement")
