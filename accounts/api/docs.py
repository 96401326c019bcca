"""Le schéma OpenAPI et sa page de documentation, servis sans ressource externe (CSP stricte)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularAPIView):
    """Le schéma ne contient aucune donnée : il est public, comme sa documentation."""

    authentication_classes = []
    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, dont le script d'initialisation est un fichier à part : la CSP (script-src 'self') le permet."""

    authentication_classes = []
    permission_classes = [AllowAny]
    template_name = "api/docs.html"
    title = "Documentation de l'API du MNIOP"
    url_name = "api_schema"
