"""Les files : Miprof (nationale) et départementale (les départements de la personne valideuse)."""

import uuid
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from mniop.roles import current_membership, role_required
from mniop.time_zones import zone_name
from orientation import queues
from orientation.forms import QueueFilterForm, SavedFilterForm
from orientation.models import SavedFilter
from orientation.permissions import is_miprof, is_validator
from signalements import lifecycle
from signalements.enums import SignalementStatus
from signalements.models import LinkRequest, Signalement

FILTER_KEYS = ["reference", "statut", "departement", "forme", "mineur", "canal", "agent", "en_retard"]


def filter_query(data):
    """La chaîne de requête des seuls filtres (sans curseur), pour les liens et les filtres enregistrés."""
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if data.get(key):
            query[key] = data[key]
    return query.urlencode()


def present_rows(rows):
    """Ce que chaque ligne de la file affiche, calculé une fois en Python (lien, état, dates à l'heure locale,
    agent) : le gabarit ne fait qu'écrire des chaînes, sans filtre ni méthode par cellule."""
    case_url = reverse("orientation:case_detail", args=[_ANY_UUID])
    labels = dict(SignalementStatus.choices)
    current_zone = timezone.get_current_timezone()
    for row in rows:
        row.url = case_url.replace(str(_ANY_UUID), str(row.public_id))
        row.status_label = labels.get(row.status, row.status)
        row.submitted_display = _local(row.submitted_at, current_zone)
        row.assigned_display = str(row.assigned_to) if row.assigned_to_id else "—"
        row.next_due_display = row.next_due_zone_name = ""
        if row.next_due_at:
            due_zone = ZoneInfo(row.next_due_time_zone) if row.next_due_time_zone else current_zone
            row.next_due_display = _local(row.next_due_at, due_zone)
            if str(due_zone) != str(current_zone):
                row.next_due_zone_name = zone_name(row.next_due_time_zone)


_ANY_UUID = uuid.UUID(int=0)


def _local(moment, zone):
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M") if moment else ""


def _queue(request, *, queue, base, statuses, default_statuses, departements=None, extra=None):
    form = QueueFilterForm(
        request.GET or None, statuses=statuses, departements=departements, with_agent=queue == "miprof"
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows, next_cursor = queues.page(
        queues.filter_queue(base, filters, default_statuses), cursor=request.GET.get("apres")
    )
    present_rows(rows)
    log_access(request, action=AccessAction.SEARCH, model=Signalement)
    query = filter_query(request.GET)
    return render(
        request,
        f"orientation/queue_{queue}.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": next_cursor,
            "query": query,
            "is_first_page": not request.GET.get("apres"),
            "counts": queues.status_counts(
                base, lifecycle.MIPROF_QUEUE if queue == "miprof" else lifecycle.DEPARTMENTAL_QUEUE
            ),
            "saved_filters": SavedFilter.objects.filter(user=request.user, queue=queue),
            "saved_filter_form": SavedFilterForm(),
            "queue": queue,
            **(extra or {}),
        },
    )


@role_required(is_miprof)
def miprof_queue(request):
    # Les demandes de rapprochement en attente (chercher avant de créer) : des éléments d'instruction de la file.
    link_requests = (
        LinkRequest.objects.pending()
        .filter(signalement__in=Signalement.objects.visible_to(request.user))
        .select_related("signalement")
        .only("public_id", "requested_at", "signalement__public_id", "signalement__reference")[:50]
    )
    return _queue(
        request,
        queue="miprof",
        base=Signalement.objects.visible_to(request.user),
        statuses=lifecycle.FILED,
        default_statuses=lifecycle.OPEN,
        extra={"link_requests": list(link_requests)},
    )


@role_required(is_validator)
def departement_queue(request):
    membership = current_membership(request.user)
    return _queue(
        request,
        queue="departement",
        base=Signalement.objects.visible_to(request.user),
        statuses=lifecycle.DEPARTMENTAL,
        default_statuses=lifecycle.DEPARTMENTAL_QUEUE_DEFAULT,
        departements=membership.departements.all(),
    )


QUEUE_URLS = {"miprof": "orientation:miprof_queue", "departement": "orientation:departement_queue"}
QUEUE_PREDICATES = {"miprof": is_miprof, "departement": is_validator}


@require_POST
def saved_filter_create(request, queue):
    if queue not in QUEUE_URLS or not QUEUE_PREDICATES[queue](request.user):
        raise PermissionDenied
    form = SavedFilterForm(request.POST)
    query = filter_query(request.POST)
    if form.is_valid() and query:
        SavedFilter.objects.update_or_create(
            user=request.user, queue=queue, name=form.cleaned_data["name"], defaults={"query": query}
        )
        messages.success(request, f"Filtre « {form.cleaned_data['name']} » enregistré.")
    else:
        messages.error(request, "Donnez un nom au filtre et choisissez au moins un critère.")
    return redirect(f"{reverse(QUEUE_URLS[queue])}?{query}")


@require_POST
def saved_filter_delete(request, pk):
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, f"Filtre « {saved.name} » supprimé.")
    return redirect(QUEUE_URLS[saved.queue])
