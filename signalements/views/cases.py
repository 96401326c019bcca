"""« Mes signalements » et la page d'un signalement : journal, demandes de complément, partage.

Hors de portée (`Signalement.objects.visible_to`) : 404. Dans la portée sans le droit (`permissions.can_*`) : 403.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.models import AccessAction, User
from mniop.forms import add_service_errors
from signalements import lifecycle
from signalements.duplicates import possible_duplicates
from signalements.forms.cases import (
    IdentityOpeningForm,
    InformationRequestAnswerForm,
    ShareForm,
    SignalementFilterForm,
)
from signalements.models import InformationRequest, Signalement
from signalements.permissions import (
    can_answer_information_request,
    can_open_identity,
    can_read_account,
    can_share_signalement,
    in_scope,
)
from signalements.presentation import (
    FOREIGN_KEYS,
    MANY_FIELDS,
    CasePresenter,
    identity_access,
    signalement_groups,
    status_badge,
)
from signalements.services.identity import open_identity
from signalements.services.information_requests import answer_information_request
from signalements.services.sharing import share_candidates, share_signalement, shared_with, unshare_signalement
from signalements.timeline import case_timeline

PAGE_SIZE = 25


def _filter(signalements, form, user):
    """Applique les filtres valides ; un filtre invalide est ignoré (son erreur s'affiche à côté du champ)."""
    form.is_valid()
    data = form.cleaned_data
    if data.get("q"):
        query = data["q"].strip()
        signalements = signalements.filter(Q(reference__icontains=query) | Q(pseudonym__unaccent__icontains=query))
    if data.get("urgent"):
        signalements = signalements.filter(urgent=True)
    if data.get("minor"):
        signalements = signalements.minors()
    if data.get("pending_request"):
        signalements = signalements.filter(has_pending_request=True)
    if data.get("mine"):
        signalements = signalements.filter(created_by=user)
    if data.get("since"):
        signalements = signalements.filter(
            created_at__gte=timezone.make_aware(datetime.datetime.combine(data["since"], datetime.time.min))
        )
    if data.get("until"):
        signalements = signalements.filter(
            created_at__lte=timezone.make_aware(datetime.datetime.combine(data["until"], datetime.time.max))
        )
    return signalements


def signalement_list(request):
    """Les signalements que la personne voit : ceux de sa structure (administrateur), les siens et ceux partagés
    avec elle (agent), ce que `visible_to` donne pour les autres rôles."""
    form = SignalementFilterForm(request.GET)
    pending = InformationRequest.objects.pending().filter(signalement=OuterRef("pk"))
    signalements = _filter(
        Signalement.objects.visible_to(request.user).annotate(has_pending_request=Exists(pending)),
        form,
        request.user,
    )
    counts = dict(signalements.order_by().values_list("status").annotate(n=Count("pk")))
    status_counts = [
        {"value": status, "label": status.label, "count": counts[status], "badge": status_badge(status)}
        for status in lifecycle.ALL
        if counts.get(status)
    ]
    selected_status = form.cleaned_data.get("status")
    if selected_status:
        signalements = signalements.filter(status=selected_status)
    signalements = signalements.select_related("organisation").order_by("-created_at", "-pk")
    page = Paginator(signalements, PAGE_SIZE).get_page(request.GET.get("page"))
    for signalement in page:
        signalement.case = CasePresenter(signalement, has_pending_request=signalement.has_pending_request)
    log_access(request, action=AccessAction.SEARCH, model=Signalement)
    return render(
        request,
        "signalements/signalement_list.html",
        {
            "form": form,
            "page_obj": page,
            "status_counts": status_counts,
            "total": sum(counts.values()),
        },
    )


def _visible_signalement(request, public_id):
    queryset = (
        Signalement.objects.visible_to(request.user)
        .select_related("organisation", "created_by", "submitted_by", *FOREIGN_KEYS)
        .prefetch_related(*MANY_FIELDS, "consents")
    )
    return in_scope(get_object_or_404(queryset, public_id=public_id), request.user)


def _render_detail(request, signalement, *, answer_form=None, answered_request=None, share_form=None, status=200):
    user = request.user
    requests = list(signalement.information_requests.select_related("requested_by", "answered_by"))
    for information_request in requests:
        information_request.signalement = signalement
    pending = [information_request for information_request in requests if information_request.is_pending]
    can_answer = bool(pending) and can_answer_information_request(user, pending[0])
    for information_request in pending:
        if can_answer:
            bound = answered_request is not None and answered_request.pk == information_request.pk
            information_request.form = answer_form if bound else InformationRequestAnswerForm()
    can_share = can_share_signalement(user, signalement)
    identity = identity_access(user, signalement)
    context = {
        "signalement": signalement,
        "case": CasePresenter(signalement, has_pending_request=bool(pending), identity=identity),
        "groups": signalement_groups(signalement, identity),
        "can_read_account": can_read_account(user, signalement),
        "timeline": case_timeline(signalement),
        "information_requests": requests,
        "can_answer": can_answer,
        "can_share": can_share,
        "possible_duplicates": possible_duplicates(signalement, user=user),
    }
    if can_share:
        context["shared_with"] = list(shared_with(signalement).order_by("last_name", "first_name"))
        context["share_form"] = share_form or ShareForm(candidates=share_candidates(signalement).order_by("last_name"))
    return render(request, "signalements/signalement_detail.html", context, status=status)


def signalement_detail(request, public_id):
    signalement = _visible_signalement(request, public_id)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return _render_detail(request, signalement)


def _redirect_to_detail(signalement):
    return redirect("signalements:signalement_detail", public_id=signalement.public_id)


@require_POST
def information_request_answer(request, public_id, request_id):
    signalement = _visible_signalement(request, public_id)
    information_request = get_object_or_404(signalement.information_requests, public_id=request_id)
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
                return _redirect_to_detail(signalement)
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=information_request)
            messages.success(request, "Votre réponse a été transmise à la Miprof.")
            return _redirect_to_detail(signalement)
    return _render_detail(request, signalement, answer_form=form, answered_request=information_request, status=400)


def _colleague(form):
    return User.objects.filter(public_id=form.cleaned_data["colleague"]).first()


@require_POST
def signalement_share(request, public_id):
    signalement = _visible_signalement(request, public_id)
    if not can_share_signalement(request.user, signalement):
        raise PermissionDenied
    log_access(request, action=AccessAction.READ, obj=signalement)
    form = ShareForm(request.POST, candidates=share_candidates(signalement).order_by("last_name"))
    if form.is_valid():
        colleague = _colleague(form)
        try:
            share_signalement(signalement=signalement, colleague=colleague, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            messages.success(request, f"Le signalement est partagé avec {colleague}.")
            return _redirect_to_detail(signalement)
    return _render_detail(request, signalement, share_form=form, status=400)


@require_POST
def signalement_unshare(request, public_id, user_id):
    signalement = _visible_signalement(request, public_id)
    if not can_share_signalement(request.user, signalement):
        raise PermissionDenied
    log_access(request, action=AccessAction.READ, obj=signalement)
    colleague = get_object_or_404(shared_with(signalement), public_id=user_id)
    unshare_signalement(signalement=signalement, colleague=colleague, by=request.user)
    log_access(request, action=AccessAction.UPDATE, obj=signalement)
    messages.success(request, f"{colleague} n'a plus accès à ce signalement.")
    return _redirect_to_detail(signalement)


@require_POST
def signalement_identity_open(request, public_id):
    """Ouvre l'identité scellée avec un motif (valideur départemental ; Miprof pour une personne mineure), puis
    revient à la page d'où la demande est partie (page du signalement ou du dossier)."""
    signalement = _visible_signalement(request, public_id)
    if not can_open_identity(request.user, signalement):
        raise PermissionDenied
    form = IdentityOpeningForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
    else:
        try:
            opening = open_identity(signalement=signalement, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            log_access(request, action=AccessAction.READ, obj=signalement)
            messages.success(
                request,
                f"Identité ouverte jusqu'à {timezone.localtime(opening.expires_at):%H:%M} : le motif est inscrit au "
                "journal du dossier, chaque lecture au journal d'accès.",
            )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return _redirect_to_detail(signalement)
