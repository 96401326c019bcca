"""Un dossier « riche », le même pour les mesures de hauteur de l'espace de travail et les parcours à 200 % et à
320 px : récit long, trois demandes de complément répondues, validé, deux orientations refusées puis une en attente,
une mise à l'abri, quatre mesures du parcours dont une terminée. Construit par les services, comme en vrai."""

import datetime

from orientation.enums import MeasureKind, UrgentMeasureKind
from orientation.services import decisions, measures, referrals, triage
from signalements.services.drafts import submit_signalement
from signalements.services.information_requests import answer_information_request
from tests.signalements.factories import SignalementFactory

ACCOUNT = "\n\n".join(
    f"Épisode {number} : recrutée par une fausse agence, elle a été déplacée de ville en ville, privée de ses "
    "papiers et contrainte à travailler sans salaire, sous la menace de représailles contre sa famille."
    for number in range(1, 13)
)


def rich_case(world, shelters, refusal_reason):
    filer, miprof, validator = (
        world.acting(p) for p in ("association_agent", "miprof_agent", "departmental_validator")
    )
    signalement = SignalementFactory(
        organisation=world.association, created_by=filer, departement=world.paris, pseudonym="Étoile", account=ACCOUNT
    )
    submit_signalement(signalement=signalement, by=filer)
    triage.start_triage(signalement=signalement, by=miprof)
    for question, answer in [
        ("Dans quelle langue souhaite-t-elle être accompagnée ?", "En anglais, avec une interprète si possible."),
        ("A-t-elle un hébergement ce soir ?", "Non, elle dort chez une connaissance jusqu'à demain."),
        ("A-t-elle déposé plainte ?", "Pas encore : elle y réfléchit avec notre juriste."),
    ]:
        request = triage.request_information(signalement=signalement, by=miprof, question=question)
        answer_information_request(information_request=request, answer=answer, by=filer)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    decisions.record_urgent_measure(
        signalement=signalement,
        by=validator,
        kind=UrgentMeasureKind.EMERGENCY_SHELTER,
        started_on=datetime.date.today(),
    )
    decisions.decide(signalement=signalement, by=validator, kind="validated")
    signalement.refresh_from_db()
    for _ in range(2):
        referral = referrals.request_referral(signalement=signalement, by=validator, shelter=shelters.paris)
        referrals.refuse_referral(referral=referral, by=shelters.paris_agent, reason=refusal_reason)
    referrals.request_referral(signalement=signalement, by=validator, shelter=shelters.nord)
    ended = measures.record_measure(signalement=signalement, by=filer, kind=MeasureKind.FRANCE_TRAVAIL)
    for action in ("accorder", "commencer", "terminer"):
        ended = measures.change_measure_status(measure=ended, by=filer, action=action)
    health_care = measures.record_measure(signalement=signalement, by=filer, kind=MeasureKind.HEALTH_CARE)
    measures.change_measure_status(measure=health_care, by=filer, action="accorder")
    measures.record_measure(signalement=signalement, by=filer, kind=MeasureKind.LEGAL_AID)
    measures.record_measure(signalement=signalement, by=filer, kind=MeasureKind.COMPENSATION)
    signalement.refresh_from_db()
    return signalement
