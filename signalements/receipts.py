"""L'accusé de réception PDF d'un signalement déposé (WeasyPrint), à l'apparence du DSFR.

Il ne contient aucune donnée d'identité de la personne (ni nom, ni pseudonyme, ni date de naissance) ni le récit :
la référence, la date du dépôt, l'organisation déclarante, la personne qui a déposé et la suite de la procédure.
Le rendu n'accède jamais au réseau : `LocalStaticFetcher` ne sert que les fichiers statiques locaux.
"""

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

DEFAULT_TIME_ZONE = "Europe/Paris"
FONTS = [
    ("dsfr/dist/fonts/Marianne-Light.woff2", 300, "normal"),
    ("dsfr/dist/fonts/Marianne-Regular.woff2", 400, "normal"),
    ("dsfr/dist/fonts/Marianne-Medium.woff2", 500, "normal"),
    ("dsfr/dist/fonts/Marianne-Bold.woff2", 700, "normal"),
    ("dsfr/dist/fonts/Marianne-Regular_Italic.woff2", 400, "italic"),
]
STYLESHEETS = ["pdf/receipt.css"]
#: Le bloc-marque du DSFR, d'où vient l'emblème de Marianne (WeasyPrint ne sait pas appliquer cette feuille).
DSFR_LOGO_CSS = "dsfr/dist/component/logo/logo.main.min.css"
MARIANNE_EMBLEM = re.compile(r'\.fr-logo:before\{background-image:url\("(data:image/svg\+xml[^"]+)"\)')


class NetworkAccessRefused(ValueError):
    pass


def static_roots():
    """Les seuls dossiers que le rendu peut lire : les fichiers statiques de django-dsfr et ceux du projet."""
    return [(Path(apps.get_app_config("dsfr").path) / "static").resolve()] + [
        Path(directory).resolve() for directory in settings.STATICFILES_DIRS
    ]


def static_file(relative):
    for root in static_roots():
        candidate = (root / relative).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate
    raise FileNotFoundError(f"Fichier statique introuvable : {relative}")


class LocalStaticFetcher(URLFetcher):
    """Sert les URI `data:` et les fichiers `file:` des dossiers statiques ; refuse tout le reste (http, https,
    ftp, fichiers hors de ces dossiers) : le rendu n'ouvre jamais de connexion réseau."""

    def __init__(self):
        super().__init__(allowed_protocols=["file", "data"], allow_redirects=False)
        self.refused = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            # Le chemin tel que urllib l'ouvrira (décodé : « %2e%2e » devient « .. »), puis résolu.
            path = Path(url2pathname(parts.path)).resolve()
            if parts.netloc not in ("", "localhost") or not any(path.is_relative_to(r) for r in static_roots()):
                return self._refuse(url)
        elif scheme != "data":
            return self._refuse(url)
        return super().fetch(url, headers)

    def _refuse(self, url):
        self.refused.append(url)
        raise NetworkAccessRefused(f"Ressource refusée pendant le rendu PDF : {url}")


@functools.cache
def marianne_emblem():
    """L'emblème de Marianne du bloc-marque, tel que django-dsfr le fournit (URI `data:` SVG), ou "" s'il change."""
    match = MARIANNE_EMBLEM.search(static_file(DSFR_LOGO_CSS).read_text())
    return match.group(1) if match else ""


def submission_time_zone(signalement):
    departement = signalement.departement
    return ZoneInfo(departement.time_zone if departement and departement.time_zone else DEFAULT_TIME_ZONE)


def receipt_context(signalement):
    zone = submission_time_zone(signalement)
    submitted_by = signalement.submitted_by
    return {
        "signalement": signalement,
        "submitted_at": timezone.localtime(signalement.submitted_at, zone),
        "time_zone_name": str(zone),
        "organisation_name": signalement.organisation.name,
        "submitted_by_name": submitted_by.get_full_name() or submitted_by.email if submitted_by else "",
        "site_url": settings.SITE_URL,
        "marianne_emblem": marianne_emblem(),
        "generated_at": timezone.localtime(timezone.now(), zone),
    }


def stylesheets(fetcher, font_config):
    """La police Marianne de django-dsfr, le bloc-marque du DSFR et la feuille de style d'impression du reçu."""
    font_faces = "".join(
        f"@font-face {{ font-family: Marianne; font-weight: {weight}; font-style: {style}; "
        f'src: url("{static_file(path).as_uri()}"); }}'
        for path, weight, style in FONTS
    )
    return [CSS(string=font_faces, url_fetcher=fetcher, font_config=font_config)] + [
        CSS(url=static_file(path).as_uri(), url_fetcher=fetcher, font_config=font_config) for path in STYLESHEETS
    ]


def render_pdf(html, *, url_fetcher=None):
    """Le rendu WeasyPrint, sans accès réseau, avec les feuilles de style de l'accusé de réception."""
    fetcher = url_fetcher or LocalStaticFetcher()
    document = HTML(string=html, base_url=static_roots()[0].as_uri() + "/", url_fetcher=fetcher)
    font_config = FontConfiguration()
    return document.write_pdf(stylesheets=stylesheets(fetcher, font_config), font_config=font_config)


def render_receipt_pdf(signalement, *, url_fetcher=None):
    """Les octets du PDF de l'accusé de réception d'un signalement déposé."""
    if signalement.submitted_at is None or not signalement.reference:
        raise ValueError("Un brouillon n'a pas d'accusé de réception.")
    html = render_to_string("pdf/signalements/receipt.html", receipt_context(signalement))
    return render_pdf(html, url_fetcher=url_fetcher)
