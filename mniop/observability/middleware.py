"""Une ligne de journal JSON et une mesure Prometheus par requête, avec son identifiant (X-Request-ID)."""

import logging
import time

from django.db import connection
from django.utils.functional import empty

from mniop.observability import metrics
from mniop.observability.context import accepted_request_id, bind_request_id, unbind_request_id

logger = logging.getLogger("mniop.requests")

REQUEST_ID_HEADER = "X-Request-ID"
#: Vue des adresses qui ne correspondent à aucune route (404) : une seule valeur, pas une par adresse tapée.
UNMATCHED = "<aucune route>"


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestObservationMiddleware:
    """Reprend l'identifiant du proxy s'il est bien formé (sinon en tire un), le pose sur `request.request_id`, le
    rend dans l'en-tête X-Request-ID, puis écrit la ligne `mniop.requests` : identifiant, personne (son numéro, jamais
    son nom), organisation courante, vue et route (jamais le chemin ni la chaîne de requête), statut, durée,
    nombre de requêtes SQL. Placé après WhiteNoise : les fichiers statiques n'y passent pas."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER, ""))
        token = bind_request_id(request.request_id)
        counter = QueryCounter()
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
            duration = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = request.request_id
            self.observe(request, response, duration, counter.count)
            return response
        finally:
            unbind_request_id(token)

    def observe(self, request, response, duration, queries):
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else UNMATCHED
        user = getattr(request, "user", None)
        if getattr(user, "_wrapped", None) is empty:  # jamais lue pendant la requête : on ne la charge pas ici
            user = None
        membership = getattr(request, "membership", None)
        metrics.observe_request(view=view, method=request.method, status=response.status_code, duration=duration)
        logger.info(
            "requête",
            extra={
                "method": request.method,
                "view": view,
                "route": match.route if match else "",
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
                "db_queries": queries,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "organisation_id": membership.organisation_id if membership is not None else None,
            },
        )
