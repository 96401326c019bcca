"""Les statistiques de démonstration : les fiches et cumuls des signalements de démonstration (par le vrai service
`observatoire.services.rebuild_statistics`), plus un historique de fiches statistiques des années précédentes, tiré
selon les distributions de l'enquête de la Miprof (domaine §8.1 et §8.6), pour que les tableaux de bord et l'enquête
annuelle ne soient pas vides de « : ».

L'historique est fait de fiches seules (sans signalement), comme celles d'anciens dossiers purgés : aucune donnée
d'identité n'existe. Déterministe (graine fixe) et idempotent (une année déjà présente n'est pas retirée)."""

import random

from django.utils import timezone

from observatoire import classification
from observatoire.models import CaseStatistic
from observatoire.services import delay_band, rebuild_statistics, refresh_rollups
from referents.enums import OrganisationKind
from referents.models import Organisation

SEED = 2026
#: Le volume d'une année d'historique : l'ordre de grandeur des victimes repérées par les associations (§8.1).
HISTORY_PER_YEAR = 1500
FORMS = [
    ("Sexual exploitation", 78),
    ("Forced labour, including domestic servitude", 11),
    ("Criminal activities", 6),
    ("Forced begging/use for begging", 3),
    ("Other form of exploitation", 1),
    ("Unknown form of exploitation", 1),
]
NATIONALITIES = {
    "Sexual exploitation": ["FR"] * 10 + ["DO", "PY", "BR", "CO", "PE", "CN", "RO", "BG", "UA", "NG"],
    "Forced labour, including domestic servitude": ["FR", "MA", "DZ", "TN", "PK", "KM", "ML", "IN", "BD", "PH"],
    "Criminal activities": ["MA", "MA", "MA", "DZ", "RO", "FR"],
    "Forced begging/use for begging": ["RO", "BG", "MA"],
    "Other form of exploitation": ["FR", "NG", "CN"],
    "Unknown form of exploitation": ["FR", "MA", ""],
}
DEPARTEMENTS = {"75": 30, "93": 10, "92": 6, "94": 6, "95": 3, "13": 8, "69": 6, "59": 8, "33": 4, "06": 4}
DEPARTEMENTS.update({"31": 3, "67": 3, "44": 3, "34": 2, "971": 1, "972": 1, "973": 1, "974": 1, "976": 1})
BODIES = [("association", 70), ("police_nationale", 10), ("gendarmerie_nationale", 5), ("inspection_travail", 4)]
BODIES += [("ase_conseil_departemental", 4), ("ofpra", 3), ("parquet", 2), ("autre", 2)]


def _pick(rng, weighted):
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def history_record(rng, year, organisation_ids):
    """Une fiche statistique tirée selon le profil de l'enquête de la Miprof (§8.1, §8.6)."""
    form_label = _pick(rng, FORMS)
    sexual = form_label == "Sexual exploitation"
    is_minor = rng.random() < (0.14 if sexual or form_label == "Criminal activities" else 0.05)
    is_mna = is_minor and (form_label == "Criminal activities" or rng.random() < 0.2)
    woman = rng.random() < (0.94 if sexual else 0.45)
    nationality = "MA" if is_mna else rng.choice(NATIONALITIES[form_label])
    age = rng.randint(13, 17) if is_minor else rng.randint(18, 55)
    place = _pick(rng, [("france_only", 40), ("france_and_abroad", 39), ("abroad_only", 21)])
    if nationality == "FR":
        place = "france_only"
    decision = _pick(rng, [("validated", 62), ("not_validated", 18), ("pending", 20)])
    compensation = _pick(
        rng, [("unknown", 50), ("not_requested", 25), ("requested", 15), ("granted", 6), ("refused", 4)]
    )
    returned = nationality not in ("FR", "") and place != "france_only" and rng.random() < 0.04
    record = CaseStatistic(
        year=year,
        month=rng.randint(1, 12),
        departement_code=_pick(rng, list(DEPARTEMENTS.items())),
        organisation_id_value=rng.choice(organisation_ids),
        status="closed" if decision != "pending" else "in_triage",
        sex="female" if woman else "male",
        transgender=("yes" if rng.random() < 0.13 else "no") if sexual else "no",
        age_group=classification.age_group(is_minor=is_minor, is_mna=is_mna),
        age_band=classification.age_band(age, is_minor=is_minor),
        nationality_group=classification.nationality_group(
            [nationality] if nationality else [], "" if nationality else "unknown_non_eu"
        ),
        eurostat_form=classification.eurostat_form([form_label]),
        place_of_exploitation=place,
        trafficking_scope=classification.trafficking_scope(
            place_of_exploitation=place,
            exploitation_countries=[] if place == "france_only" else [nationality or "XX"],
            transit_countries=[],
            recruitment_country=nationality if nationality != "FR" else "FR",
            nationalities=[nationality] if nationality else [],
        ),
        support_level="supported" if rng.random() < 0.69 else "spotted",
        identifying_body=_pick(rng, BODIES),
        victim_status="identified" if decision == "validated" else "presumed",
        is_pregnant=woman and rng.random() < (0.3 if sexual else 0.05),
        has_children=rng.random() < 0.23,
        has_disability=rng.random() < 0.05,
        has_addiction=rng.random() < (0.3 if sexual else 0.1),
        has_guardian=rng.choice(["yes", "yes", "no", "unknown"]) if is_minor else "not_applicable",
        compensation_status=compensation,
        compensation_payer=rng.choice(["state", "state", "offender"]) if compensation == "granted" else "",
        has_returned=returned,
        return_region=classification.nationality_group([nationality]) if returned else "",
        decision=decision,
        decision_working_days=rng.randint(1, 25) if decision != "pending" else None,
    )
    # Délais et mesures du parcours tirés à part (graine propre à la fiche) : les tirages ci-dessus restent ceux
    # des versions précédentes de la démonstration.
    _journey(random.Random(f"{year}-{record.month}-{record.departement_code}-{form_label}-{age}-{decision}"), record)
    return record


def _journey(rng, record):
    """Respect des délais cibles et mesures du parcours (délai de réflexion, titres, aide juridictionnelle, retour)."""
    decided = record.decision != "pending"
    foreign = record.nationality_group not in ("france",) and record.age_group == "adult"
    record.decision_delay_band = delay_band(record.decision_working_days)
    record.triage_deadline = _pick(rng, [("met", 82), ("missed", 18)]) if decided else "running"
    if decided:
        record.decision_deadline = "met" if record.decision_working_days <= 5 else "missed"
    validated = record.decision == "validated"
    if foreign and validated:
        record.reflection_period = _pick(rng, [("granted", 35), ("requested", 10), ("refused", 3), ("none", 52)])
        permits = [("permit_l425_1", 15), ("permit_l435_1", 8), ("permit_l425_3", 1), ("none", 76)]
        if record.eurostat_form == "sexual":
            permits.append(("permit_l425_4", 6))
        record.residence_permit = _pick(rng, permits)
    if validated:
        record.legal_aid = _pick(rng, [("granted", 20), ("requested", 10), ("refused", 2), ("none", 68)])
    record.return_assistance = "granted" if record.has_returned else ("requested" if rng.random() < 0.02 else "none")


def seed_demo_statistics(*, years=2, per_year=HISTORY_PER_YEAR, seed=SEED):
    """Les fiches des signalements de démonstration, puis `years` années d'historique avant l'année en cours ;
    recalcule les cumuls. Renvoie le nombre de fiches d'historique créées."""
    rebuild_statistics()
    organisation_ids = list(
        Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION).order_by("pk").values_list("pk", flat=True)[:40]
    )
    if not organisation_ids:
        return 0
    current = timezone.localdate().year
    created = 0
    touched = []
    for year in range(current - years, current):
        if CaseStatistic.objects.filter(year=year, signalement__isnull=True).exists():
            continue
        rng = random.Random(f"{seed}-{year}")
        CaseStatistic.objects.bulk_create(
            [history_record(rng, year, organisation_ids) for _ in range(per_year)], batch_size=2000
        )
        created += per_year
        touched.append(year)
    refresh_rollups(touched)
    return created
