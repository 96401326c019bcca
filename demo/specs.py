"""Ce que les données de démonstration décrivent avant d'écrire en base : une organisation, une habilitation.

Et les outils communs pour les construire : des dates stables dans l'année, un nom ou une organisation qui
n'apparaît qu'une fois.
"""

from dataclasses import dataclass, field
from datetime import date

from referents.enums import HabilitationKind


@dataclass(frozen=True)
class HabilitationSpec:
    kind: str
    starts_on: date
    ends_on: date | None = None
    territory: str | None = None  # code du département pour un agrément départemental
    reference: str = ""


@dataclass
class OrganisationSpec:
    name: str
    kind: str
    territories: tuple[str, ...]
    is_national: bool = False
    habilitations: list[HabilitationSpec] = field(default_factory=list)

    @property
    def key(self):
        return (self.name, str(self.kind))


def _unique(specs):
    """Une organisation couvrant plusieurs territoires n'apparaît qu'une fois."""
    seen = {}
    for spec in specs:
        seen.setdefault(spec.key, spec)
    return list(seen.values())


class _Dates:
    """Des dates stables dans l'année : relancer le même jour (ou la même année) ne modifie rien."""

    def __init__(self, today):
        self.year = today.year

    def valid(self, rng):
        starts = date(self.year - rng.randint(1, 3), rng.choice([1, 3, 6, 9]), 1)
        ends = None if rng.random() < 0.5 else date(self.year + rng.randint(1, 3), 12, 31)
        return starts, ends

    def expired(self, rng):
        starts = date(self.year - rng.randint(3, 5), 1, 1)
        return starts, date(self.year - 1, rng.choice([3, 6, 9, 12]), 28)


def _habilitation(kind, dates, rng, *, expired=False, territory=None):
    starts_on, ends_on = dates.expired(rng) if expired else dates.valid(rng)
    prefix = {
        HabilitationKind.MNIOP: "Décision Miprof",
        HabilitationKind.PSP: "Arrêté préfectoral",
        HabilitationKind.OFPRA: "Décision du directeur général de l'Ofpra",
        HabilitationKind.R316_1: "Arrêté préfectoral",
    }[kind]
    reference = f"{prefix} n° {starts_on.year}-{rng.randint(1, 999):03d}"
    return HabilitationSpec(kind, starts_on, ends_on, territory, reference)


def _unique_name(draw, used, attempts=20):
    """Tire un nom jusqu'à en trouver un libre ; à défaut, numérote le dernier tiré (« Paris Solidarités 2 »)."""
    for _ in range(attempts):
        name = draw()
        if name not in used:
            break
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name} {n}"
    used.add(candidate)
    return candidate
