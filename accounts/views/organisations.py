"""Pages des organisations et de leurs membres : la démonstration de la couche de permissions.

Hors de portée (`visible_to`) : 404. Dans la portée mais sans le droit (`permissions.can_*`) : 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.forms import InvitationForm, OrganisationSearchForm
from accounts.models import AccessAction, ApiToken, Invitation, Membership
from accounts.permissions import (
    can_manage_api_tokens,
    can_manage_habilitations,
    can_manage_members,
    can_reset_second_factor,
    can_set_on_call,
    can_view_habilitations,
    can_view_members,
    grantable_roles,
)
from accounts.reauth import recent_auth_required
from accounts.services import deactivate_membership, invite_member, set_on_call
from accounts.services_two_factor import reset_second_factor
from mniop.forms import add_service_errors
from mniop.roles import NATIONAL_ROLES, role_required
from referents.models import Organisation


def visible_organisation(request, public_id):
    return get_object_or_404(
        Organisation.objects.visible_to(request.user).prefetch_related("territories", "habilitations"),
        public_id=public_id,
    )


def organisation_member(request, public_id, membership_id):
    """L'organisation et l'adhésion d'une personne (pas d'un système partenaire) qui en est membre ; sinon 404."""
    organisation = visible_organisation(request, public_id)
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).people().filter(organisation=organisation).select_related("user"),
        public_id=membership_id,
    )
    membership.organisation = organisation
    return organisation, membership


@role_required(NATIONAL_ROLES)
def organisation_list(request):
    form = OrganisationSearchForm(request.GET or None)
    organisations = (
        Organisation.objects.visible_to(request.user)
        .annotate(
            active_members=Count(
                "memberships", filter=Q(memberships__is_active=True, memberships__api_token__isnull=True)
            )
        )
        .prefetch_related("territories")
        .order_by("name")
    )
    if form.is_valid() and form.cleaned_data["q"]:
        organisations = organisations.filter(name__unaccent__icontains=form.cleaned_data["q"])
    log_access(request, action=AccessAction.SEARCH, model=Organisation)
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {"form": form, "page_obj": page, "can_manage_habilitations": can_manage_habilitations(request.user)},
    )


def organisation_detail(request, public_id):
    organisation = visible_organisation(request, public_id)
    log_access(request, action=AccessAction.READ, obj=organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "can_view_members": can_view_members(request.user, organisation),
            "can_view_habilitations": can_view_habilitations(request.user, organisation),
        },
    )


def organisation_members(request, public_id):
    organisation = visible_organisation(request, public_id)
    if not can_view_members(request.user, organisation):
        raise PermissionDenied
    memberships = (
        Membership.objects.visible_to(request.user)
        .people()
        .filter(organisation=organisation)
        .select_related("user")
        .prefetch_related("departements")
        .order_by("-is_active", "user__last_name", "user__first_name")
    )
    invitations = Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True).order_by(
        "-created_at"
    )
    log_access(request, action=AccessAction.READ, model=Membership, object_id=str(organisation.public_id))
    memberships = list(memberships)
    for membership in memberships:
        membership.organisation = organisation
        membership.can_set_on_call = can_set_on_call(request.user, membership)
        membership.can_reset_second_factor = can_reset_second_factor(request.user, membership)
    return render(
        request,
        "accounts/organisation_members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "invitations": [i for i in invitations if i.is_pending],
            "can_manage": can_manage_members(request.user, organisation),
            "partner_tokens": ApiToken.objects.filter(organisation=organisation, revoked_at__isnull=True),
            "can_manage_api_tokens": can_manage_api_tokens(request.user, organisation),
        },
    )


@recent_auth_required(only_writes=True)
def member_invite(request, public_id):
    organisation = visible_organisation(request, public_id)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied
    roles = grantable_roles(request.user, organisation)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite_member(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                departements=form.cleaned_data.get("departements") or [],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.CREATE, obj=invitation)
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("accounts:organisation_members", public_id=organisation.public_id)
    return render(request, "accounts/member_invite.html", {"organisation": organisation, "form": form})


@recent_auth_required(only_writes=True)
def member_deactivate(request, public_id, membership_id):
    organisation, membership = organisation_member(request, public_id, membership_id)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        try:
            deactivate_membership(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            log_access(request, action=AccessAction.UPDATE, obj=membership)
            messages.success(
                request, f"{membership.user} ne fait plus partie de l'organisation ; ses sessions sont closes."
            )
        return redirect("accounts:organisation_members", public_id=organisation.public_id)
    return render(request, "accounts/member_deactivate.html", {"organisation": organisation, "membership": membership})


@recent_auth_required(only_writes=True)
def member_second_factor_reset(request, public_id, membership_id):
    """Téléphone perdu : l'administrateur retire le second facteur du membre, qui en enrôlera un nouveau."""
    organisation, membership = organisation_member(request, public_id, membership_id)
    if not can_reset_second_factor(request.user, membership):
        raise PermissionDenied
    if request.method == "POST":
        reset_second_factor(membership=membership, by=request.user)
        log_access(request, action=AccessAction.UPDATE, obj=membership)
        messages.success(
            request,
            f"Second facteur de {membership.user} réinitialisé : ses sessions sont closes et un courriel l'en "
            "informe. Il ou elle en activera un nouveau à sa prochaine connexion.",
        )
        return redirect("accounts:organisation_members", public_id=organisation.public_id)
    return render(
        request, "accounts/member_second_factor_reset.html", {"organisation": organisation, "membership": membership}
    )


@require_POST
def member_on_call(request, public_id, membership_id):
    """Met un agent de la Miprof d'astreinte, ou l'en retire (`is_on_call` = « 1 » ou « 0 »)."""
    organisation, membership = organisation_member(request, public_id, membership_id)
    if not can_set_on_call(request.user, membership):
        raise PermissionDenied
    is_on_call = request.POST.get("is_on_call") == "1"
    set_on_call(membership=membership, is_on_call=is_on_call, by=request.user)
    log_access(request, action=AccessAction.UPDATE, obj=membership)
    if is_on_call:
        messages.success(request, f"{membership.user} est d'astreinte : il ou elle reçoit les alertes urgentes.")
    else:
        messages.success(request, f"{membership.user} n'est plus d'astreinte.")
    return redirect("accounts:organisation_members", public_id=organisation.public_id)
