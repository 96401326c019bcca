"""Toute la démonstration en un appel : `seed_demo`, appelé par `manage.py seed_demo`.

Les étapes, dans l'ordre où elles dépendent les unes des autres : référentiels (territoires, listes du signalement),
organisations, habilitations et comptes (`demo.sync`), fiches de l'annuaire (`demo.directory`), profils et places des
structures d'hébergement (`demo.shelter_places`), signalements déposés et brouillons (`demo.signalements`), parcours
d'instruction et de décision (`demo.triage`), statistiques (`demo.statistics` : fiches, historique, cumuls). Chaque
étape est idempotente : relancer n'ajoute rien.
"""

from dataclasses import dataclass

from demo.documents import seed_demo_documents
from demo.procedures import seed_demo_procedures
from demo.safety import check_demo_allowed
from demo.shelter_places import seed_demo_orientation
from demo.signalements import seed_demo_signalements
from demo.statistics import seed_demo_statistics
from demo.sync import seed_demo_data
from demo.triage import seed_demo_triage
from signalements.reference_data import load_signalement_references


@dataclass
class DemoReport:
    base: object
    shelter_profiles: int
    signalements: object
    triage: object
    procedures: int = 0
    documents: int = 0
    statistics: int = 0


def seed_demo(*, scale=1, signalements=60, drafts=10, force=False):
    """Charge toute la démonstration par les vrais services ; renvoie le compte rendu de chaque étape."""
    check_demo_allowed(force=force)
    if scale < 1 or signalements < 0 or drafts < 0:
        raise ValueError("L'échelle est un entier positif ; les nombres de signalements ne sont pas négatifs.")
    base = seed_demo_data(scale=scale, force=force)
    load_signalement_references()
    report = DemoReport(
        base=base,
        shelter_profiles=seed_demo_orientation(),
        signalements=seed_demo_signalements(count=signalements, drafts=drafts),
        triage=seed_demo_triage(),
    )
    report.procedures = seed_demo_procedures()
    report.documents = seed_demo_documents()
    report.statistics = seed_demo_statistics()
    return report
