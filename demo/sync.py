"""Écriture en base des données de démonstration : `seed_demo_data` et son compte rendu `SeedReport`.

Idempotent : clés naturelles nom + type pour les organisations, (organisation, type, département) pour les
habilitations, adresse électronique pour les personnes ; créations et mises à jour en masse.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from demo.contacts import _email_for, _phone_for
from demo.directory import sync_directory
from demo.organisations import DEFAULT_SEED, organisation_specs
from demo.people import _DEMO_PEOPLE, DEMO_EMAIL_DOMAIN, TERRITORY_VALIDATORS
from demo.safety import check_demo_allowed, demo_password, give_demo_second_factor
from referents.models import Habilitation, Organisation, Territory
from referents.reference_data import load_reference_data


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    organisations_by_kind: Counter = field(default_factory=Counter)


def seed_demo_data(*, scale=1, force=False, seed=DEFAULT_SEED, today=None):
    """Charge le référentiel des territoires puis les données de démonstration. Idempotent."""
    check_demo_allowed(force=force)
    if scale < 1:
        raise ValueError("L'échelle doit être un entier positif.")
    report = SeedReport()
    with transaction.atomic():
        load_reference_data()
        territories = dict(Territory.objects.values_list("code", "pk"))
        specs = organisation_specs(scale=scale, seed=seed, today=today)
        missing = {code for spec in specs for code in spec.territories} - territories.keys()
        if missing:
            raise ValueError(f"Territoires absents du référentiel : {', '.join(sorted(missing))}.")
        organisations = _sync_organisations(specs, territories, report)
        _sync_habilitations(specs, organisations, territories, report)
        _sync_demo_accounts(organisations, territories, report)
        sync_directory(report=report, today=today or timezone.localdate(), seed=seed)
    report.organisations_by_kind.update(str(spec.kind) for spec in specs)
    return report


def _sync_organisations(specs, territories, report):
    """Crée ou met à jour les organisations (clé : nom + type) et leurs territoires ; renvoie {clé: organisation}."""
    regions = dict(Territory.objects.values_list("code", "region__code"))
    existing = {}
    for organisation in Organisation.objects.filter(name__in=[spec.name for spec in specs]).order_by("pk"):
        existing.setdefault((organisation.name, organisation.kind), organisation)
    to_create, to_update = [], []
    for spec in specs:
        values = {
            "is_national": spec.is_national,
            "email": _email_for(spec.name),
            "phone": _phone_for(spec.name, regions.get(spec.territories[0])),
        }
        organisation = existing.get(spec.key)
        if organisation is None:
            organisation = Organisation(name=spec.name, kind=spec.kind, **values)
            to_create.append(organisation)
            existing[spec.key] = organisation
        elif any(getattr(organisation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(organisation, name, value)
            to_update.append(organisation)
    Organisation.objects.bulk_create(to_create, batch_size=500)
    Organisation.objects.bulk_update(to_update, ["is_national", "email", "phone"], batch_size=500)
    changed = {organisation.pk for organisation in to_update}

    through = Organisation.territories.through
    by_key = {spec.key: existing[spec.key] for spec in specs}
    wanted = {(by_key[spec.key].pk, territories[code]) for spec in specs for code in spec.territories}
    ids = {organisation.pk for organisation in by_key.values()}
    current = set(
        through.objects.filter(organisation_id__in=ids).values_list("organisation_id", "territory_id").iterator()
    )
    through.objects.bulk_create(
        [through(organisation_id=o, territory_id=t) for o, t in sorted(wanted - current)], batch_size=1000
    )
    for organisation_id, territory_id in current - wanted:
        through.objects.filter(organisation_id=organisation_id, territory_id=territory_id).delete()
    created = {organisation.pk for organisation in to_create}
    changed |= {o for o, _ in wanted ^ current} - created
    report.created["organisations"] += len(to_create)
    report.updated["organisations"] += len(changed)
    return by_key


def _sync_habilitations(specs, organisations, territories, report):
    ids = [organisation.pk for organisation in organisations.values()]
    existing = {}
    for habilitation in Habilitation.objects.filter(organisation_id__in=ids).order_by("pk"):
        existing.setdefault((habilitation.organisation_id, habilitation.kind, habilitation.territory_id), habilitation)
    to_create, to_update = [], []
    for spec in specs:
        organisation = organisations[spec.key]
        for h in spec.habilitations:
            territory_id = territories[h.territory] if h.territory else None
            values = {"starts_on": h.starts_on, "ends_on": h.ends_on, "reference": h.reference}
            key = (organisation.pk, str(h.kind), territory_id)
            habilitation = existing.get(key)
            if habilitation is None:
                habilitation = Habilitation(
                    organisation=organisation, kind=h.kind, territory_id=territory_id, **values
                )
                existing[key] = habilitation
                to_create.append(habilitation)
            elif any(getattr(habilitation, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(habilitation, name, value)
                to_update.append(habilitation)
    Habilitation.objects.bulk_create(to_create, batch_size=500)
    Habilitation.objects.bulk_update(to_update, ["starts_on", "ends_on", "reference"], batch_size=500)
    report.created["habilitations"] += len(to_create)
    report.updated["habilitations"] += len(to_update)


def _sync_demo_accounts(organisations, territories, report):
    """Un compte par ligne de `DEMO_ACCOUNTS`, plus un·e valideur·se pour chaque autre territoire
    (`TERRITORY_VALIDATORS`), avec une seule adhésion. Le mot de passe n'est haché qu'une fois."""
    password = demo_password()
    by_name = {name: organisation for (name, _), organisation in organisations.items()}
    everyone = _DEMO_PEOPLE + TERRITORY_VALIDATORS
    emails = [f"{local}@{DEMO_EMAIL_DOMAIN}" for local, *_ in everyone]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    hashed = None
    checked = {}
    seeded = []
    for local, role, organisation_name, _, first_name, last_name, departements in everyone:
        email = f"{local}@{DEMO_EMAIL_DOMAIN}"
        user = users.get(email)
        if user is None:
            hashed = hashed or make_password(password)
            user = User.objects.create(
                email=email, first_name=first_name, last_name=last_name, password=hashed, is_active=True
            )
            report.created["users"] += 1
        else:
            if user.password not in checked:
                checked[user.password] = check_password(password, user.password)
            changes = {"first_name": first_name, "last_name": last_name, "is_active": True}
            if not checked[user.password]:
                hashed = hashed or make_password(password)
                changes["password"] = hashed
            changes = {name: value for name, value in changes.items() if getattr(user, name) != value}
            if changes:
                for name, value in changes.items():
                    setattr(user, name, value)
                user.save(update_fields=list(changes))
                report.updated["users"] += 1
        seeded.append(user)

        membership, created = Membership.objects.get_or_create(
            user=user, organisation=by_name[organisation_name], defaults={"role": role}
        )
        wanted = {territories[code] for code in departements}
        changed = membership.role != role or not membership.is_active
        if changed:
            membership.role, membership.is_active = role, True
            membership.deactivated_at = membership.deactivated_by = None
            membership.save(update_fields=["role", "is_active", "deactivated_at", "deactivated_by"])
        if set(membership.departements.values_list("pk", flat=True)) != wanted:
            membership.departements.set(wanted)
            changed = True
        if created:
            report.created["memberships"] += 1
        elif changed:
            report.updated["memberships"] += 1
    give_demo_second_factor(seeded)
