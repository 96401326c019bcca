"""La couverture de l'annuaire : carte en tuiles (SVG rendu côté serveur) et tableau des manques."""

from django.shortcuts import render

from directory.coverage import coverage_by_territory, inset_band_y, legend, map_size, map_tiles
from directory.views.common import professional_required
from referents.enums import REQUIRED_CATEGORIES, ReferentCategory


@professional_required
def coverage(request):
    coverages = coverage_by_territory()
    width, height = map_size()
    gaps = sorted((c for c in coverages if not c.is_complete), key=lambda c: (c.count, c.territory.code))
    return render(
        request,
        "directory/coverage.html",
        {
            "tiles": map_tiles(coverages),
            "width": width,
            "height": height,
            "inset_y": inset_band_y(),
            "legend": legend(),
            "gaps": gaps,
            "complete_count": sum(1 for c in coverages if c.is_complete),
            "territory_count": len(coverages),
            "required": [ReferentCategory(category) for category in REQUIRED_CATEGORIES],
            "required_labels": ", ".join(ReferentCategory(category).label.lower() for category in REQUIRED_CATEGORIES),
        },
    )
