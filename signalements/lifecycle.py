"""Le cycle de vie du signalement (domaine §11.3) : une seule table.

Les états (`SignalementStatus`), leurs groupes nommés, le badge DSFR de chaque état, les familles de la frise du
parcours, et une ligne par transition : son nom, les états d'où elle part, l'état où elle mène (`None` : l'état ne
change pas, l'acte est seulement inscrit au journal), le type d'événement écrit au journal, son libellé (« commencer
l'instruction ») et sa famille.

Services, pages (actions du dossier), files, badges, frise du parcours et API lisent cette table ; aucun autre module
ne construit d'ensemble d'états (`tests/signalements/test_lifecycle_table.py` le vérifie). L'écriture de l'état et
de l'événement est `signalements.services.events.apply_transition`. Les valeurs stockées des états et des types
d'événement restent celles de `signalements.enums` : les déplacer ici ne changerait aucune donnée."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from signalements.enums import SignalementEventKind as E
from signalements.enums import SignalementStatus as S


def _group(*states):
    """Un groupe d'états, dans l'ordre du cycle de vie (l'ordre des compteurs et des listes de choix)."""
    return tuple(state for state in S if state in states)


INITIAL = S.DRAFT

# --- Les groupes nommés -------------------------------------------------------------------------------------------

#: Tous les états.
ALL = tuple(S)
#: Déposés : tout sauf le brouillon (ce que la Miprof voit, les choix de sa file).
FILED = _group(*(state for state in S if state != S.DRAFT))
#: L'instruction Miprof en cours : commencée, ou suspendue par une demande de complément.
IN_TRIAGE = _group(S.IN_TRIAGE, S.INFORMATION_REQUESTED)
#: Ouverts à la Miprof : à instruire ou en instruction (les états sans filtre de la file Miprof).
OPEN = _group(S.SUBMITTED, *IN_TRIAGE)
#: En attente de la décision départementale : transmis, ou réorienté vers un autre département.
AWAITING_DECISION = _group(S.FORWARDED, S.REDIRECTED)
#: Avant la décision : une mesure urgente (mise à l'abri, Ac.Sé) peut y être enregistrée.
BEFORE_DECISION = _group(*OPEN, *AWAITING_DECISION)
#: Décidés sans prise en charge : le réexamen peut y être demandé une fois.
RECONSIDERABLE = _group(S.NOT_VALIDATED, S.REDIRECTED)
#: Le parcours se suit : prise en charge validée ou en suivi (mesures, orientations, clôture).
JOURNEY = _group(S.VALIDATED, S.FOLLOW_UP)
#: Le circuit des mineurs (domaine §5.5) : réorienté vers l'ASE / CRIP et le parquet, jusqu'à la clôture « confié à
#: la protection de l'enfance ». Ce que l'ASE / CRIP du département voit.
MINORS_TRACK = _group(S.CHILD_PROTECTION, S.CLOSED_CHILD_PROTECTION)
#: Les mesures du parcours s'enregistrent : parcours validé, ou mineur suivi par la protection de l'enfance.
MEASURABLE = _group(*JOURNEY, S.CHILD_PROTECTION)
#: Les procédures judiciaires se suivent dès le dépôt, et après la clôture du parcours (un jugement vient souvent
#: des années plus tard) ; jamais sur un doublon ni un signalement hors champ.
JUDICIAL = _group(*(state for state in FILED if state not in (S.CLOSED_DUPLICATE, S.CLOSED_OUT_OF_SCOPE)))
#: Clos : doublon, hors champ, dossier clos, ou confié à la protection de l'enfance.
CLOSED = _group(S.CLOSED_DUPLICATE, S.CLOSED_OUT_OF_SCOPE, S.CLOSED, S.CLOSED_CHILD_PROTECTION)
#: Ce que l'autorité départementale voit des signalements de ses départements : à partir de la transmission.
DEPARTMENTAL = _group(S.FORWARDED, S.VALIDATED, S.NOT_VALIDATED, S.REDIRECTED, S.FOLLOW_UP, S.CLOSED, *MINORS_TRACK)
#: Les états de travail de la file Miprof (comptés en tête de file).
MIPROF_QUEUE = _group(*OPEN, S.FORWARDED)
#: Les états de travail de la file départementale (comptés en tête de file).
DEPARTMENTAL_QUEUE = AWAITING_DECISION
#: Affichés sans filtre dans la file départementale.
DEPARTMENTAL_QUEUE_DEFAULT = _group(S.FORWARDED)

GROUPS = {
    "ALL": ALL,
    "FILED": FILED,
    "IN_TRIAGE": IN_TRIAGE,
    "OPEN": OPEN,
    "AWAITING_DECISION": AWAITING_DECISION,
    "BEFORE_DECISION": BEFORE_DECISION,
    "RECONSIDERABLE": RECONSIDERABLE,
    "JOURNEY": JOURNEY,
    "CLOSED": CLOSED,
    "MINORS_TRACK": MINORS_TRACK,
    "MEASURABLE": MEASURABLE,
    "JUDICIAL": JUDICIAL,
    "DEPARTMENTAL": DEPARTMENTAL,
    "MIPROF_QUEUE": MIPROF_QUEUE,
    "DEPARTMENTAL_QUEUE": DEPARTMENTAL_QUEUE,
    "DEPARTMENTAL_QUEUE_DEFAULT": DEPARTMENTAL_QUEUE_DEFAULT,
}

#: La classe DSFR du badge de chaque état.
BADGES = {
    S.DRAFT: "",
    S.SUBMITTED: "fr-badge--info",
    S.IN_TRIAGE: "fr-badge--new",
    S.INFORMATION_REQUESTED: "fr-badge--warning",
    S.CLOSED_DUPLICATE: "fr-badge--brown-cafe-creme",
    S.CLOSED_OUT_OF_SCOPE: "fr-badge--brown-cafe-creme",
    S.FORWARDED: "fr-badge--blue-ecume",
    S.VALIDATED: "fr-badge--success",
    S.NOT_VALIDATED: "fr-badge--error",
    S.REDIRECTED: "fr-badge--purple-glycine",
    S.FOLLOW_UP: "fr-badge--green-emeraude",
    S.CLOSED: "fr-badge--brown-cafe-creme",
    S.CHILD_PROTECTION: "fr-badge--purple-glycine",
    S.CLOSED_CHILD_PROTECTION: "fr-badge--brown-cafe-creme",
}

#: Les familles de la frise du parcours (la couleur de chaque élément).
FAMILIES = {
    "intake": "Dépôt",
    "triage": "Instruction",
    "decision": "Décision",
    "orientation": "Orientation",
    "measure": "Mesure",
    "closure": "Clôture",
    "justice": "Procédure judiciaire",
    "privacy": "Données personnelles",
    "documents": "Documents du dossier",
    "other": "Autre",
}


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple
    target: str | None  # None : l'état ne change pas
    event: str
    label: str  # à l'infinitif, en minuscules : « Impossible de <label> : … »
    family: str

    @property
    def title(self):
        """Le libellé en tête de phrase (titre d'une action)."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def badge(self):
        """Le badge de l'état d'arrivée ; celui de l'état courant si la transition ne change pas l'état."""
        return BADGES[self.target] if self.target is not None else ""


_ROWS = [
    # Saisie et dépôt (signalements)
    Transition("create_draft", (S.DRAFT,), None, E.CREATED, "créer le brouillon", "intake"),
    Transition("save_draft", (S.DRAFT,), None, E.DRAFT_SAVED, "enregistrer le brouillon", "intake"),
    Transition("submit", (S.DRAFT,), S.SUBMITTED, E.SUBMITTED, "déposer le signalement", "intake"),
    Transition("share", ALL, None, E.SHARED, "partager le signalement", "intake"),
    Transition("unshare", ALL, None, E.UNSHARED, "retirer le partage", "intake"),
    Transition("open_identity", FILED, None, E.IDENTITY_OPENED, "ouvrir l'identité de la personne", "intake"),
    Transition(
        "update_statistical_fields",
        FILED,
        None,
        E.STATISTICAL_FIELDS_UPDATED,
        "mettre à jour le suivi statistique",
        "measure",
    ),
    Transition("provide_information", FILED, None, E.INFORMATION_PROVIDED, "apporter un complément", "intake"),
    Transition(
        "resume_triage",
        (S.INFORMATION_REQUESTED,),
        S.IN_TRIAGE,
        E.INFORMATION_PROVIDED,
        "reprendre l'instruction",
        "intake",
    ),
    # Instruction Miprof (orientation.services.triage)
    Transition("start_triage", (S.SUBMITTED,), S.IN_TRIAGE, E.TRIAGE_STARTED, "commencer l'instruction", "triage"),
    Transition("assign", OPEN, None, E.ASSIGNED, "attribuer le signalement", "triage"),
    Transition("qualify", (S.IN_TRIAGE,), None, E.QUALIFIED, "qualifier le signalement", "triage"),
    Transition(
        "request_information",
        (S.IN_TRIAGE,),
        S.INFORMATION_REQUESTED,
        E.INFORMATION_REQUESTED,
        "demander un complément",
        "triage",
    ),
    Transition(
        "close_as_duplicate",
        (S.IN_TRIAGE,),
        S.CLOSED_DUPLICATE,
        E.CLOSED_DUPLICATE,
        "clore comme doublon",
        "closure",
    ),
    Transition(
        "close_out_of_scope",
        (S.IN_TRIAGE,),
        S.CLOSED_OUT_OF_SCOPE,
        E.CLOSED_OUT_OF_SCOPE,
        "clore hors champ",
        "closure",
    ),
    Transition("forward", (S.IN_TRIAGE,), S.FORWARDED, E.FORWARDED, "transmettre au département", "triage"),
    # Décision départementale (orientation.services.decisions)
    Transition("validate", AWAITING_DECISION, S.VALIDATED, E.VALIDATED, "valider la prise en charge", "decision"),
    Transition(
        "not_validate",
        AWAITING_DECISION,
        S.NOT_VALIDATED,
        E.NOT_VALIDATED,
        "ne pas valider la prise en charge",
        "decision",
    ),
    Transition("redirect", AWAITING_DECISION, S.REDIRECTED, E.REDIRECTED, "réorienter le signalement", "decision"),
    Transition(
        "redirect_to_minors_track",
        AWAITING_DECISION,
        S.CHILD_PROTECTION,
        E.REDIRECTED_TO_MINORS_TRACK,
        "réorienter vers le circuit des mineurs",
        "decision",
    ),
    Transition(
        "request_reconsideration",
        RECONSIDERABLE,
        S.FORWARDED,
        E.RECONSIDERATION_REQUESTED,
        "demander un réexamen",
        "decision",
    ),
    Transition(
        "record_urgent_measure",
        BEFORE_DECISION,
        None,
        E.URGENT_MEASURE_RECORDED,
        "enregistrer une mesure urgente",
        "measure",
    ),
    # Hébergement et protection (orientation.services.referrals, orientation.services.break_glass)
    Transition(
        "request_referral",
        _group(*BEFORE_DECISION, *JOURNEY),
        None,
        E.REFERRAL_REQUESTED,
        "proposer une orientation",
        "orientation",
    ),
    Transition("dispatch_referral", FILED, None, E.REFERRAL_DISPATCHED, "confier l'orientation", "orientation"),
    Transition("accept_referral", FILED, None, E.REFERRAL_ACCEPTED, "accepter l'orientation", "orientation"),
    Transition("refuse_referral", FILED, None, E.REFERRAL_REFUSED, "refuser l'orientation", "orientation"),
    Transition("expire_referral", FILED, None, E.REFERRAL_EXPIRED, "clore une orientation expirée", "orientation"),
    Transition("record_arrival", FILED, None, E.SHELTER_ARRIVAL, "confirmer l'arrivée", "orientation"),
    Transition("record_departure", FILED, None, E.SHELTER_DEPARTURE, "enregistrer le départ", "orientation"),
    Transition("break_glass", FILED, None, E.BREAK_GLASS, "ouvrir un accès d'urgence au lieu", "orientation"),
    Transition(
        "record_minor_protection",
        FILED,
        None,
        E.MINORS_TRACK_RECORDED,
        "renseigner le circuit des mineurs",
        "orientation",
    ),
    # Parcours et clôture (orientation.services.measures, orientation.services.closure)
    Transition("record_measure", MEASURABLE, None, E.MEASURE_RECORDED, "proposer ou demander une mesure", "measure"),
    Transition("update_measure", MEASURABLE, None, E.MEASURE_UPDATED, "modifier une mesure", "measure"),
    Transition(
        "start_follow_up",
        (S.VALIDATED,),
        S.FOLLOW_UP,
        E.FOLLOW_UP_STARTED,
        "commencer le suivi du parcours",
        "measure",
    ),
    Transition("close_case", JOURNEY, S.CLOSED, E.CLOSED, "clore le dossier", "closure"),
    Transition("reopen_case", (S.CLOSED,), S.FOLLOW_UP, E.REOPENED, "rouvrir le dossier", "closure"),
    # Procédures judiciaires (orientation.services.procedures)
    Transition("record_procedure", JUDICIAL, None, E.PROCEDURE_RECORDED, "saisir une procédure judiciaire", "justice"),
    Transition(
        "update_procedure", JUDICIAL, None, E.PROCEDURE_UPDATED, "mettre à jour une procédure judiciaire", "justice"
    ),
    # Documents du dossier (orientation.services.attachments) : joints dès le dépôt, et après la clôture (une
    # décision de justice arrive souvent plus tard) ; l'antivirus et la conservation écrivent leur verdict au journal.
    Transition("attach_document", JUDICIAL, None, E.ATTACHMENT_ADDED, "joindre un document", "documents"),
    Transition(
        "refuse_infected_document", ALL, None, E.ATTACHMENT_INFECTED, "refuser un document infecté", "documents"
    ),
    Transition(
        "record_document_scan_failure", ALL, None, E.ATTACHMENT_SCAN_FAILED, "noter l'échec d'une analyse", "documents"
    ),
    Transition(
        "delete_documents", ALL, None, E.ATTACHMENTS_DELETED, "supprimer les documents du dossier", "documents"
    ),
    # Chercher avant de créer (signalements.services.link_requests, orientation.services.link_requests)
    Transition("request_link", ALL, None, E.LINK_REQUESTED, "demander un rapprochement", "triage"),
    Transition("dismiss_link", FILED, None, E.LINK_DISMISSED, "écarter un rapprochement", "triage"),
    # Données personnelles (signalements.services.consents, privacy.services)
    Transition("record_consent", ALL, None, E.CONSENT_RECORDED, "enregistrer un consentement", "privacy"),
    Transition("withdraw_consent", ALL, None, E.CONSENT_WITHDRAWN, "retirer un consentement", "privacy"),
    Transition("override_consent", FILED, None, E.CONSENT_OVERRIDDEN, "partager sans consentement", "privacy"),
    Transition("cancel_referral", FILED, None, E.REFERRAL_CANCELLED, "annuler l'orientation", "orientation"),
    # Les sorties d'une orientation (orientation.services.exits)
    Transition(
        "return_referral", FILED, None, E.REFERRAL_RETURNED, "renvoyer l'orientation à l'émetteur", "orientation"
    ),
    Transition(
        "refuse_acse_referral",
        FILED,
        None,
        E.REFERRAL_REFUSED_BY_ACSE,
        "refuser l'orientation Ac.Sé",
        "orientation",
    ),
    Transition(
        "request_distancing_waiver",
        FILED,
        None,
        E.DISTANCING_WAIVER_REQUESTED,
        "demander un placement hors règle d'éloignement",
        "orientation",
    ),
    Transition(
        "approve_distancing_waiver",
        FILED,
        None,
        E.DISTANCING_WAIVER_APPROVED,
        "approuver le placement hors règle d'éloignement",
        "orientation",
    ),
    Transition(
        "reject_distancing_waiver",
        FILED,
        None,
        E.DISTANCING_WAIVER_REJECTED,
        "rejeter le placement hors règle d'éloignement",
        "orientation",
    ),
    Transition(
        "override_language_rule",
        FILED,
        None,
        E.LANGUAGE_RULE_OVERRIDDEN,
        "lever la règle de langue (interprète organisé)",
        "orientation",
    ),
    Transition("rectify", ALL, None, E.DATA_RECTIFIED, "rectifier une donnée", "privacy"),
    Transition(
        "record_rights_request", ALL, None, E.RIGHTS_REQUEST_RECORDED, "enregistrer une demande de droits", "privacy"
    ),
    Transition("anonymise", ALL, None, E.ANONYMISED, "anonymiser l'identité", "privacy"),
    # Le circuit des mineurs (orientation.services.child_protection)
    Transition(
        "answer_child_protection",
        (S.CHILD_PROTECTION,),
        None,
        E.CHILD_PROTECTION_ANSWERED,
        "répondre pour la protection de l'enfance",
        "orientation",
    ),
    Transition(
        "entrust_to_child_protection",
        (S.CHILD_PROTECTION,),
        S.CLOSED_CHILD_PROTECTION,
        E.ENTRUSTED_TO_CHILD_PROTECTION,
        "clore le dossier confié à la protection de l'enfance",
        "closure",
    ),
]


@dataclass(frozen=True)
class Outlook:
    """Ce qu'un état attend : la phrase montrée en tête du dossier, et les transitions qui le font avancer, par
    ordre de préférence (l'action principale du panneau « Et maintenant ? », `orientation.next_steps`)."""

    waiting: str
    forward: tuple = ()


#: Pour chaque état, ce qu'il attend. Aucune clôture n'y fait avancer un dossier : elle n'est jamais l'action
#: principale.
OUTLOOK = {
    S.DRAFT: Outlook("Le signalement est un brouillon : il n'est pas encore déposé.", ("submit",)),
    S.SUBMITTED: Outlook(
        "Le signalement est déposé : il attend que la Miprof commence l'instruction.", ("start_triage",)
    ),
    S.IN_TRIAGE: Outlook(
        "La Miprof instruit le signalement : qualification, puis transmission au département compétent.",
        ("qualify",),
    ),
    S.INFORMATION_REQUESTED: Outlook(
        "La Miprof attend le complément demandé à l'organisation déclarante.", ("provide_information",)
    ),
    S.FORWARDED: Outlook("Le dossier attend la décision de l'autorité départementale.", ("validate",)),
    S.REDIRECTED: Outlook(
        "Le dossier est réorienté : il attend la décision de l'autorité du département désigné.",
        ("validate", "request_reconsideration"),
    ),
    S.NOT_VALIDATED: Outlook(
        "La prise en charge n'a pas été validée ; l'organisation déclarante peut demander un réexamen.",
        ("request_reconsideration",),
    ),
    S.VALIDATED: Outlook(
        "La prise en charge est validée : il reste à orienter la personne et à suivre ses mesures.",
        ("request_referral", "record_measure"),
    ),
    S.FOLLOW_UP: Outlook(
        "Le parcours est suivi : orientation, mesures, puis clôture quand il prend fin.",
        ("request_referral", "record_measure"),
    ),
    S.CHILD_PROTECTION: Outlook(
        "Le dossier est confié au circuit des mineurs : l'ASE / CRIP et le parquet y répondent, puis l'ASE / CRIP le "
        "clôt « confié à la protection de l'enfance ».",
        ("answer_child_protection", "record_measure"),
    ),
    S.CLOSED_DUPLICATE: Outlook(
        "Le signalement est clos comme doublon : la suite se fait sur le signalement d'origine."
    ),
    S.CLOSED_OUT_OF_SCOPE: Outlook("Le signalement est clos hors champ : rien n'est attendu."),
    S.CLOSED: Outlook("Le dossier est clos : rien n'est attendu."),
    S.CLOSED_CHILD_PROTECTION: Outlook("Le dossier est clos : l'enfant est confié à la protection de l'enfance."),
}


def outlook(status):
    return OUTLOOK[status]


#: Les transitions par nom.
TRANSITIONS = {row.name: row for row in _ROWS}
#: La famille de chaque type d'événement, tirée des transitions qui l'écrivent.
FAMILY_OF_EVENT = {row.event: row.family for row in _ROWS}
#: Le bruit du brouillon n'a pas sa place dans la frise du parcours.
HIDDEN_EVENTS = frozenset({E.DRAFT_SAVED})


#: Les effets de chaque transition (les délais de `orientation.services.clocks`), enregistrés au démarrage par les
#: applications qui importent `signalements` (`register_effect`) : `apply_transition` les exécute dans la transaction
#: du service, juste après l'état et l'événement. `signalements` n'importe pas ces applications.
_EFFECTS = defaultdict(list)


def register_effect(name, effect):
    """Ajoute `effect(signalement, event)` aux effets de la transition `name` (une seule fois)."""
    if name not in TRANSITIONS:
        raise KeyError(f"Transition inconnue : {name}")
    if effect not in _EFFECTS[name]:
        _EFFECTS[name].append(effect)


def effects_of(name):
    return tuple(_EFFECTS.get(name, ()))


def transition(name):
    return TRANSITIONS[name]


def allows(signalement, name):
    """Vrai si la transition `name` part de l'état actuel du signalement."""
    return signalement.status in TRANSITIONS[name].sources


def refusal(signalement, label):
    """L'erreur en français d'une action impossible dans l'état actuel, avec l'état en clair."""
    state = signalement.get_status_display()
    return ValidationError(f"Impossible de {label} : le signalement est à l'état « {state} ».")


def check(signalement, name):
    """Refuse la transition depuis un état qui ne la permet pas (ValidationError, message en français)."""
    if not allows(signalement, name):
        raise refusal(signalement, TRANSITIONS[name].label)


def family_of(kind):
    """La famille d'un type d'événement dans la frise ; « Autre » pour un type que la table ne connaît pas."""
    return FAMILY_OF_EVENT.get(kind, "other")


def badge(status):
    return BADGES.get(status, "")


def reachable(start=INITIAL):
    """Les états atteignables depuis `start` par les transitions de la table."""
    seen, frontier = {start}, [start]
    while frontier:
        state = frontier.pop()
        for row in _ROWS:
            if state in row.sources and row.target is not None and row.target not in seen:
                seen.add(row.target)
                frontier.append(row.target)
    return seen
