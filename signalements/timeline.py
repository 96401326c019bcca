"""La frise d'un dossier, la même sur toutes les pages : les événements du journal (dépôt, instruction, décisions,
orientations, mesures, clôtures), du plus ancien au plus récent, puis les échéances à venir.

`case_timeline(signalement)` construit les éléments, `templates/signalements/includes/timeline.html` les affiche dans
le fuseau actif (celui de la personne, posé par `accounts.middleware.OrganisationTimeZoneMiddleware`).

Chaque élément a une famille (la couleur de la frise) : celle de la transition qui écrit son type d'événement dans la
table du cycle de vie (`signalements.lifecycle.family_of`) ; un type inconnu de la table va dans « Autre ».
Les applications du dessus (orientation) ajoutent le détail de leurs événements et leurs échéances à venir par
`extend_timeline`, appelé depuis leur `AppConfig.ready` : `signalements` n'importe pas `orientation`."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from signalements import lifecycle
from signalements.enums import SignalementEventKind as E
from signalements.models import IdentityOpening

# Les familles, la famille de chaque type d'événement et les événements cachés sont dans la table du cycle de vie
# (`signalements.lifecycle` : `FAMILIES`, `family_of`, `HIDDEN_EVENTS`).
FAMILIES = lifecycle.FAMILIES
family_of = lifecycle.family_of
HIDDEN_EVENTS = lifecycle.HIDDEN_EVENTS
#: Les événements dont `data["user"]` désigne un·e collègue (identifiant public).
COLLEAGUE_EVENTS = frozenset({E.SHARED, E.UNSHARED})

#: Ce que les applications du dessus ajoutent (`extend_timeline`).
_DESCRIBERS = []
_UPCOMING = []


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    family: str
    title: str
    detail: str = ""
    actor: str = ""
    organisation: str = ""
    is_upcoming: bool = False

    @property
    def family_label(self):
        return FAMILIES[self.family]


def extend_timeline(*, describe=None, upcoming=None):
    """`describe(event) -> str` : le détail lisible des événements d'une application (chaîne vide sinon) ;
    `upcoming(signalement, today) -> [TimelineEntry]` : ses échéances à venir."""
    if describe is not None and describe not in _DESCRIBERS:
        _DESCRIBERS.append(describe)
    if upcoming is not None and upcoming not in _UPCOMING:
        _UPCOMING.append(upcoming)


def describe(event, colleagues=None, reasons=None):
    """Le détail lisible d'un événement, depuis ses données (jamais de donnée personnelle de la victime).
    L'ouverture de l'identité montre son motif (rangé chiffré avec l'ouverture, `IdentityOpening`)."""
    data = event.data or {}
    if event.kind in COLLEAGUE_EVENTS and data.get("user"):
        return (colleagues or {}).get(data["user"], "")
    if event.kind == E.IDENTITY_OPENED and data.get("opening"):
        reason = (reasons or {}).get(data["opening"])
        return f"Motif : {reason}" if reason else ""
    for describer in _DESCRIBERS:
        detail = describer(event)
        if detail:
            return detail
    if "departement" in data:
        return f"département {data['departement']}"
    return ""


def _colleague_names(events):
    ids = {event.data.get("user") for event in events if event.kind in COLLEAGUE_EVENTS and event.data}
    ids.discard(None)
    return {str(user.public_id): str(user) for user in User.objects.filter(public_id__in=ids)} if ids else {}


def _identity_reasons(events):
    ids = {event.data.get("opening") for event in events if event.kind == E.IDENTITY_OPENED and event.data}
    ids.discard(None)
    if not ids:
        return {}
    return {
        str(public_id): reason
        for public_id, reason in IdentityOpening.objects.filter(public_id__in=ids).values_list("public_id", "reason")
    }


def case_timeline(signalement, *, events=None, today=None):
    """Les éléments de la frise, du plus ancien au plus récent, puis les échéances à venir (par date).

    `events` : les événements déjà lus par la page (avec `actor` et `organisation`), sinon ils sont lus ici."""
    if events is None:
        events = signalement.events.select_related("actor", "organisation").order_by("at", "id")
    events = [event for event in events if event.kind not in HIDDEN_EVENTS]
    colleagues = _colleague_names(events)
    reasons = _identity_reasons(events)
    entries = [
        TimelineEntry(
            at=event.at,
            family=family_of(event.kind),
            title=event.get_kind_display(),
            detail=describe(event, colleagues, reasons),
            actor=str(event.actor) if event.actor_id else "",
            organisation=event.organisation.name if event.organisation_id else "",
        )
        for event in events
    ]
    today = today or timezone.localdate()
    upcoming = [entry for source in _UPCOMING for entry in source(signalement, today)]
    return entries + sorted(upcoming, key=lambda entry: entry.at)
