"""Pages des territoires : page des professionnels, page publique, page de région, annuaire PDF d'un département."""

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.audit import log_access
from accounts.ratelimits import limit
from directory.permissions import can_search_directory
from directory.views.common import professional_required
from mniop.pdf import render_document
from referents.enums import ReferentCategory, required_categories_for
from referents.models import DirectoryEntry, Region, Territory


def _territory(code):
    return get_object_or_404(Territory.objects.select_related("region"), code=code)


def local_time(territory):
    return timezone.now().astimezone(ZoneInfo(territory.time_zone))


def _by_category(entries):
    groups = {}
    for entry in entries:
        groups.setdefault(entry.get_category_display(), []).append(entry)
    return list(groups.items())


def _territory_entries(user, territory):
    return list(
        DirectoryEntry.objects.visible_to(user)
        .covering(territory)
        .select_related("organisation")
        .order_by("category", "title", "pk")
    )


def _missing_categories(entries, territory):
    present = {entry.category for entry in entries if entry.is_active}
    return [
        ReferentCategory(category) for category in required_categories_for(territory.code) if category not in present
    ]


#: Vers qui se tourner quand un territoire manque de référents (domaine §6.3, « moins dotés »).
NATIONAL_CATEGORIES = (ReferentCategory.NATIONAL_RESOURCE, ReferentCategory.OFPRA)


def _national_fallback(user):
    return list(
        DirectoryEntry.objects.visible_to(user)
        .active()
        .filter(category__in=NATIONAL_CATEGORIES)
        .select_related("organisation")
        .order_by("title", "pk")[:10]
    )


@professional_required
def territory_detail(request, code):
    territory = _territory(code)
    entries = _territory_entries(request.user, territory)
    missing = _missing_categories(entries, territory)
    log_access(request, action="search", model=DirectoryEntry, object_id=f"territoire:{territory.code}")
    return render(
        request,
        "directory/territory_detail.html",
        {
            "territory": territory,
            "local_time": local_time(territory),
            "groups": _by_category(entries),
            "count": len(entries),
            "missing": missing,
            "missing_labels": ", ".join(category.label for category in missing),
            "national_entries": _national_fallback(request.user) if missing else [],
        },
    )


@login_not_required
@limit(("directory-public", "DIRECTORY_SEARCH_PER_ADDRESS", "ip", ()))
def territory_public(request, code):
    """La page publique : les fiches publiées, et d'elles seulement les champs publiés (`public_fields`)."""
    territory = _territory(code)
    entries = (
        DirectoryEntry.objects.published()
        .covering(territory)
        .select_related("organisation")
        .order_by("category", "title", "pk")
    )
    return render(
        request,
        "directory/territory_public.html",
        {
            "territory": territory,
            "local_time": local_time(territory),
            "cards": [entry.public_fields() for entry in entries],
            "is_professional": can_search_directory(request.user),
        },
    )


@login_not_required
def region_detail(request, code):
    """Une région : ses départements, chacun avec son nombre de fiches actives."""
    region = get_object_or_404(Region, code=code)
    through = DirectoryEntry.territories.through
    counts = dict(
        through.objects.filter(territory__region=region, directoryentry__is_active=True)
        .values("territory_id")
        .annotate(count=Count("id"))
        .values_list("territory_id", "count")
    )
    territories = [(territory, counts.get(territory.pk, 0)) for territory in region.territories.order_by("code")]
    return render(
        request,
        "directory/region_detail.html",
        {"region": region, "territories": territories, "is_professional": can_search_directory(request.user)},
    )


@professional_required
def territory_pdf(request, code):
    """L'annuaire d'un département en PDF (WeasyPrint, sans accès réseau)."""
    territory = _territory(code)
    entries = _territory_entries(request.user, territory)
    pdf = render_document(
        "pdf/directory/territory_directory.html",
        {"territory": territory, "groups": _by_category(entries), "generated_on": timezone.localdate()},
    )
    log_access(request, action="export", model=DirectoryEntry, object_id=f"territoire:{territory.code}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annuaire-mniop-{territory.code}.pdf"'
    return response
