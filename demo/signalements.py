"""Signalements de démonstration, tirés selon le profil des victimes accompagnées par les associations (domaine §8.1
et §8.6) : 78 % d'exploitation sexuelle, 85 % de femmes, 12 % de mineurs dont 27 % de MNA, lieux d'exploitation
40 % France seulement, 39 % France et étranger, 21 % étranger seulement, Île-de-France surreprésentée.

Déterministe (graine fixe) et idempotent : les signalements de démonstration portent un pseudonyme « Démo-<n> » ;
relancer complète jusqu'au nombre demandé sans rien recréer. Tout passe par les services du signalement
(`create_draft`, `submit_signalement`) : le journal, les notifications et les règles sont ceux de la vraie vie.
Aucune donnée réelle : pseudonymes seulement, jamais de nom.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from demo.actors import acting
from mniop.roles import Role
from referents.models import Territory
from signalements.enums import (
    ComplaintStatus,
    ConsentStatus,
    PlaceOfExploitation,
    ReferenceCategory,
    Sex,
    SignalementStatus,
)
from signalements.models import ReferenceValue, Signalement
from signalements.services.drafts import create_draft, submit_signalement

PSEUDONYM_PREFIX = "Démo-"
DEFAULT_SEED = 2026

#: Nationalités par forme d'exploitation (domaine §8.6, point 6), codes ISO 3166.
NATIONALITIES = {
    "exploitation_sexuelle": ["FR"] * 10 + ["DO", "PY", "BR", "CO", "PE", "VE", "CN", "RO", "BG", "UA", "NG", "NG"],
    "travail_force": ["FR", "MA", "DZ", "TN", "PK", "KM", "ML", "SN", "IN", "BD"],
    "servitude_domestique": ["MA", "PH", "LK", "ET", "CI", "FR"],
    "contrainte_delits": ["MA", "MA", "MA", "DZ", "RO", "FR"],
    "mendicite_forcee": ["RO", "BG", "MA"],
}
OTHER_FORMS = ["travail_force", "servitude_domestique", "contrainte_delits", "mendicite_forcee"]
LANGUAGES = {"FR": "fr", "DO": "es", "PY": "es", "CO": "es", "PE": "es", "VE": "es", "BR": "pt", "CN": "zh"}
LANGUAGES.update({"RO": "ro", "BG": "bg", "UA": "uk", "NG": "en", "MA": "ar", "DZ": "ar", "TN": "ar", "PK": "ur"})
LANGUAGES.update({"IN": "hi", "BD": "bn", "KM": "fr", "ML": "fr", "SN": "fr", "PH": "tl", "LK": "ta", "ET": "am"})
LANGUAGES["CI"] = "fr"
#: Départements du signalement : l'Île-de-France pèse le plus (58 % des places TEH, domaine §7.1), un peu d'outre-mer.
DEPARTEMENT_WEIGHTS = {"75": 30, "93": 10, "92": 6, "94": 6, "95": 3, "13": 8, "69": 6, "59": 8, "33": 4, "06": 4}
DEPARTEMENT_WEIGHTS.update({"31": 3, "67": 3, "44": 3, "34": 2, "971": 1, "972": 1, "973": 1, "974": 1, "976": 1})
VULNERABILITIES = {
    "grossesse_pendant_exploitation": 0.27,
    "enfants": 0.23,
    "handicap": 0.05,
    "addiction": 0.26,
    "precarite_economique": 0.6,
    "isolement": 0.5,
    "ne_parle_pas_francais": 0.45,
    "sejour_irregulier": 0.35,
    "violences_sexuelles_et_sexistes": 0.3,
}
INDICATORS = ["documents_confisques", "servitude_pour_dettes", "controle_deplacements", "argent_remis_tiers"]
INDICATORS += ["violences", "emprise", "menaces_represailles", "recrute_fausses_promesses"]
INDICATORS += ["heberge_lieu_exploitation"]
FOREIGN_SITUATIONS = ["situation_irreguliere", "demandeur_asile", "sejour_regulier_pays_tiers", "inconnue"]
FOREIGN_SITUATIONS += ["recepisse_delai_reflexion", "carte_sejour_l425_1"]
EU_COUNTRIES = {"RO", "BG"}


@dataclass
class DemoReport:
    created: int = 0
    submitted: int = 0
    by_status: dict = field(default_factory=dict)


def _values(category):
    return {value.code: value for value in ReferenceValue.objects.active().in_category(category)}


def _weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


class _Generator:
    """Tire les champs d'un signalement ; ne lit la base qu'une fois (listes de référence, territoires)."""

    def __init__(self, rng):
        self.rng = rng
        self.lists = {category: _values(category) for category in ReferenceCategory}
        codes = [code for code in DEPARTEMENT_WEIGHTS if code]
        self.territories = {t.code: t for t in Territory.objects.filter(code__in=codes)}
        self.weights = {code: w for code, w in DEPARTEMENT_WEIGHTS.items() if code in self.territories}

    def pick(self, category, code):
        return self.lists[category].get(code)

    def picks(self, category, codes):
        return [value for code in codes if (value := self.pick(category, code)) is not None]

    def fields(self, number):
        rng = self.rng
        form = "exploitation_sexuelle" if rng.random() < 0.78 else rng.choice(OTHER_FORMS)
        is_minor = rng.random() < (0.25 if form in ("exploitation_sexuelle", "contrainte_delits") else 0.05)
        is_mna = is_minor and (form == "contrainte_delits" or rng.random() < 0.2)
        woman = rng.random() < (0.94 if form == "exploitation_sexuelle" else 0.55)
        nationality = "MA" if is_mna else rng.choice(NATIONALITIES[form])
        age = rng.randint(12, 17) if is_minor else rng.randint(18, 52)
        spotted_on = timezone.localdate() - datetime.timedelta(days=rng.randint(0, 120))
        place_draw = rng.random()
        if place_draw < 0.40 or nationality == "FR":
            place = PlaceOfExploitation.FRANCE_ONLY
        elif place_draw < 0.79:
            place = PlaceOfExploitation.FRANCE_AND_ABROAD
        else:
            place = PlaceOfExploitation.ABROAD_ONLY
        departement = self.territories[_weighted(rng, self.weights)]
        if nationality == "FR":
            situation = "nationalite_francaise"
        elif nationality in EU_COUNTRIES:
            situation = "ressortissant_ue"
        else:
            situation = rng.choice(FOREIGN_SITUATIONS)
        fields = {
            "pseudonym": f"{PSEUDONYM_PREFIX}{number:04d}",
            "departement": departement,
            "spotted_on": spotted_on,
            "spotted_place": "",
            "urgent": rng.random() < 0.12,
            "entry_channel": self.pick(ReferenceCategory.ENTRY_CHANNEL, "association"),
            "identifying_body": self.pick(ReferenceCategory.IDENTIFYING_BODY, "association"),
            "consent_status": ConsentStatus.NOT_REQUIRED_MINOR if is_minor else ConsentStatus.GIVEN,
            "consent_language": "fr",
            # Majeure : consentement écrit au partage pour la prise en charge et aux statistiques ; la police et le
            # parquet, une fois sur trois. Mineure : non requis, le partage se fait sur le fondement de la minorité.
            **(
                {}
                if is_minor
                else {
                    "consent_shelter": "given",
                    "consent_association": "given",
                    "consent_statistics": "given",
                    "consent_police_justice": "given" if rng.random() < 0.33 else "refused",
                    "consent_given_on": spotted_on,
                    "consent_form": "written",
                }
            ),
            "estimated_age": age,
            "is_mna": is_mna,
            "is_minor_presumed": is_mna,
            "sex": Sex.FEMALE if woman else Sex.MALE,
            "nationalities": [nationality],
            "languages": [LANGUAGES.get(nationality, "fr")],
            "administrative_situation": self.pick(ReferenceCategory.ADMINISTRATIVE_SITUATION, situation),
            "juge_des_enfants_informed": is_minor and rng.random() < 0.6,
            "procureur_informed": is_minor and rng.random() < 0.5,
            "place_of_exploitation": place,
            "exploitation_departements": [] if place == PlaceOfExploitation.ABROAD_ONLY else [departement],
            "exploitation_countries": [] if place == PlaceOfExploitation.FRANCE_ONLY else [nationality],
            "exploitation_forms": self.picks(ReferenceCategory.EXPLOITATION_FORM, [form]),
            "vulnerability_factors": self.picks(
                ReferenceCategory.VULNERABILITY_FACTOR,
                [code for code, share in VULNERABILITIES.items() if rng.random() < share],
            ),
            "indicators": self.picks(ReferenceCategory.TRAFFICKING_INDICATOR, rng.sample(INDICATORS, 3)),
            "in_danger": rng.random() < 0.2,
            "needs_shelter_tonight": rng.random() < 0.25,
            "needs_health_care": rng.random() < 0.4,
            "needs_interpreter": nationality not in ("FR", "KM", "ML", "SN", "CI"),
            "children_count": rng.choice([None, None, None, 1, 2]),
            "complaint_status": rng.choice(list(ComplaintStatus.values)),
        }
        fields.update(_statistical_fields(number, nationality=nationality, place=place, is_minor=is_minor))
        if not is_minor and number % 3 == 0:
            # Un téléphone (chiffré) pour un tiers des personnes majeures, dans la tranche 06 39 98 que l'Arcep
            # réserve aux œuvres de fiction ; jamais de nom en démonstration, donc pas d'autres noms connus.
            fields["phone"] = f"06 39 98 {number // 100 % 100:02d} {number % 100:02d}"
        if form == "exploitation_sexuelle":
            fields["transgender"] = "yes" if rng.random() < 0.12 else "no"
            fields["place_types"] = self.picks(
                ReferenceCategory.PLACE_TYPE, [rng.choice(["logement_meuble_location_courte", "hotel", "rue"])]
            )
            fields["recruitment_modes"] = self.picks(
                ReferenceCategory.RECRUITMENT_MODE, [rng.choice(["reseaux_sociaux", "loverboy_relation_affective"])]
            )
            fields["ict_uses"] = self.picks(ReferenceCategory.ICT_USE, ["annonces_prostitution", "location_logements"])
        elif form in ("travail_force", "servitude_domestique"):
            sector = "travail_domestique" if form == "servitude_domestique" else rng.choice(["btp", "agriculture"])
            fields["sectors"] = self.picks(ReferenceCategory.SECTOR, [sector])
        return fields


#: Pays de transit fréquents des routes vers la France (démonstration).
TRANSIT_COUNTRIES = ["IT", "ES", "LY", "TR", "GR", "DE", "BE"]


def _statistical_fields(number, *, nationality, place, is_minor):
    """Les champs statistiques (enquête de la Miprof, grille du GRETA), tirés par un générateur propre au numéro du
    signalement : ajouter ces tirages ne change pas les autres champs des signalements de démonstration existants.
    69 % d'accompagnées individuellement (4 160 sur 6 022, domaine §8.1)."""
    rng = random.Random(f"{DEFAULT_SEED}-statistiques-{number}")
    foreign = nationality != "FR"
    fields = {
        "support_level": "supported" if rng.random() < 0.69 else "spotted",
        "recruitment_country": nationality if foreign and rng.random() < 0.7 else ("FR" if not foreign else ""),
        "transit_countries": (
            rng.sample(TRANSIT_COUNTRIES, rng.randint(1, 2)) if foreign and rng.random() < 0.3 else []
        ),
        "has_guardian": rng.choice(["yes", "yes", "no", "unknown"]) if is_minor else "unknown",
        "compensation_status": rng.choices(
            ["unknown", "not_requested", "requested", "granted", "refused"], weights=[50, 25, 15, 6, 4]
        )[0],
    }
    if fields["compensation_status"] == "granted":
        fields["compensation_payer"] = rng.choice(["state", "state", "offender"])
    if foreign and place != PlaceOfExploitation.FRANCE_ONLY and rng.random() < 0.05:
        fields["return_country"] = nationality
    return fields


def demo_authors():
    """Les personnes des associations de démonstration qui déposent : (adhésion, poids)."""
    memberships = (
        Membership.objects.active()
        .filter(role__in=[Role.ASSOCIATION_AGENT, Role.ASSOCIATION_ADMIN], user__email__endswith="demo.mniop.example")
        .select_related("organisation", "user")
        .order_by("user__email")
    )
    return [m for m in memberships if m.organisation.kind == "association"]


def seed_demo_signalements(*, count=60, drafts=10, seed=DEFAULT_SEED):
    """Complète la base jusqu'à `count` signalements déposés et `drafts` brouillons de démonstration.

    Les auteurs sont les comptes de démonstration des associations (`seed_demo_data` d'abord). Un brouillon de
    démonstration dont le numéro entre dans `count` (le volume demandé a grandi) est déposé.
    Renvoie un `DemoReport`."""
    authors = demo_authors()
    report = DemoReport()
    if not authors:
        return report
    existing = dict(
        Signalement.objects.filter(pseudonym__startswith=PSEUDONYM_PREFIX).values_list("pseudonym", "status")
    )
    rng = random.Random(seed)
    generator = _Generator(rng)
    for number in range(1, count + drafts + 1):
        fields = generator.fields(number)  # toujours tiré : le n-ième signalement ne dépend pas de ceux qui existent
        author = authors[0] if rng.random() < 0.6 else rng.choice(authors)
        status = existing.get(fields["pseudonym"])
        if status is not None and (number > count or status != SignalementStatus.DRAFT):
            continue
        user = author.user
        user.membership = author  # agit au nom de son organisation, comme le pose le middleware
        with transaction.atomic():
            if status is None:
                signalement = create_draft(organisation=author.organisation, by=user, **fields)
                report.created += 1
            else:  # un brouillon qui entre dans le volume demandé : déposé par la personne qui l'a rédigé
                signalement = Signalement.objects.select_related("created_by").get(pseudonym=fields["pseudonym"])
                user = acting(signalement.created_by.email, organisation=signalement.organisation)
            if number <= count:
                submit_signalement(signalement=signalement, by=user)
                report.submitted += 1
    return report
