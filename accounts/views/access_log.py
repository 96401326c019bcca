from datetime import datetime, time

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.audit import log_access
from accounts.forms import AccessLogFilterForm
from accounts.models import AccessAction, AccessLog
from accounts.permissions import can_search_access_log
from mniop.roles import role_required


@role_required(can_search_access_log)
def access_log_list(request):
    """Recherche dans le journal d'accès (administration de la Miprof). La recherche est elle-même journalisée."""
    form = AccessLogFilterForm(request.GET or None)
    entries = AccessLog.objects.select_related("user", "organisation")
    if form.is_valid():
        data = form.cleaned_data
        if data["email"]:
            entries = entries.filter(user__email__icontains=data["email"].strip())
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"].strip())
        if data["object_type"]:
            entries = entries.filter(object_type__icontains=data["object_type"].strip())
        if data["request_id"]:
            entries = entries.filter(request_id=data["request_id"].strip())
        if data["since"]:
            entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(data["since"], time.min)))
        if data["until"]:
            entries = entries.filter(at__lte=timezone.make_aware(datetime.combine(data["until"], time.max)))
    log_access(request, action=AccessAction.SEARCH, model=AccessLog)
    page = Paginator(entries.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access_log_list.html", {"form": form, "page_obj": page})
