"""Pages de l'administration de la Miprof pour tenir le mécanisme : créer une organisation, accorder, renouveler et
mettre fin à ses habilitations, décider des demandes ; et la demande d'habilitation d'une organisation.

Écritures : `accounts/services_habilitations.py`. Accorder, renouveler, mettre fin et décider exigent une
authentification récente (`recent_auth_required`). Chaque page écrit une ligne du journal d'accès.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts.audit import log_access
from accounts.forms import (
    HabilitationDecisionForm,
    HabilitationEndForm,
    HabilitationGrantForm,
    HabilitationRefusalForm,
    HabilitationRenewForm,
    HabilitationRequestForm,
    OrganisationCreateForm,
)
from accounts.models import AccessAction, HabilitationRequest, HabilitationRequestStatus, User
from accounts.permissions import can_manage_habilitations, can_request_habilitation, can_view_habilitations
from accounts.reauth import recent_auth_required
from accounts.services_habilitations import (
    approve_habilitation_request,
    create_organisation,
    end_habilitation,
    grant_habilitation,
    pending_working_days,
    refuse_habilitation_request,
    renew_habilitation,
    request_habilitation,
)
from accounts.views.organisations import visible_organisation
from mniop.forms import add_service_errors
from mniop.roles import role_required
from referents.models import Habilitation, HabilitationEvent


def _habilitation(request, public_id, habilitation_id):
    """L'organisation (dans la portée, sinon 404) et l'une de ses habilitations ; 403 sans le droit de la tenir."""
    organisation = visible_organisation(request, public_id)
    if not can_manage_habilitations(request.user):
        raise PermissionDenied
    return organisation, get_object_or_404(
        Habilitation.objects.filter(organisation=organisation), public_id=habilitation_id
    )


def _history(organisation):
    """L'historique pghistory des habilitations de l'organisation, avec qui a agi (contexte `by`) et le motif."""
    events = list(
        HabilitationEvent.objects.filter(organisation=organisation)
        .select_related("pgh_context", "territory")
        .order_by("-pgh_created_at", "-pgh_id")
    )
    actor_ids = {(event.pgh_context.metadata or {}).get("by") for event in events if event.pgh_context}
    actors = {
        str(user.public_id): user.get_full_name() or user.email
        for user in User.objects.filter(public_id__in=[a for a in actor_ids if a and a != "système"])
    }
    for event in events:
        metadata = (event.pgh_context.metadata if event.pgh_context else None) or {}
        event.actor = actors.get(metadata.get("by"), metadata.get("by") or "—")
        event.action = metadata.get("action") or ("création" if event.pgh_label == "insert" else "modification")
        event.reason = metadata.get("reason", "")
    return events


@role_required(can_manage_habilitations)
def organisation_create(request):
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = create_organisation(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.CREATE, obj=organisation)
            messages.success(request, f"Organisation « {organisation.name} » créée. Accordez-lui ses habilitations.")
            return redirect("accounts:organisation_habilitations", public_id=organisation.public_id)
    return render(request, "accounts/organisation_create.html", {"form": form})


def organisation_habilitations(request, public_id):
    organisation = visible_organisation(request, public_id)
    if not can_view_habilitations(request.user, organisation):
        raise PermissionDenied
    log_access(request, action=AccessAction.READ, model=Habilitation, object_id=str(organisation.public_id))
    return render(
        request,
        "accounts/organisation_habilitations.html",
        {
            "organisation": organisation,
            "habilitations": organisation.habilitations.all(),
            "requests": HabilitationRequest.objects.visible_to(request.user)
            .filter(organisation=organisation)
            .select_related("territory"),
            "history": _history(organisation),
            "can_manage": can_manage_habilitations(request.user),
            "can_request": can_request_habilitation(request.user, organisation),
        },
    )


@recent_auth_required(only_writes=True)
def habilitation_grant(request, public_id):
    organisation = visible_organisation(request, public_id)
    if not can_manage_habilitations(request.user):
        raise PermissionDenied
    form = HabilitationGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            habilitation = grant_habilitation(organisation=organisation, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.CREATE, obj=habilitation)
            messages.success(request, f"{habilitation.get_kind_display()} accordée à {organisation.name}.")
            return redirect("accounts:organisation_habilitations", public_id=organisation.public_id)
    return _form_page(
        request, organisation, form, title="Accorder une habilitation", submit_label="Accorder l'habilitation"
    )


def _change_habilitation(request, public_id, habilitation_id, *, form_class, change, title, submit_label, success):
    """Renouveler ou mettre fin : le formulaire, le service, la ligne du journal d'accès et le message."""
    organisation, habilitation = _habilitation(request, public_id, habilitation_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change(habilitation=habilitation, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=habilitation)
            messages.success(request, success(habilitation, form.cleaned_data))
            return redirect("accounts:organisation_habilitations", public_id=organisation.public_id)
    return _form_page(
        request,
        organisation,
        form,
        title=f"{title} : {habilitation.get_kind_display()}",
        submit_label=submit_label,
        habilitation=habilitation,
    )


@recent_auth_required(only_writes=True)
def habilitation_renew(request, public_id, habilitation_id):
    return _change_habilitation(
        request,
        public_id,
        habilitation_id,
        form_class=HabilitationRenewForm,
        change=renew_habilitation,
        title="Renouveler",
        submit_label="Renouveler",
        success=lambda habilitation, data: f"{habilitation.get_kind_display()} renouvelée.",
    )


@recent_auth_required(only_writes=True)
def habilitation_end(request, public_id, habilitation_id):
    return _change_habilitation(
        request,
        public_id,
        habilitation_id,
        form_class=HabilitationEndForm,
        change=end_habilitation,
        title="Mettre fin",
        submit_label="Mettre fin à l'habilitation",
        success=lambda habilitation, data: (
            f"{habilitation.get_kind_display()} : fin de validité le {data['ends_on']:%d/%m/%Y}."
        ),
    )


def habilitation_request_create(request, public_id):
    organisation = visible_organisation(request, public_id)
    if not can_request_habilitation(request.user, organisation):
        raise PermissionDenied
    form = HabilitationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            habilitation_request = request_habilitation(
                organisation=organisation, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.CREATE, obj=habilitation_request)
            messages.success(request, "Demande envoyée : la Miprof est prévenue et vous informera de sa décision.")
            return redirect("accounts:organisation_habilitations", public_id=organisation.public_id)
    return _form_page(
        request, organisation, form, title="Demander une habilitation", submit_label="Envoyer la demande"
    )


@role_required(can_manage_habilitations)
def habilitation_request_list(request):
    pending = (
        HabilitationRequest.objects.visible_to(request.user)
        .pending()
        .select_related("organisation", "territory")
        .order_by("requested_at")
    )
    log_access(request, action=AccessAction.SEARCH, model=HabilitationRequest)
    pending = list(pending)
    for habilitation_request in pending:
        habilitation_request.waited_days = pending_working_days(habilitation_request)
    return render(
        request,
        "accounts/habilitation_request_list.html",
        {"requests": pending, "reminder_days": min(settings.HABILITATION_REQUEST_REMINDER_WORKING_DAYS)},
    )


@recent_auth_required(only_writes=True)
def habilitation_request_decide(request, public_id):
    habilitation_request = get_object_or_404(
        HabilitationRequest.objects.visible_to(request.user).select_related("organisation", "territory"),
        public_id=public_id,
    )
    if not can_manage_habilitations(request.user):
        raise PermissionDenied
    approve_form = HabilitationDecisionForm(request.POST if "approve" in request.POST else None, prefix="approve")
    refuse_form = HabilitationRefusalForm(request.POST if "refuse" in request.POST else None, prefix="refuse")
    if request.method == "POST" and habilitation_request.status != HabilitationRequestStatus.PENDING:
        messages.error(request, "Cette demande a déjà été décidée.")
        return redirect("accounts:habilitation_request_list")
    for form, decide, verb in (
        (approve_form, approve_habilitation_request, "accordée"),
        (refuse_form, refuse_habilitation_request, "refusée"),
    ):
        if form.is_bound and form.is_valid():
            try:
                decide(habilitation_request=habilitation_request, **form.cleaned_data, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                log_access(request, action=AccessAction.UPDATE, obj=habilitation_request)
                messages.success(request, f"Demande de {habilitation_request.organisation.name} {verb}.")
                return redirect("accounts:habilitation_request_list")
    log_access(request, action=AccessAction.READ, obj=habilitation_request)
    return render(
        request,
        "accounts/habilitation_request_decide.html",
        {"habilitation_request": habilitation_request, "approve_form": approve_form, "refuse_form": refuse_form},
    )


def _form_page(request, organisation, form, *, title, submit_label, habilitation=None):
    return render(
        request,
        "accounts/habilitation_form.html",
        {
            "organisation": organisation,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "habilitation": habilitation,
        },
    )
