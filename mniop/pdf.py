"""Rendu PDF commun (WeasyPrint) : la police Marianne et l'emblème du DSFR, et **aucun accès réseau** pendant le
rendu (`LocalStaticFetcher` ne sert que les URI `data:` et les fichiers statiques locaux).

Chaque document (accusé de réception, attestation de décision, fiche d'orientation, fiche des droits, notice
d'information, export d'accès, annuaire d'un département, enquête de l'observatoire) fournit son gabarit et sa feuille
de style d'impression, puis appelle `render_document(gabarit, contexte, stylesheets=[...])`. Le gabarit inclut
l'en-tête commun `pdf/includes/header.html` (bloc-marque de l'État) ; la feuille commune `pdf/base.css` pose le pied
de page (numéro de page, une fois). N'importe aucune application du MNIOP.

Chaque PDF est **balisé** (PDF/UA-1, `PDF_VARIANT`) : structure logique (titres, paragraphes, tableaux, listes),
langue du document (`<html lang>`) et titre (`<title>`, affiché par le lecteur à la place du nom de fichier), pour
qu'un lecteur d'écran le lise dans l'ordre. Le gabarit doit donc porter `lang` et un `<title>` non vide.
"""

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FONTS = [
    ("dsfr/dist/fonts/Marianne-Light.woff2", 300, "normal"),
    ("dsfr/dist/fonts/Marianne-Regular.woff2", 400, "normal"),
    ("dsfr/dist/fonts/Marianne-Medium.woff2", 500, "normal"),
    ("dsfr/dist/fonts/Marianne-Bold.woff2", 700, "normal"),
    ("dsfr/dist/fonts/Marianne-Regular_Italic.woff2", 400, "italic"),
]
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


#: La feuille commune à tous les PDF (A4, Marianne, numéro de page), placée avant celle du document.
BASE_STYLESHEET = "pdf/base.css"


def _stylesheets(paths, fetcher, font_config):
    """La police Marianne de django-dsfr, la feuille commune, puis celles du document (dossiers statiques)."""
    font_faces = "".join(
        f"@font-face {{ font-family: Marianne; font-weight: {weight}; font-style: {style}; "
        f'src: url("{static_file(path).as_uri()}"); }}'
        for path, weight, style in FONTS
    )
    return [CSS(string=font_faces, url_fetcher=fetcher, font_config=font_config)] + [
        CSS(url=static_file(path).as_uri(), url_fetcher=fetcher, font_config=font_config)
        for path in [BASE_STYLESHEET, *paths]
    ]


#: Variante PDF de WeasyPrint : PDF/UA-1 (balisage `pdf_tags`, PDF 1.7, métadonnées XMP « pdfuaid »).
PDF_VARIANT = "pdf/ua-1"


def render_pdf(html, *, stylesheets=(), url_fetcher=None):
    """Les octets du PDF de `html`, avec Marianne et les feuilles `stylesheets` (chemins dans les dossiers
    statiques, ex. "pdf/receipt.css"), sans aucun accès réseau."""
    fetcher = url_fetcher or LocalStaticFetcher()
    document = HTML(string=html, base_url=static_roots()[0].as_uri() + "/", url_fetcher=fetcher)
    font_config = FontConfiguration()
    return document.write_pdf(
        stylesheets=_stylesheets(stylesheets, fetcher, font_config),
        font_config=font_config,
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
    )


def render_document(template_name, context, *, stylesheets=(), url_fetcher=None):
    """Les octets du PDF du gabarit `template_name` : le contexte reçoit l'emblème de Marianne du DSFR
    (`marianne_emblem`) pour l'en-tête commun `pdf/includes/header.html`."""
    html = render_to_string(template_name, {**context, "marianne_emblem": marianne_emblem()})
    return render_pdf(html, stylesheets=stylesheets, url_fetcher=url_fetcher)
