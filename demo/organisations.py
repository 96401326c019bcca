"""Toutes les organisations de démonstration : organismes nationaux, institutions, associations, hébergement."""

from django.utils import timezone

from demo.associations import _associations
from demo.institutions import _institutions, _national_bodies, with_first_line_habilitations
from demo.shelters import _shelters
from demo.specs import _Dates

DEFAULT_SEED = 2026


def organisation_specs(*, scale=1, seed=DEFAULT_SEED, today=None):
    """Toutes les organisations de démonstration, dans un ordre stable."""
    dates = _Dates(today or timezone.localdate())
    institutions = with_first_line_habilitations(_institutions(), dates)
    return _national_bodies() + institutions + _associations(scale, seed, dates) + _shelters(scale, seed, dates)
