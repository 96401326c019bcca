"""La page d'une structure d'hébergement (ses orientations reçues, ses places) et la page de répartition de la
coordination Ac.Sé."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from accounts.audit import log_access
from accounts.models import AccessAction
from mniop.forms import add_service_errors
from mniop.roles import current_membership
from orientation import referral_forms as f
from orientation.enums import ReferralStatus
from orientation.models import Referral, ShelterProfile
from orientation.permissions import is_acse_coordination, is_shelter_member
from orientation.services import shelters as service

ACTIVE = [ReferralStatus.AWAITING_DISPATCH, ReferralStatus.PENDING, ReferralStatus.ACCEPTED, ReferralStatus.ARRIVED]


def own_shelter(user):
    if not is_shelter_member(user):
        raise PermissionDenied
    profile = (
        ShelterProfile.objects.select_related("organisation", "departement")
        .filter(organisation_id=current_membership(user).organisation_id)
        .first()
    )
    if profile is None:
        raise PermissionDenied("Votre structure n'a pas encore de profil d'hébergement : contactez la Miprof.")
    return profile


def _referral_list(user):
    return list(
        Referral.objects.visible_to(user)
        .filter(status__in=ACTIVE)
        .select_related("signalement", "shelter__organisation")
        .order_by("hold_expires_at", "-requested_at")[:200]
    )


@login_required
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
    }
    return render(request, "orientation/shelters/shelter_home.html", context, status=status)


@login_required
def acse_dispatch(request):
    if not is_acse_coordination(request.user):
        raise PermissionDenied
    log_access(request, action=AccessAction.READ, model=Referral)
    return render(request, "orientation/shelters/acse_dispatch.html", {"referrals": _referral_list(request.user)})
