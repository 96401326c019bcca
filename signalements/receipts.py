"""L'accusé de réception PDF d'un signalement déposé (WeasyPrint), à l'apparence du DSFR.

Il ne contient aucune donnée d'identité de la personne (ni nom, ni pseudonyme, ni date de naissance) ni le récit :
la référence, la date du dépôt, l'organisation déclarante, la personne qui a déposé et la suite de la procédure.
Le rendu n'accède jamais au réseau : `LocalStaticFetcher` ne sert que les fichiers statiques locaux.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from mniop.pdf import render_document
from mniop.time_zones import zone_name

DEFAULT_TIME_ZONE = "Europe/Paris"
STYLESHEETS = ["pdf/receipt.css"]


def submission_time_zone(signalement):
    departement = signalement.departement
    return ZoneInfo(departement.time_zone if departement and departement.time_zone else DEFAULT_TIME_ZONE)


def receipt_context(signalement):
    zone = submission_time_zone(signalement)
    submitted_by = signalement.submitted_by
    return {
        "signalement": signalement,
        "submitted_at": timezone.localtime(signalement.submitted_at, zone),
        "time_zone": zone.key,
        "time_zone_name": zone_name(zone.key),
        "organisation_name": signalement.organisation.name,
        "submitted_by_name": submitted_by.get_full_name() or submitted_by.email if submitted_by else "",
        "site_url": settings.SITE_URL,
        "generated_at": timezone.localtime(timezone.now(), zone),
    }


def render_receipt_pdf(signalement, *, url_fetcher=None):
    """Les octets du PDF de l'accusé de réception d'un signalement déposé."""
    if signalement.submitted_at is None or not signalement.reference:
        raise ValueError("Un brouillon n'a pas d'accusé de réception.")
    return render_document(
        "pdf/signalements/receipt.html", receipt_context(signalement), stylesheets=STYLESHEETS, url_fetcher=url_fetcher
    )
