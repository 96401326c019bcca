"""Les actions sur un dossier, une table pour la page du dossier et pour l'API : pour chacune, les transitions du
cycle de vie qu'elle applique, son formulaire, qui peut l'utiliser et le service qu'elle appelle."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from orientation import forms as f
from orientation.models import ReconsiderationRequest
from orientation.permissions import (
    can_activate_acse_on_the_spot,
    can_answer_child_protection,
    can_close_case,
    can_decide_signalement,
    can_entrust_to_child_protection,
    can_record_urgent_measure,
    can_request_reconsideration,
    is_miprof,
)
from orientation.services import child_protection, closure, decisions, triage
from signalements import lifecycle
from signalements.models import Signalement


@dataclass(frozen=True)
class Action:
    """Une action de la page du dossier (et de l'API) : les transitions du cycle de vie qu'elle peut appliquer
    (`signalements.lifecycle`) disent dans quels états elle se montre ; le service revérifie l'état."""

    transitions: tuple
    submit: str
    form: type
    allowed: Any  # (user, signalement) -> bool : le rôle
    run: Any  # (signalement, cleaned_data, user) -> None
    initial: Any = None
    guard: Any = None  # (signalement) -> bool : une condition de plus que l'état
    label: str = ""  # le titre, quand l'action regroupe plusieurs transitions
    # Une action irréversible : sa page dit la conséquence et elle n'a lieu qu'au POST de cette page de confirmation.
    consequence: str = ""

    @property
    def is_irreversible(self):
        return bool(self.consequence)

    @property
    def one_click(self):
        """Un simple bouton sur la page du dossier : sans champ à remplir et sans conséquence à confirmer."""
        return self.form is f.EmptyForm and not self.is_irreversible

    @property
    def title(self):
        return self.label or lifecycle.transition(self.transitions[0]).title

    def shown(self, signalement):
        """Afficher le formulaire dans cet état : une de ses transitions part de l'état actuel."""
        return any(lifecycle.allows(signalement, name) for name in self.transitions) and (
            self.guard is None or self.guard(signalement)
        )


def _miprof(user, signalement):
    return is_miprof(user)


def _duplicate(signalement, data, user):
    original = (
        Signalement.objects.visible_to(user).filter(reference__iexact=data["original_reference"].strip()).first()
    )
    if original is None:
        raise ValidationError({"original_reference": "Aucun signalement visible ne porte cette référence."})
    triage.close_as_duplicate(signalement=signalement, original=original, by=user)


def _never_reconsidered(signalement):
    return not ReconsiderationRequest.objects.filter(signalement=signalement).exists()


ACTIONS = {
    "commencer": Action(
        ("start_triage",),
        "Commencer l'instruction",
        f.EmptyForm,
        _miprof,
        lambda s, d, u: triage.start_triage(signalement=s, by=u),
    ),
    "attribuer": Action(
        ("assign",),
        "Attribuer",
        f.AssignForm,
        _miprof,
        lambda s, d, u: triage.assign(signalement=s, to=d["assigned_to"], by=u),
    ),
    "qualifier": Action(
        ("qualify",),
        "Enregistrer la qualification",
        f.QualifyForm,
        _miprof,
        lambda s, d, u: triage.qualify(
            signalement=s,
            by=u,
            exploitation_forms=d["exploitation_forms"],
            is_minor_presumed=d["is_minor_presumed"],
            competent_departement=d["competent_departement"],
        ),
        lambda s: {
            "exploitation_forms": list(s.exploitation_forms.all()),
            "is_minor_presumed": s.is_minor_presumed,
            "competent_departement": triage.suggest_competent_departement(s),
        },
    ),
    "complement": Action(
        ("request_information",),
        "Envoyer la demande",
        f.InformationRequestForm,
        _miprof,
        lambda s, d, u: triage.request_information(signalement=s, by=u, question=d["question"]),
    ),
    "doublon": Action(
        ("close_as_duplicate",),
        "Confirmer : clore comme doublon",
        f.DuplicateForm,
        _miprof,
        _duplicate,
        consequence=(
            "Le signalement sera clos comme doublon du signalement dont vous donnez la référence : son instruction "
            "s'arrête, ses délais sont arrêtés et l'organisation déclarante en est prévenue. Il ne pourra plus être "
            "transmis ni rouvert ; la suite se fait sur le signalement d'origine."
        ),
    ),
    "hors-champ": Action(
        ("close_out_of_scope",),
        "Confirmer : clore hors champ",
        f.OutOfScopeForm,
        _miprof,
        lambda s, d, u: triage.close_out_of_scope(signalement=s, reason=d["reason"], comment=d["comment"], by=u),
        consequence=(
            "Le signalement sera clos hors champ du MNIOP : son instruction s'arrête, ses délais sont arrêtés et "
            "l'organisation déclarante est prévenue du motif. Il ne pourra plus être transmis ni rouvert."
        ),
    ),
    "transmettre": Action(
        ("forward",),
        "Confirmer la transmission",
        f.ForwardForm,
        _miprof,
        lambda s, d, u: triage.forward_to_departement(
            signalement=s,
            by=u,
            departement=d["departement"],
            override_ground=d.get("override_ground", ""),
            override_reason=d.get("override_reason", ""),
        ),
        lambda s: {"departement": triage.suggest_competent_departement(s)},
        consequence=(
            "Le signalement sera transmis à l'autorité du département choisi : l'instruction de la Miprof s'arrête, "
            "le délai de décision départementale commence et les valideur·ses du département sont prévenu·es. "
            "Le dossier ne pourra plus revenir à l'instruction ; seule la décision du département le fera avancer."
        ),
    ),
    "decider": Action(
        tuple(decisions.TRANSITION_OF_DECISION.values()),
        "Confirmer la décision",
        f.DecisionForm,
        can_decide_signalement,
        lambda s, d, u: decisions.decide(
            signalement=s,
            by=u,
            kind=d["kind"],
            reason=d["reason"],
            comment=d["comment"],
            redirect_target=d["redirect_target"],
            redirected_to=d["redirected_to"],
        ),
        guard=decisions.awaits_decision,
        label="Décider de la prise en charge",
        consequence=(
            "La décision sera définitive et notifiée à l'organisation déclarante et à la Miprof, avec une "
            "attestation. Une non-validation ou une réorientation ne peut être revue qu'une fois, par un réexamen "
            "demandé par l'organisation déclarante."
        ),
    ),
    "reexamen": Action(
        ("request_reconsideration",),
        "Demander le réexamen",
        f.ReconsiderationForm,
        can_request_reconsideration,
        lambda s, d, u: decisions.request_reconsideration(signalement=s, by=u, motive=d["motive"]),
        guard=_never_reconsidered,
    ),
    "mesure-urgente": Action(
        ("record_urgent_measure",),
        "Enregistrer la mesure",
        f.UrgentMeasureForm,
        can_record_urgent_measure,
        lambda s, d, u: decisions.record_urgent_measure(
            signalement=s,
            by=u,
            kind=d["kind"],
            started_on=d["started_on"],
            requested_by_police=d["requested_by_police"],
        ),
    ),
    "acse-sur-place": Action(
        ("record_urgent_measure",),
        "Confirmer : activer Ac.Sé et prévenir la coordination",
        f.AcseOnTheSpotForm,
        can_activate_acse_on_the_spot,
        lambda s, d, u: decisions.activate_acse_on_the_spot(signalement=s, by=u, started_on=d["started_on"]),
        label="Activer Ac.Sé sur place (forces de l'ordre)",
        consequence=(
            "La mesure Ac.Sé sera inscrite au dossier et la coordination Ac.Sé ainsi que l'astreinte de la Miprof "
            "seront prévenues aussitôt. Cette alerte ne peut pas être retirée."
        ),
    ),
    "cloturer": Action(
        ("close_case",),
        "Confirmer la clôture",
        f.CaseCloseForm,
        can_close_case,
        lambda s, d, u: closure.close_case(signalement=s, by=u, reason=d["reason"], comment=d["comment"]),
        consequence=(
            "Le dossier sera clos : les demandes en cours (orientations en attente, places retenues) seront "
            "annulées, aucune mesure ni orientation ne pourra plus y être enregistrée, et l'organisation déclarante "
            "et l'autorité départementale en seront prévenues. Seule une réouverture motivée permettra de reprendre "
            "le parcours."
        ),
    ),
    "reponse-mineurs": Action(
        ("answer_child_protection",),
        "Enregistrer la réponse",
        f.ChildProtectionAnswerForm,
        can_answer_child_protection,
        lambda s, d, u: child_protection.answer_child_protection(
            signalement=s, by=u, kind=d["kind"], decided_on=d["decided_on"], comment=d["comment"]
        ),
    ),
    "confier-protection-enfance": Action(
        ("entrust_to_child_protection",),
        "Confirmer : confier à la protection de l'enfance",
        f.EmptyForm,
        can_entrust_to_child_protection,
        lambda s, d, u: child_protection.entrust_to_child_protection(signalement=s, by=u),
        consequence=(
            "Le dossier sera clos comme confié à la protection de l'enfance : la suite du parcours du mineur se fait "
            "hors du MNIOP, par l'ASE / CRIP et le parquet. Aucune mesure ne pourra plus y être enregistrée et ce "
            "dossier ne peut pas être rouvert."
        ),
    ),
    "rouvrir": Action(
        ("reopen_case",),
        "Rouvrir le dossier",
        f.CaseReopenForm,
        can_close_case,
        lambda s, d, u: closure.reopen_case(signalement=s, by=u, reason=d["reason"]),
    ),
}
