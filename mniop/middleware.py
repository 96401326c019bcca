from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.cache import add_never_cache_headers


class CspNonceForDsfrMiddleware:
    """Expose le nonce CSP de Django sous le nom que lit `dsfr/base.html` (`request.csp_nonce`).

    Le nonce paresseux de Django vaut faux tant qu'il n'a pas été lu : on le lit ici pour que les balises <script>
    du DSFR le portent et que l'en-tête Content-Security-Policy l'annonce.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = getattr(request, "_csp_nonce", None)
        if nonce is not None:
            str(nonce)
            request.csp_nonce = nonce
        return self.get_response(request)


#: L'API valide ses paramètres elle-même et répond par un problème RFC 9457 par champ.
API_PREFIX = "/api/"


class RejectNulCharacterMiddleware:
    """Un caractère nul (U+0000) dans l'adresse donne 404, dans un paramètre de la requête d'une page 400, avant toute
    vue.

    PostgreSQL refuse ce caractère dans un texte : sans ce filtre, un identifiant ou un filtre qui le porte atteint la
    base et donne une erreur 500 (`DataError`). Les formulaires le refusent déjà champ par champ (Django), et le corps
    JSON de l'API dans `accounts.api.parsers`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("Adresse invalide.")
        if not request.path.startswith(API_PREFIX) and any(
            "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
        ):
            raise BadRequest("Un paramètre de l'adresse contient un caractère nul.")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Les en-têtes que `SecurityMiddleware` ne pose pas : `Permissions-Policy` sur toute réponse, et aucune mise en
    cache (`Cache-Control: no-store, private…`) de toute réponse faite à une personne ou à un jeton authentifié
    (pages des dossiers, JSON de l'API, exports CSV, PDF) : ni le navigateur ni un proxy ne gardent de données de
    cas."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "Authorization" in request.headers:
            add_never_cache_headers(response)
        return response
