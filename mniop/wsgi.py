import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mniop.settings.prod")
application = get_wsgi_application()

# Les URL, et avec elles toutes les vues, sont importées au démarrage plutôt qu'à la première requête : avec
# `gunicorn --preload` (make run), une seule fois pour tous les processus ; sans, avant que le processus n'accepte
# une requête. La première requête n'attend plus plusieurs secondes d'imports.
get_resolver().url_patterns  # noqa: B018
