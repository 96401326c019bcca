"""Parcours de démonstration : des signalements de démonstration (`demo.signalements`) menés par les vrais services
d'instruction et de décision, pour que les files, la page du dossier, les délais et le journal aient du contenu.

Chaque scénario vise un signalement par son pseudonyme (« Démo-0001 »…, déterministe) et ne joue que si ce
signalement est encore « déposé » : relancer ne refait rien. Les acteurs sont les comptes de démonstration : l'agent
de la Miprof, les valideur·ses de Paris (75) et du Nord (59), l'association qui a déposé.
"""

from dataclasses import dataclass, field

from django.db import transaction

from demo.actors import MIPROF_AGENT, acting
from demo.people import DEMO_EMAIL_DOMAIN
from demo.signalements import PSEUDONYM_PREFIX
from orientation.enums import DecisionKind
from orientation.services import decisions, triage
from referents.models import Territory
from signalements.enums import ReferenceCategory, SignalementStatus
from signalements.models import ReferenceValue, Signalement
from signalements.services.information_requests import answer_information_request

VALIDATORS = {"75": f"valideur.paris@{DEMO_EMAIL_DOMAIN}", "59": f"valideur.nord@{DEMO_EMAIL_DOMAIN}"}
QUESTION = "Pouvez-vous préciser la langue parlée par la personne et si un interprète est disponible ?"
ANSWER = "La personne parle espagnol ; l'association dispose d'une interprète le mardi."
#: Les scénarios, dans l'ordre des pseudonymes. « Démo-0006 » est l'original du doublon « Démo-0013 ».
SCENARIOS = [
    "in_triage",
    "in_triage",
    "information_requested",
    "information_requested",
    "information_answered",
    "forwarded_75",
    "forwarded_75",
    "forwarded_59",
    "forwarded_59",
    "validated_75",
    "validated_75",
    "not_validated_59",
    "duplicate",
]
DUPLICATE_OF = 6


@dataclass
class TriageReport:
    walked: dict = field(default_factory=dict)
    skipped: int = 0

    @property
    def total(self):
        return sum(self.walked.values())


def pseudonym(number):
    return f"{PSEUDONYM_PREFIX}{number:04d}"


def _filer(signalement):
    return acting(signalement.created_by.email, organisation=signalement.organisation)


MINOR_REASON = "Protection de l'enfance : l'autorité du département décide de la mise à l'abri du mineur."


class _Walker:
    def __init__(self, miprof, validators, departements, reason):
        self.miprof = miprof
        self.validators = validators
        self.departements = departements
        self.reason = reason

    def forward(self, signalement, code):
        triage.start_triage(signalement=signalement, by=self.miprof)
        # Une personne mineure : pas de consentement recueilli, le partage se fait sur le fondement de la minorité.
        minor = {"override_ground": "minor", "override_reason": MINOR_REASON} if signalement.is_minor else {}
        return triage.forward_to_departement(
            signalement=signalement, by=self.miprof, departement=self.departements[code], **minor
        )

    def walk(self, signalement, scenario):
        if scenario == "in_triage":
            triage.start_triage(signalement=signalement, by=self.miprof)
        elif scenario in ("information_requested", "information_answered"):
            triage.start_triage(signalement=signalement, by=self.miprof)
            request = triage.request_information(signalement=signalement, by=self.miprof, question=QUESTION)
            if scenario == "information_answered":
                answer_information_request(information_request=request, answer=ANSWER, by=_filer(signalement))
        elif scenario.startswith("forwarded_"):
            self.forward(signalement, scenario.removeprefix("forwarded_"))
        elif scenario == "validated_75":
            self.forward(signalement, "75")
            decisions.decide(signalement=signalement, by=self.validators["75"], kind=DecisionKind.VALIDATED)
        elif scenario == "not_validated_59":
            self.forward(signalement, "59")
            decisions.decide(
                signalement=signalement,
                by=self.validators["59"],
                kind=DecisionKind.NOT_VALIDATED,
                reason=self.reason,
                comment="Les éléments transmis ne permettent pas de caractériser la traite à ce stade.",
            )
        elif scenario == "duplicate":
            original = Signalement.objects.get(pseudonym=pseudonym(DUPLICATE_OF))
            triage.start_triage(signalement=signalement, by=self.miprof)
            triage.close_as_duplicate(signalement=signalement, original=original, by=self.miprof)
        else:
            raise ValueError(f"Scénario inconnu : {scenario}")


def seed_demo_triage():
    """Mène les signalements de démonstration « Démo-0001 » à « Démo-0013 » (s'ils sont encore déposés) par leurs
    scénarios. Renvoie un `TriageReport` ; rien à faire sans comptes ni signalements de démonstration."""
    report = TriageReport()
    miprof = acting(MIPROF_AGENT)
    validators = {code: acting(email) for code, email in VALIDATORS.items()}
    reason = (
        ReferenceValue.objects.active()
        .in_category(ReferenceCategory.NON_VALIDATION_REASON)
        .filter(code="elements_insuffisants")
        .first()
    )
    if miprof is None or None in validators.values() or reason is None:
        return report
    departements = {territory.code: territory for territory in Territory.objects.filter(code__in=VALIDATORS)}
    walker = _Walker(miprof, validators, departements, reason)
    wanted = [pseudonym(number) for number in range(1, len(SCENARIOS) + 1)]
    signalements = {
        signalement.pseudonym: signalement for signalement in Signalement.objects.filter(pseudonym__in=wanted)
    }
    for number, scenario in enumerate(SCENARIOS, start=1):
        signalement = signalements.get(pseudonym(number))
        if signalement is None or signalement.status != SignalementStatus.SUBMITTED:
            report.skipped += 1
            continue
        with transaction.atomic():
            walker.walk(signalement, scenario)
        report.walked[scenario] = report.walked.get(scenario, 0) + 1
    return report
