"""Les orientations vers un hébergement : la page d'une orientation (réponse de la structure, répartition par la
coordination Ac.Sé), la fiche d'orientation, la recherche d'une place. La section « Hébergement » de la page du
dossier (bris de glace, circuit des mineurs) est dans `orientation.views.cases` ; le lieu scellé ne sort que par
`orientation.sealed.location_of`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reauth import recent_auth_required
from mniop.forms import add_service_errors
from mniop.pdf import render_pdf
from mniop.time_zones import current_zone_name
from orientation import referral_forms as f
from orientation.enums import ReferralStatus
from orientation.models import Referral
from orientation.permissions import (
    can_answer_referral,
    can_dispatch_referral,
    can_propose_referral,
    can_see_location,
)
from orientation.sealed import location_of
from orientation.services import referrals, shelters
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
    if can_dispatch_referral(user, referral) and referral.status == ReferralStatus.AWAITING_DISPATCH:
        dispatch = shelters.suggest_shelters(referral.signalement, for_acse=True)
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
        referrals.refuse_referral(referral=referral, by=user, reason=data["reason"])
    elif slug == "arrivee":
        referrals.confirm_arrival(referral=referral, by=user)
    elif slug == "depart":
        referrals.record_departure(referral=referral, by=user, reason=data["reason"])
    elif slug == "confier":
        referrals.dispatch_referral(referral=referral, by=user, shelter=data["shelter"])


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
    html = render_to_string(
        "pdf/orientation/referral_sheet.html",
        {
            "referral": referral,
            "signalement": referral.signalement,
            "case": CasePresenter(referral.signalement),
            "watermark": f"{membership.organisation.name} — {request.user.email} — {now:%d/%m/%Y %H:%M}",
            "generated_at": now,
            "time_zone_name": current_zone_name(),
        },
    )
    pdf = render_pdf(html, stylesheets=["pdf/referral_sheet.css"])
    log_access(request, action=AccessAction.DOWNLOAD, obj=referral)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="fiche-orientation-{referral.signalement.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def referral_request(request, public_id):
    """Chercher une place (suggestions classées, exclusions motivées) et adresser l'orientation."""
    signalement = visible_signalement(request.user, public_id)
    if not can_propose_referral(request.user, signalement):
        raise PermissionDenied
    form, status = f.ReferralRequestForm(prefix="orientation"), 200
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
    context = {
        "signalement": signalement,
        "suggestions": shelters.suggest_shelters(signalement),
        "acse_allowed": not signalement.is_minor,
        "acse_eligible_count": acse_count,
        "form": form,
    }
    return render(request, "orientation/referrals/referral_request.html", context, status=status)
