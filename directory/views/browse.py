"""Accueil de l'annuaire (tous les territoires), recherche des professionnels, fiche, exports CSV et vCard."""

import io

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.audit import log_access
from accounts.ratelimits import limit
from directory.exchange import vcard_for, write_csv
from directory.forms import DirectorySearchForm
from directory.permissions import (
    can_edit_entry,
    can_edit_own_entry,
    can_keep_own_entries,
    can_moderate_directory,
    can_search_directory,
)
from directory.search import group_by_territory, search_directory
from directory.views.common import professional_required, visible_entry
from referents.enums import Zone
from referents.models import DirectoryEntry, Region, Territory

PAGE_SIZE = 25
EXPORT_LIMIT = 5000


@login_not_required
def directory_home(request):
    """Tous les départements, régions et collectivités d'outre-mer, pour tout le monde."""
    regions = Region.objects.order_by("zone", "name").prefetch_related(
        Prefetch("territories", queryset=Territory.objects.order_by("code"))
    )
    collectivites = Territory.objects.filter(region__isnull=True).order_by("code")
    return render(
        request,
        "directory/directory_home.html",
        {
            "hexagone_regions": [region for region in regions if region.zone == Zone.HEXAGONE],
            "overseas_regions": [region for region in regions if region.zone == Zone.OUTRE_MER],
            "collectivites": collectivites,
            "is_professional": can_search_directory(request.user),
            "can_keep_own_entries": can_keep_own_entries(request.user),
        },
    )


def _searched(request):
    form = DirectorySearchForm(request.GET or None)
    entries = DirectoryEntry.objects.visible_to(request.user).select_related("organisation", "main_territory")
    return form, search_directory(entries, **(form.search_arguments() if form.is_valid() else {}))


@professional_required
@limit(("directory-search", "DIRECTORY_SEARCH_PER_ADDRESS", "user_or_ip", ()))
def directory_search(request):
    form, result = _searched(request)
    paginator = Paginator(result.entries, PAGE_SIZE)
    paginator.count = result.count  # déjà compté par search_directory
    page = paginator.get_page(request.GET.get("page"))
    log_access(request, action="search", model=DirectoryEntry)
    return render(
        request,
        "directory/directory_search.html",
        {
            "form": form,
            "page_obj": page,
            "groups": group_by_territory(page.object_list),
            "query_string": request.GET.urlencode(),
            "is_ranked": result.is_ranked,
            "is_too_broad": result.is_too_broad,
        },
    )


@professional_required
@limit(("directory-search", "DIRECTORY_SEARCH_PER_ADDRESS", "user_or_ip", ()))
def directory_search_export(request):
    """Les résultats de la recherche en CSV (mêmes colonnes que l'import), au plus EXPORT_LIMIT fiches."""
    _, result = _searched(request)
    entries = result.entries.prefetch_related("territories")[:EXPORT_LIMIT]
    stream = io.StringIO()
    write_csv(entries, stream)
    log_access(request, action="export", model=DirectoryEntry)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="annuaire-mniop-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@professional_required
def entry_detail(request, public_id):
    entry = visible_entry(request, public_id)
    territories = list(entry.territories.order_by("code"))
    log_access(request, action="read", obj=entry)
    return render(
        request,
        "directory/entry_detail.html",
        {
            "entry": entry,
            "territories": territories,
            "can_edit": can_edit_entry(request.user, entry) or can_edit_own_entry(request.user, entry),
            "can_moderate": can_moderate_directory(request.user),
        },
    )


@professional_required
def entry_vcard(request, public_id):
    entry = visible_entry(request, public_id)
    log_access(request, action="download", obj=entry)
    response = HttpResponse(vcard_for(entry), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fiche-{entry.public_id}.vcf"'
    return response
