"""HTML vers PDF avec WeasyPrint, sans aucun accès réseau : seules les ressources `data:` sont lues."""

from weasyprint import HTML
from weasyprint.urls import URLFetcher


def html_to_pdf(html):
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
