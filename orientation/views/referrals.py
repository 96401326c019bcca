"""Les orientations vers un hébergement : la page d'une orientation (réponse de la structure, répartition par la
coordination Ac.Sé), la fiche d'orientation, la recherche d'une place. La section « Hébergement » de la page du
dossier (bris de glace, circuit des mineurs) est dans `orientation.views.cases` ; le lieu scellé ne sort que par
`orientation.sealed.location_of`."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reauth import recent_auth_required
from mniop.forms import add_service_errors
from mniop.pdf import render_document
from mniop.time_zones import current_zone_name
from orientation import referral_forms as f
from orientation.enums import ReferralChannel, ReferralStatus
from orientation.models import Referral
from orientation.permissions import (
    can_answer_referral,
    can_approve_distancing_waiver,
    can_dispatch_referral,
    can_propose_referral,
    can_see_location,
)
from orientation.sealed import location_of
from orientation.services import exits, referrals, shelters
from signalements.models import Signalement
from signalements.presentation import CasePresenter


def visible_signalement(user, public_id):
    return get_object_or_404(Signalement.objects.visible_to(user), public_id=public_id)


def visible_referral(user, public_id):
    queryset = Referral.objects.visible_to(user).select_related(
        "signalement", "shelter__organisation", "shelter__departement", "refusal_reason", "departure_reason"
    )
    return get_object_or_404(queryset, public_id=public_id)


def _referral_actions(user, referral):
    actions = []
    if can_answer_referral(user, referral):
        if referral.status == ReferralStatus.PENDING:
            actions += [("accepter", "Accepter l'orientation", None), ("refuser", "Refuser", f.RefusalForm)]
        elif referral.status == ReferralStatus.ACCEPTED:
            actions.append(("arrivee", "Confirmer l'arrivée", None))
        elif referral.status == ReferralStatus.ARRIVED:
            actions.append(("depart", "Enregistrer le départ", f.DepartureForm))
    return actions


def _render_referral(request, referral, *, errors=None, status=200):
    user = request.user
    dispatch = None
    awaiting = referral.status == ReferralStatus.AWAITING_DISPATCH
    if can_dispatch_referral(user, referral) and awaiting:
        dispatch = shelters.suggest_shelters(referral.signalement, for_acse=True)
    waiver = exits.pending_waiver(referral) if referral.channel == ReferralChannel.ACSE and awaiting else None
    if waiver is not None and not (
        can_dispatch_referral(user, referral) or can_approve_distancing_waiver(user, waiver)
    ):
        waiver = None  # la structure choisie situerait la personne : la coordination et qui approuve, seulement
    actions = [
        (slug, label, (errors[1] if errors and errors[0] == slug else form_class(prefix=slug)) if form_class else None)
        for slug, label, form_class in _referral_actions(user, referral)
    ]
    context = {
        "referral": referral,
        "signalement": referral.signalement,
        "location": location_of(user, referral),
        "actions": actions,
        "dispatch_suggestions": dispatch,
        "dispatch_error": errors[1] if errors and errors[0] == "confier" else None,
        "can_download_sheet": can_see_location(user, referral),
        "dispatch_form": errors[1] if errors and errors[0] == "confier" else f.DispatchForm(prefix="confier"),
        "waiver": waiver,
        "waiver_clock": exits.waiver_clock(referral) if waiver is not None else None,
        "coordination_exits": [
            (slug, spec.title) for slug, spec in COORDINATION_EXITS.items() if spec.offered(user, referral, waiver)
        ],
    }
    return render(request, "orientation/referrals/referral_detail.html", context, status=status)


def referral_detail(request, public_id):
    referral = visible_referral(request.user, public_id)
    log_access(request, action=AccessAction.READ, obj=referral)
    return _render_referral(request, referral)


def _run(slug, referral, form, user):
    data = form.cleaned_data if form is not None else {}
    if slug == "accepter":
        referrals.accept_referral(referral=referral, by=user)
    elif slug == "refuser":
        referrals.refuse_referral(referral=referral, by=user, reason=data["reason"], comment=data["comment"])
    elif slug == "arrivee":
        referrals.confirm_arrival(referral=referral, by=user)
    elif slug == "depart":
        referrals.record_departure(referral=referral, by=user, reason=data["reason"])
    elif slug == "confier":
        referrals.dispatch_referral(
            referral=referral,
            by=user,
            shelter=data["shelter"],
            interpreter_language=data["interpreter_language"],
            interpreter_service=data["interpreter_service"],
        )


#: Les réponses irréversibles d'une orientation : leur conséquence est dite sur une page de confirmation (sans
#: JavaScript) et la réponse n'a lieu qu'au POST de cette page (champ `confirmed`).
CONSEQUENCES = {
    "refuser": (
        "Confirmer le refus",
        "L'orientation sera refusée : la place retenue est libérée et les personnes qui suivent le dossier en sont "
        "prévenues ; une orientation Ac.Sé revient à la coordination, qui la confie ailleurs. Le refus ne peut pas "
        "être annulé.",
    ),
    "confier": (
        "Confirmer et confier",
        "L'orientation sera confiée à la structure choisie : une place y est retenue et la structure est prévenue "
        "qu'elle doit répondre dans le délai. La coordination ne pourra plus choisir une autre structure pour cette "
        "demande, sauf si la structure la refuse.",
    ),
    "depart": (
        "Confirmer le départ",
        "Le départ sera enregistré : la place occupée est libérée et l'orientation est terminée. Il ne peut pas être "
        "annulé.",
    ),
}


def _confirmation(request, referral, action, form):
    submit, consequence = CONSEQUENCES[action]
    log_access(request, action=AccessAction.READ, obj=referral)
    context = {"referral": referral, "slug": action, "form": form, "submit": submit, "consequence": consequence}
    return render(request, "orientation/referrals/referral_confirm.html", context)


@require_POST
def referral_action(request, public_id, action):
    referral = visible_referral(request.user, public_id)
    form_classes = {"refuser": f.RefusalForm, "depart": f.DepartureForm, "confier": f.DispatchForm}
    if action not in {"accepter", "refuser", "arrivee", "depart", "confier"}:
        raise Http404
    allowed = can_dispatch_referral if action == "confier" else can_answer_referral
    if not allowed(request.user, referral):
        raise PermissionDenied
    form_class = form_classes.get(action)
    form = form_class(request.POST, prefix=action) if form_class else None
    if form is None or form.is_valid():
        if action in CONSEQUENCES and request.POST.get("confirmed") != "1":
            return _confirmation(request, referral, action, form)
        try:
            _run(action, referral, form, request.user)
        except ValidationError as error:
            form = form or f.RefusalForm(prefix=action)
            add_service_errors(form, error)
        except PermissionDenied as error:
            form = form or f.RefusalForm(prefix=action)
            form.add_error(None, str(error))
        else:
            log_access(request, action=AccessAction.UPDATE, obj=referral)
            messages.success(request, "C'est fait : l'orientation est à jour.")
            return redirect("orientation:referral_detail", public_id=referral.public_id)
    referral.refresh_from_db()
    log_access(request, action=AccessAction.READ, obj=referral)
    return _render_referral(request, referral, errors=(action, form), status=400)


@recent_auth_required
def referral_sheet(request, public_id):
    """La fiche d'orientation pour la structure qui accueille : besoins, langues, consignes de sécurité ; jamais le
    récit ni l'identité au-delà du pseudonyme. Filigranée au nom du destinataire, avec l'heure."""
    referral = visible_referral(request.user, public_id)
    if not can_see_location(request.user, referral):
        raise PermissionDenied
    now = timezone.localtime()
    membership = request.membership
    pdf = render_document(
        "pdf/orientation/referral_sheet.html",
        {
            "referral": referral,
            "signalement": referral.signalement,
            "case": CasePresenter(referral.signalement),
            "watermark": f"{membership.organisation.name} — {request.user.email} — {now:%d/%m/%Y %H:%M}",
            "generated_at": now,
            "time_zone_name": current_zone_name(),
        },
        stylesheets=["pdf/referral_sheet.css"],
    )
    log_access(request, action=AccessAction.DOWNLOAD, obj=referral)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="fiche-orientation-{referral.signalement.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _chosen_place(request, suggestions):
    """« Choisir ce lieu » (`?lieu=<uuid>`, sans JavaScript) : la structure et son type de place le mieux adapté
    pré-remplissent la demande ; un lieu inconnu ou écarté ne pré-remplit rien."""
    chosen = request.GET.get("lieu", "")
    for suggestion in suggestions:
        if suggestion.is_eligible and str(suggestion.shelter.public_id) == chosen:
            return {"shelter": suggestion.shelter, "place_kind": suggestion.place_kind}
    return {}


def referral_request(request, public_id):
    """Chercher une place (suggestions classées, exclusions motivées) et adresser l'orientation."""
    signalement = visible_signalement(request.user, public_id)
    if not can_propose_referral(request.user, signalement):
        raise PermissionDenied
    suggestions = shelters.suggest_shelters(signalement)
    # « Demander une place Ac.Sé » (panneau du dossier) arrive ici avec `?acse=1` : la case est déjà cochée.
    initial = _chosen_place(request, suggestions) | referrals.arranged_interpreting(signalement)
    if request.GET.get("acse") == "1" and not signalement.is_minor:
        initial["via_acse"] = True
    form, status = f.ReferralRequestForm(prefix="orientation", initial=initial), 200
    if request.method == "POST":
        form = f.ReferralRequestForm(request.POST, prefix="orientation")
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = referrals.request_referral(
                    signalement=signalement,
                    by=request.user,
                    shelter=None if data["via_acse"] else data["shelter"],
                    place_kind=data["place_kind"],
                    via_acse=data["via_acse"],
                    safety_notes=data["safety_notes"],
                    override_ground=data["override_ground"],
                    override_reason=data["override_reason"],
                    interpreter_language=data["interpreter_language"],
                    interpreter_service=data["interpreter_service"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                log_access(request, action=AccessAction.CREATE, obj=referral)
                messages.success(request, "L'orientation est adressée : la réponse est attendue dans le délai.")
                return redirect("orientation:case_detail", public_id=signalement.public_id)
        status = 400
    log_access(request, action=AccessAction.READ, obj=signalement)
    acse_count = sum(s.is_eligible for s in shelters.suggest_shelters(signalement, for_acse=True))
    running = referrals.running_referral(signalement)
    context = {
        "signalement": signalement,
        "running_referral": running,
        "running_message": referrals.already_running_message(running) if running else "",
        "suggestions": suggestions,
        "acse_allowed": not signalement.is_minor,
        "acse_eligible_count": acse_count,
        "form": form,
    }
    return render(request, "orientation/referrals/referral_request.html", context, status=status)


# --- Les sorties de la coordination Ac.Sé : une page par acte, la conséquence écrite avant le bouton ---------------


@dataclass(frozen=True)
class CoordinationExit:
    title: str
    consequence: str
    button: str
    form: type
    run: object  # (referral, données du formulaire, personne) -> None
    for_waiver: bool = False  # la seconde approbation d'un placement hors règle d'éloignement
    asks_waiver: bool = False  # demande un placement hors règle : pas tant qu'un autre attend

    def offered(self, user, referral, waiver):
        if referral.status != ReferralStatus.AWAITING_DISPATCH:
            return False
        if self.for_waiver:
            return waiver is not None and can_approve_distancing_waiver(user, waiver)
        return can_dispatch_referral(user, referral) and not (self.asks_waiver and waiver is not None)

    def allowed(self, user, referral, waiver):
        if self.for_waiver:
            return waiver is not None and can_approve_distancing_waiver(user, waiver)
        return can_dispatch_referral(user, referral)


COORDINATION_EXITS = {
    "renvoyer": CoordinationExit(
        title="Renvoyer la demande à l'émetteur",
        consequence="La demande quitte la file de la coordination Ac.Sé : la personne qui l'a adressée et la Miprof "
        "sont prévenues et lisent votre motif. Le dossier n'a plus d'orientation en cours : une autre orientation "
        "(directe ou Ac.Sé) pourra être adressée.",
        button="Renvoyer la demande",
        form=f.ReturnForm,
        run=lambda r, d, u: exits.return_referral(referral=r, by=u, reason=d["reason"]),
    ),
    "refuser": CoordinationExit(
        title="Refuser la demande Ac.Sé",
        consequence="La demande est close comme refusée par la coordination Ac.Sé, avec le motif et la précision : la "
        "personne qui l'a adressée et la Miprof sont prévenues. Aucune place n'est retenue ; une autre orientation "
        "pourra être adressée au dossier.",
        button="Refuser la demande",
        form=f.AcseRefusalForm,
        run=lambda r, d, u: exits.refuse_acse_referral(referral=r, by=u, reason=d["reason"], comment=d["comment"]),
    ),
    "hors-eloignement": CoordinationExit(
        title="Placer hors de la règle d'éloignement",
        consequence="Rien n'est confié tout de suite : une autre personne de la coordination Ac.Sé ou de "
        "l'administration de la Miprof doit approuver ce placement. À l'approbation, la structure choisie reçoit "
        "l'orientation et une place y est retenue ; la demande et son motif sont inscrits au journal du dossier.",
        button="Demander la seconde approbation",
        form=f.DistancingWaiverForm,
        run=lambda r, d, u: exits.request_distancing_waiver(
            referral=r, by=u, shelter=d["shelter"], place_kind=d["place_kind"], reason=d["reason"]
        ),
        asks_waiver=True,
    ),
    "approuver": CoordinationExit(
        title="Approuver le placement hors règle d'éloignement",
        consequence="La structure choisie reçoit l'orientation et une place y est retenue jusqu'à sa réponse, bien "
        "qu'elle ne respecte pas la règle d'éloignement. Votre approbation est inscrite au journal du dossier.",
        button="Approuver et confier l'orientation",
        form=f.ConfirmForm,
        run=lambda r, d, u: exits.approve_distancing_waiver(referral=r, by=u),
        for_waiver=True,
    ),
    "rejeter": CoordinationExit(
        title="Rejeter le placement hors règle d'éloignement",
        consequence="Rien n'est confié : la demande reste à la coordination Ac.Sé, qui peut la confier à une autre "
        "partenaire, la renvoyer ou la refuser. La personne qui a demandé le placement lit votre motif.",
        button="Rejeter le placement",
        form=f.WaiverRejectionForm,
        run=lambda r, d, u: exits.reject_distancing_waiver(referral=r, by=u, reason=d["reason"]),
        for_waiver=True,
    ),
}


def referral_coordination(request, public_id, action):
    """Une sortie de la coordination Ac.Sé (renvoyer, refuser, placer hors règle d'éloignement) ou la seconde
    approbation d'un placement hors règle : sa page, la conséquence écrite, le formulaire ; erreurs en français."""
    spec = COORDINATION_EXITS.get(action)
    if spec is None:
        raise Http404
    referral = visible_referral(request.user, public_id)
    waiver = exits.pending_waiver(referral)
    if not spec.allowed(request.user, referral, waiver):
        raise PermissionDenied
    form, status = spec.form(prefix="sortie"), 200
    if request.method == "POST":
        form = spec.form(request.POST, prefix="sortie")
        if form.is_valid():
            try:
                spec.run(referral, form.cleaned_data, request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                log_access(request, action=AccessAction.UPDATE, obj=referral)
                messages.success(request, f"{spec.title} : c'est fait.")
                return redirect("orientation:referral_detail", public_id=referral.public_id)
        status = 400
        referral.refresh_from_db()
    log_access(request, action=AccessAction.READ, obj=referral)
    context = {
        "referral": referral,
        "signalement": referral.signalement,
        "exit": spec,
        "action": action,
        "form": form,
        "waiver": waiver,
        "waiver_clock": exits.waiver_clock(referral) if waiver is not None else None,
        "waiver_exclusions": shelters.is_acse_compatible(waiver.shelter, referral.signalement) if waiver else [],
        "still_awaiting": referral.status == ReferralStatus.AWAITING_DISPATCH,
    }
    return render(request, "orientation/referrals/referral_coordination.html", context, status=status)
