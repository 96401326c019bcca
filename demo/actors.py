"""Qui agit dans la démonstration : les comptes de démonstration, chacun par son adhésion active, comme après la
connexion (le middleware pose `user.membership`). Les services vérifient leurs droits comme pour une vraie personne.
"""

from accounts.membership import active_memberships
from accounts.models import User
from demo.people import DEMO_EMAIL_DOMAIN

MIPROF_ADMIN = f"admin.miprof@{DEMO_EMAIL_DOMAIN}"
MIPROF_AGENT = f"agent.miprof@{DEMO_EMAIL_DOMAIN}"


def acting(email, organisation=None):
    """La personne de démonstration, agissant par sa première adhésion active (de `organisation` si elle est
    donnée) ; None si elle n'existe pas ou n'a pas d'adhésion active."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return None
    memberships = active_memberships(user)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    user.membership = memberships.first()
    return user if user.membership is not None else None
