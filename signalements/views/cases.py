"""« Mes signalements », le renvoi de l'ancienne page d'un signalement vers l'espace de travail du dossier, le
partage (sa propre page) et l'ouverture de l'identité scellée.

Hors de portée (`Signalement.objects.visible_to`) : 404. Dans la portée sans le droit (`permissions.can_*`) : 403.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import log_access
from accounts.models import AccessAction, User
from mniop.forms import add_service_errors
from signalements import lifecycle
from signalements.enums import SignalementStatus
from signalements.forms.cases import (
    IdentityOpeningForm,
    ShareForm,
    SignalementFilterForm,
)
from signalements.models import InformationRequest, Signalement
from signalements.permissions import (
    can_open_identity,
    can_share_signalement,
    in_scope,
)
from signalements.presentation import (
    CasePresenter,
    status_badge,
)
from signalements.services.identity import open_identity
from signalements.services.sharing import share_candidates, share_signalement, shared_with, unshare_signalement

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
    queryset = Signalement.objects.visible_to(request.user).select_related("organisation")
    return in_scope(get_object_or_404(queryset, public_id=public_id), request.user)


def case_workspace_url(signalement):
    """L'espace de travail du dossier (`/dossiers/<uuid>/`), résolu par son nom d'URL : `signalements` n'importe
    pas `orientation`."""
    return reverse("orientation:case_detail", kwargs={"public_id": signalement.public_id})


def signalement_detail(request, public_id):
    """L'ancienne page d'un signalement renvoie (302) à l'espace de travail du dossier, la seule page d'un dossier
    pour tous les rôles ; un brouillon à ses pages de saisie. Hors de portée : 404, comme avant. Rien n'est lu ici :
    la ligne du journal d'accès est écrite par la page d'arrivée."""
    signalement = _visible_signalement(request, public_id)
    if signalement.status == SignalementStatus.DRAFT:
        return redirect("signalements:draft_resume", public_id=signalement.public_id)
    return redirect(case_workspace_url(signalement))


def _redirect_to_sharing(signalement):
    return redirect("signalements:signalement_share", public_id=signalement.public_id)


def _render_sharing(request, signalement, form=None, status=200):
    candidates = share_candidates(signalement).order_by("last_name")
    context = {
        "signalement": signalement,
        "workspace_url": case_workspace_url(signalement),
        "shared_with": list(shared_with(signalement).order_by("last_name", "first_name")),
        "form": form or ShareForm(candidates=candidates),
    }
    return render(request, "signalements/signalement_share.html", context, status=status)


def _colleague(form):
    return User.objects.filter(public_id=form.cleaned_data["colleague"]).first()


@require_http_methods(["GET", "POST"])
def signalement_share(request, public_id):
    """Le partage d'un signalement avec des collègues de la structure déclarante, sur sa propre page."""
    signalement = _visible_signalement(request, public_id)
    if not can_share_signalement(request.user, signalement):
        raise PermissionDenied
    log_access(request, action=AccessAction.READ, obj=signalement)
    if request.method == "GET":
        return _render_sharing(request, signalement)
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
            return _redirect_to_sharing(signalement)
    return _render_sharing(request, signalement, form=form, status=400)


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
    return _redirect_to_sharing(signalement)


@require_POST
def signalement_identity_open(request, public_id):
    """Ouvre l'identité scellée avec un motif (valideur départemental ; Miprof pour une personne mineure), puis
    revient à la page d'où la demande est partie (l'espace de travail du dossier)."""
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
    return redirect(case_workspace_url(signalement))
