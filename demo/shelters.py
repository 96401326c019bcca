"""Les structures d'hébergement de démonstration : celle du compte de démonstration, puis des centres tirés au sort.

Environ 30 % des centres tirés ont une habilitation MNIOP.
"""

import random

from demo.departements import DEPARTEMENTS, _towns
from demo.specs import OrganisationSpec, _habilitation, _unique_name
from referents.enums import HabilitationKind, OrganisationKind

#: Volume de l'échelle 1 (domaine §8.5 : ~15 associations gèrent les places dédiées à la TEH, ~60 centres
#: partenaires d'Ac.Sé).
SHELTERS_PER_SCALE = 20
#: La structure d'hébergement du compte de démonstration.
DEMO_SHELTER = "Centre d'hébergement Les Glycines"

#: Poids des départements pour répartir les places d'hébergement (domaine §8.5, §8.6 : 58 % des places TEH
#: sont en Île-de-France ; quelques structures outre-mer).
_SHELTER_WEIGHTS = {
    "75": 25,
    "93": 12,
    "92": 6,
    "94": 6,
    "91": 4,
    "95": 3,
    "77": 2,
    "13": 8,
    "69": 7,
    "06": 5,
    "33": 4,
    "59": 4,
    "31": 4,
    "34": 3,
    "67": 3,
    "44": 2,
    "974": 2,
}
_SHELTER_CORES = [
    "Les Glycines",
    "L'Oasis",
    "Les Tilleuls",
    "La Clairière",
    "Le Havre de paix",
    "Les Acacias",
    "La Source",
    "L'Albatros",
    "Les Hirondelles",
    "Le Port",
    "La Passerelle",
    "Les Lilas",
    "L'Abri",
    "Les Mimosas",
    "La Maison d'Élise",
    "Le Colombier",
]
_SHELTER_PATTERNS = [
    "Centre d'hébergement {core}",
    "Centre d'hébergement {core} – {town}",
    "Centre d'hébergement et de réinsertion sociale {core}",
    "Centre d'hébergement d'urgence {core}",
]


def _shelter_name(rng, d):
    pattern = rng.choice(_SHELTER_PATTERNS)
    return pattern.format(core=rng.choice(_SHELTER_CORES), town=rng.choice(_towns(d)))


def _shelters(scale, seed, dates):
    used = {DEMO_SHELTER}
    rng = random.Random(f"shelters:{seed}")
    specs = [
        OrganisationSpec(
            DEMO_SHELTER,
            OrganisationKind.SHELTER,
            ("75",),
            habilitations=[_habilitation(HabilitationKind.MNIOP, dates, random.Random(DEMO_SHELTER))],
        )
    ]
    codes, weights = zip(*_SHELTER_WEIGHTS.items(), strict=True)
    while len(specs) < SHELTERS_PER_SCALE * scale:
        d = DEPARTEMENTS[rng.choices(codes, weights)[0]]
        name = _unique_name(lambda d=d: _shelter_name(rng, d), used)
        habilitations = []
        if random.Random(f"habilitations:{name}").random() < 0.3:
            habilitations.append(_habilitation(HabilitationKind.MNIOP, dates, random.Random(name)))
        specs.append(OrganisationSpec(name, OrganisationKind.SHELTER, (d.code,), habilitations=habilitations))
    return specs
