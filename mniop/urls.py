from django.contrib import admin
from django.urls import include, path

from accounts.api.docs import DocsView, SchemaView
from mniop import views
from mniop.health import health
from mniop.observability.metrics import metrics_view

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notices, name="legal_notices"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("sante/", health, name="health"),
    path("metriques/", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("second-facteur/cle-d-acces/", include("accounts.urls_webauthn")),
    path("", include("signalements.urls")),
    path("", include("notifications.urls")),
    path("api/v1/", include("signalements.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("api/docs/", DocsView.as_view(), name="api_docs"),
    path("", include("orientation.urls")),
    path("api/v1/", include("orientation.api.urls")),
    path("", include("privacy.urls")),
    path("", include("directory.urls")),
    path("", include("observatoire.urls")),
    path("api/v1/", include("directory.api.urls")),
]

handler404 = "accounts.api.errors.not_found"
handler500 = "accounts.api.errors.server_error"
