"""Les associations de démonstration : réelles (citées par le domaine) puis tirées au sort, avec leurs habilitations.

Les deux associations des comptes de démonstration (`DEMO_ASSOCIATION`, `OTHER_DEMO_ASSOCIATION`) ont toujours
une habilitation MNIOP valide ; les autres tirent leurs habilitations (MNIOP, PSP, Ofpra, R. 316-1) d'une graine
fixée par leur nom.
"""

import random

from demo.departements import _OVERSEAS_DEPARTEMENTS, DEPARTEMENTS, _towns, of_town
from demo.specs import OrganisationSpec, _habilitation, _unique_name
from referents.enums import HabilitationKind, OrganisationKind

#: Volume de l'échelle 1 (domaine §8.1 : ~80 associations répondent chaque année à l'enquête de la Miprof).
ASSOCIATIONS_PER_SCALE = 80

#: Associations réelles que cite le domaine (§2.8), avec leur siège ; national = compétence nationale.
#: (nom, département du siège, national, habilitations particulières)
_KNOWN_ASSOCIATIONS = [
    ("Comité contre l'esclavage moderne (CCEM)", "75", True, ("ofpra", "r316_1")),
    ("Hors la Rue", "93", True, ("ofpra",)),
    ("Amicale du Nid", "75", True, ("ofpra", "psp:75,92,93,13,34,69")),
    ("Mouvement du Nid", "92", True, ("ofpra", "psp:59,67,31,33,44,63")),
    ("Association Foyer Jorbalan", "75", True, ("ofpra",)),
    ("Agir contre la prostitution des enfants (ACPE)", "75", True, ()),
    ("France terre d'asile", "75", True, ()),
    ("Collectif « Ensemble contre la traite des êtres humains »", "75", True, ()),
    ("La Cimade", "75", True, ()),
    ("GISTI", "75", True, ()),
    ("InfoMIE", "75", True, ()),
    ("e-Enfance", "75", True, ()),
    ("Les Amis du Bus des Femmes", "75", False, ("psp:75",)),
    ("Aux captifs, la libération", "75", False, ()),
    ("Organisation internationale contre l'esclavage moderne (OICEM)", "13", False, ("r316_1",)),
    ("Association ALC", "06", False, ("psp:06",)),
    ("Ruelle", "33", False, ()),
]
#: Les deux associations des comptes de démonstration (mêmes noms que les personas des tests).
DEMO_ASSOCIATION = "Association Accueil Paris"
OTHER_DEMO_ASSOCIATION = "Solidarités Nord"

#: Poids des départements pour répartir les associations (domaine §8.5, §8.6 : 58 % des places TEH sont en
#: Île-de-France ; quelques structures outre-mer).
_ASSOCIATION_WEIGHTS = {
    "75": 22,
    "93": 8,
    "92": 4,
    "94": 4,
    "95": 3,
    "91": 3,
    "77": 2,
    "78": 2,
    "13": 6,
    "69": 5,
    "59": 4,
    "06": 4,
    "33": 3,
    "31": 3,
    "34": 2,
    "44": 2,
    "67": 2,
    "35": 2,
    "76": 1.5,
    "38": 1,
    "57": 1,
    "62": 1,
    "21": 1,
    "37": 1,
    "63": 1,
    "29": 1,
    "84": 1,
    "83": 1,
    "30": 1,
    "45": 1,
    "87": 0.5,
    "54": 0.5,
    "51": 0.5,
    "80": 0.5,
    "86": 0.5,
    "971": 1,
    "972": 1,
    "973": 1.5,
    "974": 1,
    "976": 1,
}
_CORES = [
    "Accueil et Droits",
    "Femmes Debout",
    "Passerelles",
    "Horizons",
    "Le Fil d'Ariane",
    "Entraide Migrants",
    "Les Jalons",
    "Trait d'Union",
    "Relais Femmes",
    "L'Escale",
    "L'Étape",
    "Issues",
    "Parcours de femmes",
    "Regain",
    "La Boussole",
    "Cap Avenir",
    "Les Marronniers",
    "Droits devant",
    "Le Phare",
    "Aurore",
    "Main tendue",
    "Nouvel Élan",
    "La Traverse",
    "Les Ponts",
    "Amarrage",
    "Espoir et Dignité",
    "Liberté retrouvée",
    "Cœur de Femmes",
    "Sésame",
    "Le Rocher",
]


def _association_name(rng, d):
    core = rng.choice(_CORES)
    town = rng.choice(_towns(d))
    pattern = rng.choice(
        [
            "Association {core} {of_town}",
            "Association {core} {of}",
            "{town} Solidarités",
            "Solidarités Femmes {town}",
            "Collectif {core} {of}",
            "Collectif contre la traite {of}",
            "Amicale {core} {of_town}",
            "Association d'aide aux victimes {of}",
            "Maison des femmes {of_town}",
            "Accueil de jour {core} {of_town}",
            "Association {core}",
        ]
    )
    return pattern.format(core=core, town=town, of=d.of_name, of_town=of_town(town))


def _association_habilitations(name, code, dates, *, demo=False, extra=()):
    """~60 % avec une habilitation MNIOP valide, ~12 % expirée ; des agréments PSP par département."""
    rng = random.Random(f"habilitations:{name}")
    roll = rng.random()
    habilitations = []
    if demo or roll < 0.60:
        habilitations.append(_habilitation(HabilitationKind.MNIOP, dates, rng))
    elif roll < 0.72:
        habilitations.append(_habilitation(HabilitationKind.MNIOP, dates, rng, expired=True))
    if rng.random() < 0.25:
        expired = rng.random() < 0.15
        habilitations.append(_habilitation(HabilitationKind.PSP, dates, rng, expired=expired, territory=code))
    if rng.random() < 0.05:
        habilitations.append(_habilitation(HabilitationKind.OFPRA, dates, rng))
    if rng.random() < 0.08:
        habilitations.append(_habilitation(HabilitationKind.R316_1, dates, rng, territory=code))
    for item in extra:
        kind, _, codes = item.partition(":")
        if kind == "psp":
            for territory in codes.split(","):
                habilitations.append(_habilitation(HabilitationKind.PSP, dates, rng, territory=territory))
        elif not any(h.kind == kind and h.territory is None for h in habilitations):
            habilitations.append(_habilitation(HabilitationKind(kind), dates, rng))
    return _unique_habilitations(habilitations)


def _unique_habilitations(habilitations):
    """Une seule habilitation par type et par département : la première tirée l'emporte."""
    seen = {}
    for h in habilitations:
        seen.setdefault((str(h.kind), h.territory), h)
    return list(seen.values())


def _associations(scale, seed, dates):
    used = set()
    specs = [
        OrganisationSpec(
            DEMO_ASSOCIATION,
            OrganisationKind.ASSOCIATION,
            ("75",),
            habilitations=_association_habilitations(DEMO_ASSOCIATION, "75", dates, demo=True, extra=("psp:75",)),
        ),
        OrganisationSpec(
            OTHER_DEMO_ASSOCIATION,
            OrganisationKind.ASSOCIATION,
            ("59",),
            habilitations=_association_habilitations(OTHER_DEMO_ASSOCIATION, "59", dates, demo=True),
        ),
    ]
    for name, code, national, extra in _KNOWN_ASSOCIATIONS:
        demo = "ofpra" in extra  # les associations habilitées par l'Ofpra participent au pilote
        specs.append(
            OrganisationSpec(
                name,
                OrganisationKind.ASSOCIATION,
                (code,),
                is_national=national,
                habilitations=_association_habilitations(name, code, dates, demo=demo, extra=extra),
            )
        )
    used.update(spec.name for spec in specs)
    rng = random.Random(f"associations:{seed}")
    codes, weights = zip(*_ASSOCIATION_WEIGHTS.items(), strict=True)
    first = list(_OVERSEAS_DEPARTEMENTS)  # au moins une association dans chaque département d'outre-mer
    while len(specs) < ASSOCIATIONS_PER_SCALE * scale:
        d = DEPARTEMENTS[first.pop(0) if first else rng.choices(codes, weights)[0]]
        name = _unique_name(lambda d=d: _association_name(rng, d), used)
        specs.append(
            OrganisationSpec(
                name,
                OrganisationKind.ASSOCIATION,
                (d.code,),
                habilitations=_association_habilitations(name, d.code, dates),
            )
        )
    return specs
