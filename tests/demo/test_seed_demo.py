"""Données de démonstration : organisations, habilitations, comptes et fiches de l'annuaire (`demo.sync`), la
commande `seed_demo` et ses comptes de démonstration (`seed_demo --accounts`). Chargées une fois (`conftest.py`)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.recipients import deciders_of, validators_of
from demo.actors import acting
from demo.contacts import FICTION_PHONE_PREFIXES
from demo.people import DEMO_ACCOUNTS, DEMO_EMAIL_DOMAIN
from demo.safety import demo_password
from demo.sync import seed_demo_data
from mniop.roles import Role
from referents.enums import HabilitationKind, OrganisationKind, ReferentCategory, Zone
from referents.models import Habilitation, Organisation, Territory
from signalements.permissions import filing_refusal

VALIDATOR_ACCOUNTS = [a.email for a in DEMO_ACCOUNTS if a.role == Role.DEPARTMENTAL_VALIDATOR]
RESERVED_EMAIL_DOMAINS = ("example.org", "example.com", "example.net", "example")
INSTITUTION_KINDS = [
    OrganisationKind.PREFECTURE,
    OrganisationKind.TRIBUNAL,
    OrganisationKind.POLICE,
    OrganisationKind.GENDARMERIE,
    OrganisationKind.LABOUR_INSPECTION,
    OrganisationKind.DEPARTEMENT_COUNCIL,
]


def counts():
    return {
        model.__name__: model.objects.count() for model in (Organisation, Habilitation, User, Membership, Territory)
    }


def is_reserved_email(email):
    domain = email.rpartition("@")[2].lower()
    return any(domain == reserved or domain.endswith(f".{reserved}") for reserved in RESERVED_EMAIL_DOMAINS)


def test_seeding_creates_about_eighty_associations_and_twenty_shelters(seeded, db):
    assert 75 <= Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION).count() <= 90
    assert 15 <= Organisation.objects.filter(kind=OrganisationKind.SHELTER).count() <= 25


def test_associations_are_concentrated_in_ile_de_france_with_a_few_overseas(seeded, db):
    associations = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
    in_ile_de_france = associations.filter(territories__region__code="11").distinct().count()
    assert in_ile_de_france >= 0.4 * associations.count()
    assert associations.filter(territories__zone=Zone.OUTRE_MER).distinct().count() >= 3


@pytest.mark.parametrize("kind", INSTITUTION_KINDS)
def test_every_departement_has_an_institution_of_each_required_kind(seeded, db, kind):
    assert Territory.objects.departements().count() == 101
    uncovered = Territory.objects.departements().exclude(organisations__kind=kind)
    assert list(uncovered.values_list("code", flat=True)) == []


def test_institution_names_use_the_right_french_article(seeded, db):
    names = set(Organisation.objects.values_list("name", flat=True))
    for name in [
        "Préfecture du Nord",
        "Préfecture de la Guadeloupe",
        "Préfecture de l'Ain",
        "Préfecture des Bouches-du-Rhône",
        "Préfecture de Paris",
        "Tribunal judiciaire de Lille",
        "Tribunal judiciaire d'Évry",
        "Tribunal judiciaire du Mans",
        "Groupement de gendarmerie départementale du Nord",
        "DDETS du Nord – inspection du travail",
        "DEETS de la Martinique – inspection du travail",
        "Conseil départemental du Nord – CRIP",
        "Ville de Paris – CRIP",
    ]:
        assert name in names


def test_national_bodies_have_national_competence(seeded, db):
    assert Organisation.objects.get(name="Miprof", kind=OrganisationKind.MIPROF).is_national
    assert Organisation.objects.get(name="Coordination nationale Ac.Sé", kind=OrganisationKind.ACSE).is_national
    assert Organisation.objects.get(name="Ofpra", kind=OrganisationKind.OFPRA).is_national
    assert Organisation.objects.filter(kind=OrganisationKind.OFII).count() >= 3


def test_about_sixty_percent_of_associations_hold_a_valid_mniop_habilitation(seeded, db):
    associations = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
    valid = associations.with_valid_habilitation(HabilitationKind.MNIOP).count()
    assert 0.5 <= valid / associations.count() <= 0.75


def test_some_habilitations_have_expired_and_some_psp_agreements_are_departemental(seeded, db):
    expired = Habilitation.objects.filter(ends_on__lt=timezone.localdate())
    assert expired.filter(kind=HabilitationKind.MNIOP).exists()
    psp = Habilitation.objects.filter(kind=HabilitationKind.PSP)
    assert psp.exists()
    assert not psp.filter(territory=None).exists()


def test_seeding_twice_creates_nothing_new(seeded, db):
    before = counts()
    report = seed_demo_data(force=True)
    assert counts() == before
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0


def test_seed_demo_command_prints_its_counts_in_french(seeded, db):
    out = StringIO()
    call_command("seed_demo", "--force", "--signalements", "40", "--drafts", "5", stdout=out)
    output = out.getvalue()
    assert "0 organisation créée, 0 mise à jour" in output
    assert "0 compte créé, 0 mis à jour" in output
    assert "0 profil(s) de structure d'hébergement créé(s)" in output
    assert "0 signalement(s) de démonstration créé(s), dont 0 déposé(s)" in output
    assert "0 signalement(s) menés par l'instruction" in output


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=[a.email.partition("@")[0] for a in DEMO_ACCOUNTS])
def test_every_demo_account_logs_in_with_the_demo_password_and_has_its_role(seeded, db, account):
    request = RequestFactory().post("/connexion/")
    user = authenticate(request=request, username=account.email, password=demo_password())
    assert user is not None and user.email == account.email
    memberships = list(Membership.objects.filter(user=user).values_list("role", "organisation__name"))
    assert memberships == [(account.role, account.organisation)]


def test_demo_accounts_cover_every_role():
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role)


def test_the_named_demo_validators_are_scoped_to_paris_nord_lyon_and_mayotte(seeded, db):
    scopes = {
        membership.user.email: sorted(t.code for t in membership.departements.all())
        for membership in Membership.objects.filter(role=Role.DEPARTMENTAL_VALIDATOR).select_related("user")
    }
    assert {email: scopes[email] for email in VALIDATOR_ACCOUNTS} == {
        "valideur.paris@demo.mniop.example": ["75"],
        "valideur.nord@demo.mniop.example": ["59"],
        "valideur.lyon@demo.mniop.example": ["69"],
        "valideur.mayotte@demo.mniop.example": ["976"],
    }


def test_every_departement_and_overseas_collectivite_has_a_demo_validator(seeded, db):
    """Un signalement déposé n'importe où se mène jusqu'à la décision d'un·e valideur·se du territoire, sans le
    repli national (`accounts.recipients.deciders_of`)."""
    territories = list(Territory.objects.all())
    assert len(territories) == 107
    without = [territory.code for territory in territories if not validators_of(territory)]
    assert without == []
    mayotte = Territory.objects.get(code="976")
    assert [user.email for user in deciders_of(mayotte)] == ["valideur.mayotte@demo.mniop.example"]


def test_a_territory_validator_logs_in_with_a_second_factor_at_its_prefecture(seeded, db):
    user = authenticate(
        request=RequestFactory().post("/connexion/"),
        username=f"valideur.988@{DEMO_EMAIL_DOMAIN}",
        password=demo_password(),
    )
    membership = Membership.objects.get(user=user)
    assert membership.organisation.name == "Haut-commissariat de la République en Nouvelle-Calédonie"
    assert [t.code for t in membership.departements.all()] == ["988"]
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_no_email_outside_reserved_example_domains(seeded, db):
    emails = list(Organisation.objects.values_list("email", flat=True)) + list(
        User.objects.values_list("email", flat=True)
    )
    assert emails
    assert [email for email in emails if not is_reserved_email(email)] == []


def test_phone_numbers_are_in_the_ranges_reserved_for_fiction(seeded, db):
    phones = Organisation.objects.values_list("phone", flat=True)
    assert [phone for phone in phones if not phone.startswith(FICTION_PHONE_PREFIXES)] == []


def test_seed_demo_refuses_without_force_when_debug_is_false(seeded, db, settings):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert counts() == before


def test_demo_accounts_command_hides_the_password_without_debug_or_force(seeded, db, settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("seed_demo", "--accounts", stdout=out)
    assert demo_password() not in out.getvalue()
    assert "valideur.nord@demo.mniop.example" in out.getvalue()


def test_demo_accounts_command_prints_the_url_and_password_with_force(seeded, db, settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://mniop.example"
    out = StringIO()
    call_command("seed_demo", "--accounts", "--force", stdout=out)
    assert "https://mniop.example/" in out.getvalue()
    assert demo_password() in out.getvalue()


def test_scale_three_gives_about_three_times_the_associations_with_unique_names(seeded, db):
    associations = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
    base = associations.count()
    seed_demo_data(scale=3, force=True)
    assert 2.8 * base <= associations.count() <= 3.2 * base
    names = list(associations.values_list("name", flat=True))
    assert len(names) == len(set(names))


def test_every_territory_has_directory_entries_and_the_coverage_shows_gaps(seeded, db):
    from directory.coverage import coverage_by_territory
    from referents.models import DirectoryEntry

    coverages = coverage_by_territory()
    assert len(coverages) == Territory.objects.count()
    assert all(coverage.count >= 1 for coverage in coverages)
    assert any(coverage.is_complete for coverage in coverages)
    # Les collectivités d'outre-mer attendent leurs propres catégories (issue 16) : ni préfecture ni association n'y
    # manquent, leur haut-commissariat ou leur administration supérieure est couvert.
    by_code = {coverage.territory.code: coverage for coverage in coverages}
    for code in ("975", "977", "978", "986", "987", "988"):
        assert ReferentCategory.PREFECTURE not in by_code[code].missing or code in ("975", "977", "978")
        assert ReferentCategory.ASSOCIATION not in by_code[code].missing
    assert ReferentCategory.HAUT_COMMISSARIAT in by_code["987"].covered
    assert ReferentCategory.ADMINISTRATION_SUPERIEURE in by_code["986"].covered
    assert seeded.created["directory_entries"] == DirectoryEntry.objects.count() > 700


def test_demo_directory_entries_use_fiction_contacts_and_some_need_a_reminder(seeded, db):
    from referents.models import DirectoryEntry

    entries = DirectoryEntry.objects.all()
    assert all(entry.restricted_phone.startswith(FICTION_PHONE_PREFIXES) for entry in entries)
    assert all(is_reserved_email(entry.public_email) for entry in entries if entry.public_email)
    stale_before = timezone.localdate() - timedelta(days=190)
    assert entries.filter(last_verified_on__lt=stale_before).exists()


@pytest.mark.parametrize(
    "email",
    ["police.paris", "police.nord", "gendarmerie.nord", "inspection-travail.paris", "ase.paris", "parquet.paris"],
)
def test_first_line_demo_accounts_may_file_a_signalement(seeded, db, email):
    user = acting(f"{email}@{DEMO_EMAIL_DOMAIN}")
    assert user.membership.organisation.has_valid_habilitation(HabilitationKind.MNIOP)
    assert filing_refusal(user) is None
