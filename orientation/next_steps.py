"""« Et maintenant ? » : le panneau en tête de la page du dossier. Une seule fonction, `next_steps(user,
signalement)`, décide à partir de la table du cycle de vie (`signalements.lifecycle`), des actions du dossier
(`orientation.case_actions.ACTIONS`) et des droits de la personne (`orientation.permissions`) :

- l'action principale (le bouton principal du DSFR), celle qui fait avancer le dossier dans son état ;
- les actions secondaires, les actions irréversibles en dernier (elles passent par une page de confirmation) ;
- ce que le dossier attend, quand la personne n'a rien à faire ;
- les délais en cours.

Une clôture (clore, doublon, hors champ, confier à la protection de l'enfance) n'est jamais l'action principale ;
transmettre et décider peuvent l'être : leur page dit la conséquence et demande confirmation."""

from dataclasses import dataclass

from django.urls import reverse

from orientation.case_actions import ACTIONS
from orientation.permissions import can_propose_referral, can_record_measure
from orientation.services import referrals
from signalements import lifecycle
from signalements.enums import SignalementStatus
from signalements.notifications import information_request_path
from signalements.permissions import can_answer_information_request


@dataclass(frozen=True)
class Step:
    """Une action du panneau : un lien vers sa page, ou un bouton qui agit tout de suite (`one_click`)."""

    slug: str
    label: str
    url: str
    transitions: tuple = ()  # les transitions du cycle de vie qu'elle applique
    one_click: bool = False
    is_irreversible: bool = False


@dataclass(frozen=True)
class NextSteps:
    waiting: str
    primary: Step | None
    secondary: tuple
    deadlines: tuple

    @property
    def slugs(self):
        return ([self.primary.slug] if self.primary else []) + [step.slug for step in self.secondary]


def _case_steps(user, signalement):
    """Les actions de la table du dossier permises à la personne dans cet état."""
    for slug, action in ACTIONS.items():
        if action.allowed(user, signalement) and action.shown(signalement):
            yield Step(
                slug,
                action.title,
                reverse("orientation:case_action", args=[signalement.public_id, slug]),
                action.transitions,
                one_click=action.one_click,
                is_irreversible=action.is_irreversible,
            )


def _journey_steps(user, signalement, information_requests):
    """Les actions qui ont leur propre page : répondre à un complément, orienter, demander Ac.Sé, ajouter une
    mesure."""
    pending = [request_ for request_ in information_requests if request_.is_pending]
    if pending and can_answer_information_request(user, pending[0]):
        yield Step(
            "repondre",
            "Répondre à la demande de complément",
            information_request_path(pending[0]),
            ("provide_information",),
        )
    if (
        lifecycle.allows(signalement, "request_referral")
        and can_propose_referral(user, signalement)
        and referrals.running_referral(signalement) is None  # une orientation à la fois (constat 12)
    ):
        url = reverse("orientation:referral_request", args=[signalement.public_id])
        yield Step("orienter", "Orienter vers un hébergement", url, ("request_referral",))
        if not signalement.is_minor:
            yield Step("acse", "Demander une place Ac.Sé", f"{url}?acse=1", ("request_referral",))
    if lifecycle.allows(signalement, "record_measure") and can_record_measure(user, signalement):
        url = reverse("orientation:measure_create", args=[signalement.public_id])
        yield Step("mesure", "Ajouter une mesure", url, ("record_measure",))


def next_steps(user, signalement, *, information_requests=(), clocks=()):
    """Le panneau « Et maintenant ? » de la personne sur ce dossier (voir la docstring du module)."""
    steps = {step.slug: step for step in _journey_steps(user, signalement, information_requests)}
    steps |= {step.slug: step for step in _case_steps(user, signalement)}
    outlook = lifecycle.outlook(signalement.status)
    forward = outlook.forward
    if signalement.status == SignalementStatus.IN_TRIAGE and signalement.competent_departement_id:
        forward = ("forward", *forward)  # qualifié : la transmission fait avancer le dossier
    primary = next(
        (
            step
            for name in forward
            for step in steps.values()
            if name in step.transitions and lifecycle.transition(name).family != "closure"
        ),
        None,
    )
    others = [step for step in steps.values() if step is not primary]
    # L'ordre : ce qui fait avancer d'abord, les actions irréversibles en dernier.
    others.sort(key=lambda step: step.is_irreversible)
    return NextSteps(
        waiting=outlook.waiting,
        primary=primary,
        secondary=tuple(others),
        deadlines=tuple(clock for clock in clocks if clock.stopped_at is None),
    )
