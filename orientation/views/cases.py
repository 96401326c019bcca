"""L'espace de travail d'un dossier, la seule page d'un dossier déposé pour tous les rôles qui le voient (Miprof,
valideur·ses, organisation déclarante avant et après la transmission, structures, coordination Ac.Sé) : « Et
maintenant ? », résumé et délais, signalement (contenu déposé, récit, demandes de complément et leur formulaire de
réponse), décision, hébergement, mesures, documents, journal, et les actions permises à la personne (une page
chacune, erreurs en français). L'ancienne page `/signalements/<uuid>/` y renvoie."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reauth import recent_auth_required
from mniop.db import joins_in_written_order
from mniop.forms import add_service_errors
from orientation import referral_forms
from orientation.case_actions import ACTIONS
from orientation.documents import letter_url
from orientation.enums import MeasureStatus
from orientation.journey import journey_context, procedures_context
from orientation.models import Clock, Referral
from orientation.models.shelters import OPEN_REFERRAL_STATUSES
from orientation.next_steps import next_steps
from orientation.permissions import (
    can_add_attachment,
    can_break_glass,
    can_download_decision_letter,
    can_propose_referral,
    can_read_attachments,
    can_record_minor_protection,
    is_miprof,
)
from orientation.sealed import reveal_locations
from orientation.services import attachments, break_glass
from orientation.services.referrals import already_running_message
from signalements import lifecycle
from signalements.duplicates import possible_duplicates
from signalements.enums import SignalementStatus
from signalements.forms.cases import InformationRequestAnswerForm
from signalements.models import Signalement
from signalements.permissions import (
    can_answer_information_request,
    can_read_account,
    can_share_signalement,
    in_scope,
)
from signalements.presentation import FOREIGN_KEYS, MANY_FIELDS, CasePresenter, identity_access, signalement_groups
from signalements.services.information_requests import answer_information_request
from signalements.timeline import case_timeline


def visible_signalement(user, public_id):
    queryset = (
        Signalement.objects.visible_to(user)
        .select_related(
            "departement",
            "competent_departement",
            "assigned_to",
            "organisation",
            "duplicate_of",
            "closure_reason",
            "created_by",
            "submitted_by",
            *FOREIGN_KEYS,
        )
        .prefetch_related(*MANY_FIELDS, "consents")
    )
    with joins_in_written_order():  # onze jointures externes depuis une seule ligne : ne pas chercher d'autre ordre
        signalement = get_object_or_404(queryset, public_id=public_id)
    return in_scope(signalement, user)


def case_signalement_context(request, signalement, information_requests):
    """La section « Signalement » : le contenu déposé, le récit (si la personne le lit), les demandes de
    complément, chacune avec son formulaire de réponse pour l'organisation déclarante (ancre
    `#complement-<uuid>`, où mènent les notifications), les doublons possibles (Miprof) et le lien vers le
    partage."""
    user = request.user
    identity = identity_access(user, signalement)
    pending = [information_request for information_request in information_requests if information_request.is_pending]
    can_answer = bool(pending) and can_answer_information_request(user, pending[0])
    bound = getattr(request, "bound_answer_form", None)
    for information_request in pending:
        if can_answer:
            is_bound = bound is not None and bound[0].pk == information_request.pk
            information_request.form = bound[1] if is_bound else InformationRequestAnswerForm()
    return {
        "identity": identity,
        "groups": signalement_groups(signalement, identity),
        "can_read_account": can_read_account(user, signalement),
        "can_share": can_share_signalement(user, signalement),
        "possible_duplicates": possible_duplicates(signalement, user=user),
    }


def case_referral_context(request, signalement):
    """La section « Hébergement » de la page du dossier (`orientation/includes/referrals.html`)."""
    user = request.user
    case_referrals = list(
        Referral.objects.visible_to(user)
        .filter(signalement=signalement)
        .select_related("shelter__organisation", "shelter__departement", "refusal_reason", "departure_reason")
    )
    emergency, emergency_reads = reveal_locations(user, signalement, case_referrals)
    for referral in emergency_reads:
        log_access(request, action=AccessAction.READ, obj=referral)
    # Un lieu d'hébergement ou une adresse d'élection de domicile scellés : l'accès d'urgence se propose.
    has_sealed = any(r.location["sealed"] and r.shelter_id for r in case_referrals) or (
        signalement.measures.exclude(service_address_kind="").exists()
    )
    minor = signalement.is_minor
    bound = getattr(request, "bound_referral_forms", {})
    running = next((r for r in case_referrals if r.status in OPEN_REFERRAL_STATUSES), None)
    return {
        "case_referrals": case_referrals,
        "can_propose_referral": can_propose_referral(user, signalement),
        # « Chercher une place » n'est pas proposé pendant une orientation en cours : la page dit pourquoi.
        "running_referral_message": already_running_message(running) if running else "",
        "break_glass_access": emergency,
        "break_glass_form": bound.get("bris") or referral_forms.BreakGlassForm(prefix="bris")
        if has_sealed and emergency is None and can_break_glass(user, signalement)
        else None,
        "minor_protection": getattr(signalement, "minor_protection", None) if minor else None,
        "minor_protection_form": bound.get("mineurs") or referral_forms.MinorProtectionForm(prefix="mineurs")
        if minor and can_record_minor_protection(user, signalement)
        else None,
    }


#: Le journal de l'espace de travail montre les derniers événements ; les plus anciens sont repliés.
RECENT_EVENTS = 3
#: Les mesures qui ne sont plus en jeu : repliées sous le tableau des mesures en cours.
PAST_MEASURE_STATUSES = (MeasureStatus.REFUSED, MeasureStatus.NO_FOLLOW_UP, MeasureStatus.ENDED)


def folded_context(timeline, case_referrals, journey_measures, clocks, information_requests):
    """Ce que l'espace de travail replie (`<details>`, fermé par défaut, ouvert au clavier comme à la souris) : les
    événements du journal avant les RECENT_EVENTS derniers, les orientations terminées, les mesures passées, les
    délais terminés, les demandes de complément traitées (répondues ou annulées)."""
    past = [item for item in timeline if not item.is_upcoming]
    upcoming = [item for item in timeline if item.is_upcoming]
    cut = max(len(past) - RECENT_EVENTS, 0)
    return {
        "timeline": past[cut:] + upcoming,
        "older_timeline": past[:cut],
        "open_referrals": [r for r in case_referrals if r.status in OPEN_REFERRAL_STATUSES],
        "closed_referrals": [r for r in case_referrals if r.status not in OPEN_REFERRAL_STATUSES],
        "current_measures": [m for m in journey_measures if m.status not in PAST_MEASURE_STATUSES],
        "past_measures": [m for m in journey_measures if m.status in PAST_MEASURE_STATUSES],
        "running_clocks": [clock for clock in clocks if not clock.stopped_at],
        "stopped_clocks": [clock for clock in clocks if clock.stopped_at],
        "pending_requests": [request for request in information_requests if request.is_pending],
        "treated_requests": [request for request in information_requests if not request.is_pending],
    }


def render_case(request, signalement, status=200, journey=None):
    user = request.user
    case_decisions = list(
        signalement.decisions.select_related("departement", "decided_by", "reason", "redirected_to").order_by(
            "decided_at", "id"
        )
    )
    can_download = can_download_decision_letter(user, signalement)
    for decision in case_decisions:
        decision.letter_url = letter_url(decision, request.user) if can_download else ""
    information_requests = list(signalement.information_requests.select_related("requested_by", "answered_by"))
    for information_request in information_requests:
        information_request.signalement = signalement
    clocks = list(Clock.objects.filter(signalement=signalement).select_related("territory"))
    section = case_signalement_context(request, signalement, information_requests)
    context = {
        "signalement": signalement,
        "case": CasePresenter(
            signalement,
            has_pending_request=any(request_.is_pending for request_ in information_requests),
            identity=section.pop("identity"),
        ),
        "next_steps": next_steps(user, signalement, information_requests=information_requests, clocks=clocks),
        "clocks": clocks,
        "decisions": case_decisions,
        "measures": list(signalement.urgent_measures.select_related("recorded_by")),
        "information_requests": information_requests,
        # Une requête de plus seulement pour un dossier du circuit des mineurs.
        "child_protection_answers": list(signalement.child_protection_answers.select_related("organisation"))
        if signalement.status in lifecycle.MINORS_TRACK
        else [],
        "is_miprof": is_miprof(user),
        # Les demandes de rapprochement (chercher avant de créer) : l'état et le motif seulement, jamais l'autre
        # dossier (`linked_to` n'est lu que par la page de la Miprof).
        "link_requests": list(
            signalement.link_requests.only("public_id", "status", "requested_at", "dismissal_reason")
        ),
        **section,
    }
    context.update(case_referral_context(request, signalement))
    context |= journey_context(user, signalement, **(journey or {}))
    for measure in context["sealed_address_reads"]:
        log_access(request, action=AccessAction.READ, obj=measure)
    context |= procedures_context(user, signalement)
    context |= attachments_context(user, signalement)
    # Après journey_context : les mesures sont déjà lues.
    context |= folded_context(
        case_timeline(signalement),
        context["case_referrals"],
        context["journey_measures"],
        clocks,
        information_requests,
    )
    return render(request, "orientation/case_detail.html", context, status=status)


def attachments_context(user, signalement):
    """La liste « Documents joints » de la section « Documents » (`orientation/includes/case_documents.html`)."""
    readable = can_read_attachments(user, signalement)
    case_attachments = attachments.case_attachments(user, signalement) if readable else []
    return {
        "can_read_attachments": readable,
        "can_add_attachment": can_add_attachment(user, signalement)
        and lifecycle.allows(signalement, "attach_document"),
        "case_attachments": case_attachments,
        "attachments_pending": any(attachment.scan_status == "pending" for attachment in case_attachments),
    }


def case_detail(request, public_id):
    signalement = visible_signalement(request.user, public_id)
    if signalement.status == SignalementStatus.DRAFT:
        # Un brouillon garde ses pages de saisie : il n'a pas encore d'espace de travail.
        return redirect("signalements:draft_resume", public_id=signalement.public_id)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render_case(request, signalement)


def _complement_anchor(signalement, information_request):
    url = reverse("orientation:case_detail", kwargs={"public_id": signalement.public_id})
    return f"{url}#complement-{information_request.public_id}"


@require_POST
def information_request_answer(request, public_id, request_id):
    """La réponse de l'organisation déclarante à une demande de complément, depuis la section « Signalement » de
    l'espace de travail ; en erreur, l'espace de travail revient avec le formulaire rempli et l'erreur à côté du
    champ."""
    signalement = visible_signalement(request.user, public_id)
    information_request = get_object_or_404(signalement.information_requests, public_id=request_id)
    information_request.signalement = signalement
    if not can_answer_information_request(request.user, information_request):
        raise PermissionDenied
    log_access(request, action=AccessAction.READ, obj=signalement)
    form = InformationRequestAnswerForm(request.POST)
    if form.is_valid():
        try:
            answer_information_request(
                information_request=information_request, answer=form.cleaned_data["answer"], by=request.user
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_complement_anchor(signalement, information_request))
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=information_request)
            messages.success(request, "Votre réponse a été transmise à la Miprof.")
            return redirect(_complement_anchor(signalement, information_request))
    request.bound_answer_form = (information_request, form)
    return render_case(request, signalement, status=400)


def render_action(request, signalement, slug, spec, form, status=200, refusal=""):
    """La page d'une action du dossier : son formulaire et, pour une action irréversible, sa conséquence en
    clair ; l'action n'a lieu qu'au POST de cette page (la confirmation), jamais en un clic depuis le dossier."""
    context = {"signalement": signalement, "slug": slug, "action": spec, "form": form, "refusal": refusal}
    if spec.transitions == ("close_case",):
        # Ce que la clôture touchera, nommé : les orientations en cours du dossier que la personne voit.
        context["open_referrals"] = list(
            Referral.objects.visible_to(request.user).filter(signalement=signalement).open().order_by("requested_at")
        )
    return render(request, "orientation/case_action.html", context, status=status)


@require_http_methods(["GET", "POST"])
def case_action(request, public_id, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    signalement = visible_signalement(request.user, public_id)
    if not spec.allowed(request.user, signalement):
        raise PermissionDenied
    if request.method == "GET":
        form = spec.form(initial=spec.initial(signalement) if spec.initial else None, prefix=action)
        refusal = "" if spec.shown(signalement) else lifecycle.refusal(signalement, spec.title.lower()).messages[0]
        log_access(request, action=AccessAction.READ, obj=signalement)
        return render_action(request, signalement, action, spec, form, refusal=refusal)
    form = spec.form(request.POST, prefix=action)
    if form.is_valid():
        try:
            spec.run(signalement, form.cleaned_data, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            messages.success(request, f"{spec.title} : c'est fait.")
            return redirect("orientation:case_detail", public_id=signalement.public_id)
    signalement.refresh_from_db()
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render_action(request, signalement, action, spec, form, status=400)


def _case_post(request, public_id, form_class, prefix, run, success):
    """Un formulaire de la section « Hébergement » du dossier : en erreur, la page du dossier revient avec le
    formulaire rempli et chaque erreur à côté de son champ."""
    signalement = visible_signalement(request.user, public_id)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            run(signalement, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            messages.success(request, success)
            return redirect("orientation:case_detail", public_id=signalement.public_id)
    request.bound_referral_forms = {prefix: form}
    signalement.refresh_from_db()
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render_case(request, signalement, status=400)


@require_POST
@recent_auth_required
def break_glass_open(request, public_id):
    return _case_post(
        request,
        public_id,
        referral_forms.BreakGlassForm,
        "bris",
        lambda s, d: break_glass.break_glass(signalement=s, by=request.user, reason=d["reason"]),
        "Accès d'urgence ouvert pour deux heures : il est inscrit au journal et signalé à la Miprof.",
    )


@require_POST
def minor_protection_record(request, public_id):
    return _case_post(
        request,
        public_id,
        referral_forms.MinorProtectionForm,
        "mineurs",
        lambda s, d: break_glass.record_minor_protection(signalement=s, by=request.user, **d),
        "Circuit des mineurs enregistré.",
    )
