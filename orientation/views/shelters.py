"""La page d'une structure d'hébergement (ses orientations reçues, ses places) et la page de répartition de la
coordination Ac.Sé."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reauth import recent_auth_required
from mniop.forms import add_service_errors
from mniop.roles import role_required
from orientation import referral_forms as f
from orientation.enums import ClockStep, PlaceKind, ReferralStatus
from orientation.models import Clock, Referral, ShelterProfile
from orientation.permissions import (
    can_edit_shelter_profile,
    can_manage_shelters,
    is_acse_coordination,
)
from orientation.services import shelters as service
from orientation.services.shelters import own_shelter

ACTIVE = [ReferralStatus.AWAITING_DISPATCH, ReferralStatus.PENDING, ReferralStatus.ACCEPTED, ReferralStatus.ARRIVED]


def _referral_list(user):
    return list(
        Referral.objects.visible_to(user)
        .filter(status__in=ACTIVE)
        .select_related("signalement", "shelter__organisation", "shelter__departement")
        .order_by("hold_expires_at", "-requested_at")[:200]
    )


def shelter_home(request):
    profile = own_shelter(request.user)
    form, status = f.CapacityForm(prefix="places"), 200
    if request.method == "POST":
        form = f.CapacityForm(request.POST, prefix="places")
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.declare_places(
                    shelter=profile,
                    by=request.user,
                    place_kind=data["place_kind"],
                    declared=data["declared"],
                    occupied=data["occupied"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Vos places sont à jour.")
                return redirect("orientation:shelter_home")
        status = 400
    log_access(request, action=AccessAction.READ, model=Referral)
    context = {
        "profile": profile,
        "capacities": list(profile.capacities.all()),
        "referrals": _referral_list(request.user),
        "form": form,
        "can_edit_profile": can_edit_shelter_profile(request.user, profile),
    }
    return render(request, "orientation/shelters/shelter_home.html", context, status=status)


def shelter_profile_edit(request):
    """Le profil de la structure, tenu par ses administrateur·rices : critères, langues, position, adresse scellée,
    places proposées par type."""
    profile = own_shelter(request.user)
    if not can_edit_shelter_profile(request.user, profile):
        raise PermissionDenied
    form, status = f.ShelterProfileForm(initial=f.ShelterProfileForm.initial_for(profile)), 200
    if request.method == "POST":
        form = f.ShelterProfileForm(request.POST)
        if form.is_valid():
            try:
                service.update_shelter_profile(profile=profile, by=request.user, **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                log_access(request, action=AccessAction.UPDATE, obj=profile)
                messages.success(request, "Le profil de votre structure est à jour.")
                return redirect("orientation:shelter_home")
        status = 400
    log_access(request, action=AccessAction.READ, obj=profile)
    return render(request, "orientation/shelters/profile_form.html", {"profile": profile, "form": form}, status=status)


def _shelter_rows(user):
    """Chaque structure et ses places libres par type (None : type non proposé). Jamais l'adresse scellée."""
    profiles = (
        ShelterProfile.objects.visible_to(user)
        .select_related("organisation", "departement")
        .prefetch_related("capacities")
        .defer("sealed_address")
    )
    rows = []
    for profile in profiles:
        free = {capacity.place_kind: capacity.free for capacity in profile.capacities.all() if capacity.declared}
        rows.append({"profile": profile, "free": [free.get(kind) for kind in PlaceKind.values]})
    return rows


@role_required(can_manage_shelters)
@recent_auth_required(only_writes=True)
def shelter_list(request):
    """Pour l'administration de la Miprof : les structures et leurs places libres ; créer un profil manquant."""
    form, status = f.ShelterCreateForm(prefix="creer"), 200
    if request.method == "POST":
        form = f.ShelterCreateForm(request.POST, prefix="creer")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                profile = service.create_shelter_profile(
                    organisation=data.pop("organisation"), by=request.user, **data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                log_access(request, action=AccessAction.CREATE, obj=profile)
                messages.success(request, f"Le profil de {profile.organisation} est créé : la structure le complète.")
                return redirect("orientation:shelter_list")
        status = 400
    log_access(request, action=AccessAction.READ, model=ShelterProfile)
    context = {"rows": _shelter_rows(request.user), "place_kinds": PlaceKind.choices, "form": form}
    return render(request, "orientation/shelters/shelter_list.html", context, status=status)


@require_POST
@role_required(can_manage_shelters)
@recent_auth_required
def shelter_acse_partner(request, public_id):
    profile = get_object_or_404(ShelterProfile.objects.visible_to(request.user), public_id=public_id)
    profile = service.set_acse_partner(
        profile=profile, by=request.user, is_partner=request.POST.get("is_acse_partner") == "1"
    )
    log_access(request, action=AccessAction.UPDATE, obj=profile)
    state = "est désormais" if profile.is_acse_partner else "n'est plus"
    messages.success(request, f"{profile.organisation} {state} partenaire du dispositif Ac.Sé.")
    return redirect("orientation:shelter_list")


@role_required(is_acse_coordination)
def acse_dispatch(request):
    log_access(request, action=AccessAction.READ, model=Referral)
    referrals = _referral_list(request.user)
    # L'échéance de chaque répartition et de chaque seconde approbation attendues, en une requête.
    clocks = Clock.objects.open().filter(
        step__in=[ClockStep.ACSE_DISPATCH, ClockStep.DISTANCING_WAIVER],
        signalement_id__in={referral.signalement_id for referral in referrals},
    )
    by_case = {(clock.signalement_id, clock.step): clock for clock in clocks.select_related("territory")}
    for referral in referrals:
        waiting = referral.status == ReferralStatus.AWAITING_DISPATCH
        referral.dispatch_clock = by_case.get((referral.signalement_id, ClockStep.ACSE_DISPATCH)) if waiting else None
        referral.waiver_clock = (
            by_case.get((referral.signalement_id, ClockStep.DISTANCING_WAIVER)) if waiting else None
        )
    return render(request, "orientation/shelters/acse_dispatch.html", {"referrals": referrals})
