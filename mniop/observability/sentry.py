"""Remontée des erreurs vers Sentry (ou un service compatible : GlitchTip…), allumée par `SENTRY_DSN` seulement.

Rien de personnel ne part : `send_default_pii` reste à sa valeur par défaut, False (sentry-sdk 2.76 déclare l'option
obsolète et la remplace par `data_collection` : ne pas la passer donne exactement `send_default_pii=False`, et le
test le vérifie), pas de variables locales, pas de corps de requête, pas de fil
d'Ariane (breadcrumbs), et `scrub_event` ne garde de chaque événement que ce qui sert à corriger le code : type et
pile de l'exception (fichiers, lignes, fonctions), méthode et chemin de la requête (sans chaîne de requête), numéro
de la personne, identifiant de la requête (étiquette `request_id`, le même que dans les journaux et les pages
d'erreur). Les messages d'exception sont retirés : ils peuvent citer une valeur saisie (« invalid literal: 'Dupont' »).
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

from mniop.observability.context import current_request_id, current_task

FILTERED = "[filtré]"
#: En plus des secrets de sentry-sdk : les noms de champs qui portent une donnée de personne, où qu'ils soient.
PERSONAL_KEYS = [
    "first_name",
    "last_name",
    "name",
    "pseudonym",
    "birth_date",
    "aliases",
    "email",
    "username",
    "account",
    "address",
    "phone",
    "ip_address",
    "remote_addr",
    "x_forwarded_for",
    "x_real_ip",
]
#: En-têtes de requête gardés (les autres, cookies compris, sont retirés).
KEPT_HEADERS = {"content-type", "x-request-id", "hx-request"}
_scrubber = EventScrubber(denylist=DEFAULT_DENYLIST + PERSONAL_KEYS, recursive=True, send_default_pii=False)


def init_sentry(*, dsn, environment="", release="", transport=None):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0,
        event_scrubber=_scrubber,
        before_send=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        transport=transport,
    )


def scrub_event(event, hint=None):
    request = event.get("request")
    if request:
        headers = request.get("headers") or {}
        event["request"] = {
            "method": request.get("method"),
            "url": (request.get("url") or "").split("?", 1)[0],
            "headers": {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS},
        }
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if user.get("id") else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = FILTERED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if logentry:
        event["logentry"] = {"message": logentry.get("message", "")}
    event.pop("extra", None)
    event.pop("breadcrumbs", None)
    tags = event.setdefault("tags", {})
    if current_request_id():
        tags["request_id"] = current_request_id()
    if current_task():
        tags["task_name"], tags["task_id"] = current_task()
    return event
