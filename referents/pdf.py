"""HTML vers PDF avec WeasyPrint, sans aucun accès réseau : seules les ressources `data:` sont lues.

WeasyPrint est importé à l'appel : son chargement est lent et inutile aux autres pages."""


def html_to_pdf(html):
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
