"""Le formulaire de signalement en étapes : règles de saisie et de dépôt, qui peut déposer, pages, enregistrement
automatique, journal d'accès."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessAction, AccessLog
from mniop.roles import Role
from referents.enums import HabilitationKind
from signalements.enums import (
    ConsentStatus,
    PlaceOfExploitation,
    ReferenceCategory,
    SignalementEventKind,
    SignalementStatus,
)
from signalements.forms.intake import STEP_OF_FIELD, STEPS
from signalements.models import ReferenceValue, Signalement, SignalementEvent
from signalements.permissions import can_create_signalement
from signalements.services.drafts import (
    DRAFT_MANY_FIELDS,
    DRAFT_REFERENCE_FIELDS,
    FOREIGN_NATIONALS_ONLY,
    create_draft,
    submission_errors,
    submit_signalement,
    update_draft,
)
from tests.accounts.factories import MembershipFactory
from tests.personas import EVERYONE, FIRST_LINE_PERSONAS, acting_as
from tests.referents.factories import HabilitationFactory, OrganisationFactory
from tests.signalements.factories import ReferenceValueFactory, SignalementFactory
from tests.two_factor import login_verified

TODAY = timezone.localdate()


@pytest.fixture
def agent(world):
    return world.acting("association_agent")


@pytest.fixture
def draft(world, agent):
    return SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)


def situation(code):
    return ReferenceValueFactory(category=ReferenceCategory.ADMINISTRATIVE_SITUATION, code=code, label=code)


def retired(category, code="retiree", label="Valeur retirée"):
    return ReferenceValueFactory(category=category, code=code, label=label, retired_at=timezone.now())


def step_url(signalement, slug):
    return reverse("signalements:draft_step", args=[signalement.public_id, slug])


def rules_of(signalement, **fields):
    """Les erreurs de dépôt d'un brouillon complet dont `fields` changent une partie."""
    for name, value in fields.items():
        if name in DRAFT_MANY_FIELDS or name == "exploitation_departements":
            getattr(signalement, name).set(value)
        else:
            setattr(signalement, name, value)
    signalement.save()
    return submission_errors(signalement)


# Règles de saisie (enregistrement du brouillon)


def test_a_retired_value_is_refused_for_new_input(draft, agent):
    channel = retired(ReferenceCategory.ENTRY_CHANNEL, label="Ancien canal")
    with pytest.raises(ValidationError) as error:
        update_draft(signalement=draft, by=agent, entry_channel=channel)
    assert error.value.message_dict == {
        "entry_channel": ["« Ancien canal » a été retirée de la liste : choisissez une autre valeur."]
    }


def test_a_retired_value_already_on_the_draft_may_stay(draft, agent):
    channel = ReferenceValueFactory(category=ReferenceCategory.ENTRY_CHANNEL, code="ancien")
    update_draft(signalement=draft, by=agent, entry_channel=channel)
    channel.retired_at = timezone.now()
    channel.save()
    update_draft(signalement=draft, by=agent, entry_channel=channel, urgent=True)
    draft.refresh_from_db()
    assert draft.entry_channel == channel
    assert draft.urgent


def test_a_retired_multiple_value_is_refused_unless_already_on_the_draft(draft, agent):
    kept = ReferenceValueFactory(category=ReferenceCategory.SECTOR, code="gardee")
    update_draft(signalement=draft, by=agent, sectors=[kept])
    kept.retired_at = timezone.now()
    kept.save()
    new = retired(ReferenceCategory.SECTOR, label="Secteur retiré")
    with pytest.raises(ValidationError) as error:
        update_draft(signalement=draft, by=agent, sectors=[kept, new])
    assert error.value.message_dict == {
        "sectors": ["« Secteur retiré » a été retirée de la liste : choisissez une autre valeur."]
    }
    update_draft(signalement=draft, by=agent, sectors=[kept])
    assert list(draft.sectors.all()) == [kept]


@pytest.mark.parametrize("age", [-1, 121])
def test_estimated_age_out_of_range_is_refused(draft, agent, age):
    with pytest.raises(ValidationError) as error:
        update_draft(signalement=draft, by=agent, estimated_age=age)
    assert error.value.message_dict == {"estimated_age": ["L'âge estimé doit être compris entre 0 et 120 ans."]}


@pytest.mark.parametrize("age", [0, 120])
def test_estimated_age_bounds_are_accepted(draft, agent, age):
    update_draft(signalement=draft, by=agent, estimated_age=age)
    draft.refresh_from_db()
    assert draft.estimated_age == age


@pytest.mark.parametrize("count, accepted", [(-1, False), (0, True), (20, True), (21, False)])
def test_children_count_is_between_0_and_20(draft, agent, count, accepted):
    if accepted:
        update_draft(signalement=draft, by=agent, children_count=count)
        draft.refresh_from_db()
        assert draft.children_count == count
    else:
        with pytest.raises(ValidationError) as error:
            update_draft(signalement=draft, by=agent, children_count=count)
        assert error.value.message_dict == {"children_count": ["Le nombre d'enfants doit être compris entre 0 et 20."]}


@pytest.mark.parametrize("field", ["nationalities", "exploitation_countries"])
def test_a_country_code_outside_the_iso_list_is_refused(draft, agent, field):
    with pytest.raises(ValidationError) as error:
        update_draft(signalement=draft, by=agent, **{field: ["XX"]})
    assert list(error.value.message_dict) == [field]


def test_a_language_outside_the_iso_list_is_refused(draft, agent):
    with pytest.raises(ValidationError) as error:
        update_draft(signalement=draft, by=agent, languages=["fr", "zz"])
    assert error.value.message_dict == {
        "languages": ["Les langues s'indiquent par leur code à deux ou trois lettres (ISO 639)."]
    }


# Règles du dépôt (domaine §11.4)


@pytest.mark.parametrize("code", sorted(FOREIGN_NATIONALS_ONLY))
def test_reflection_period_and_permits_are_refused_for_a_french_national(draft, code):
    errors = rules_of(draft, administrative_situation=situation(code), nationalities=["FR"])
    assert errors == {
        "administrative_situation": "Le délai de réflexion et les titres de séjour des victimes de traite ne "
        "concernent que les personnes de nationalité étrangère, pas une personne française même binationale : "
        "vérifiez la situation administrative ou les nationalités."
    }


@pytest.mark.parametrize("code", sorted(FOREIGN_NATIONALS_ONLY))
def test_reflection_period_and_permits_are_refused_for_a_french_dual_national(draft, code):
    errors = rules_of(draft, administrative_situation=situation(code), nationalities=["FR", "NG"])
    assert "même binationale" in errors["administrative_situation"]


@pytest.mark.parametrize("nationalities", [["NG"], ["NG", "GH"]])
def test_reflection_period_is_accepted_for_a_foreign_national(draft, nationalities):
    assert (
        rules_of(draft, administrative_situation=situation("recepisse_delai_reflexion"), nationalities=nationalities)
        == {}
    )


@pytest.mark.parametrize(
    "nationalities, accepted", [([], False), (["NG"], False), (["FR"], True), (["FR", "MA"], True)]
)
def test_french_national_situation_requires_french_nationality(draft, nationalities, accepted):
    errors = rules_of(draft, administrative_situation=situation("nationalite_francaise"), nationalities=nationalities)
    assert ("administrative_situation" not in errors) is accepted


@pytest.mark.parametrize("estimated_age, accepted", [(30, True), (32, True), (33, False), (27, False)])
def test_estimated_age_may_not_contradict_the_birth_date_by_more_than_two_years(draft, estimated_age, accepted):
    errors = rules_of(
        draft,
        spotted_on=datetime.date(2025, 6, 1),
        birth_date=datetime.date(1995, 1, 1),
        estimated_age=estimated_age,
    )
    assert ("estimated_age" not in errors) is accepted
    if not accepted:
        assert "contredit la date de naissance (30 ans)" in errors["estimated_age"]


def test_juge_des_enfants_informed_only_for_a_minor(draft):
    assert rules_of(draft, estimated_age=30, juge_des_enfants_informed=True) == {
        "juge_des_enfants_informed": "Le juge des enfants n'est saisi que pour une personne mineure."
    }


def test_procureur_informed_is_accepted_for_an_adult(draft):
    """Le parquet est le destinataire général des informations de l'art. 40 CPP (001:1007-1008, 001:1741-1742)."""
    assert rules_of(draft, estimated_age=30, procureur_informed=True) == {}


@pytest.mark.parametrize("minor", [{"estimated_age": 15}, {"is_minor_presumed": True}, {"is_mna": True}])
def test_juge_and_procureur_informed_are_accepted_for_a_minor(draft, minor):
    assert rules_of(draft, juge_des_enfants_informed=True, procureur_informed=True, **minor) == {}


@pytest.mark.parametrize(
    "place, accepted",
    [
        (PlaceOfExploitation.FRANCE_ONLY, True),
        (PlaceOfExploitation.FRANCE_AND_ABROAD, True),
        (PlaceOfExploitation.ABROAD_ONLY, False),
        (PlaceOfExploitation.UNKNOWN, False),
    ],
)
def test_exploitation_departements_only_when_the_place_includes_france(draft, world, place, accepted):
    errors = rules_of(draft, place_of_exploitation=place, exploitation_departements=[world.nord])
    assert ("exploitation_departements" not in errors) is accepted


@pytest.mark.parametrize(
    "place, accepted",
    [
        (PlaceOfExploitation.ABROAD_ONLY, True),
        (PlaceOfExploitation.FRANCE_AND_ABROAD, True),
        (PlaceOfExploitation.FRANCE_ONLY, False),
        (PlaceOfExploitation.UNKNOWN, False),
    ],
)
def test_exploitation_countries_only_when_the_place_includes_abroad(draft, place, accepted):
    errors = rules_of(draft, place_of_exploitation=place, exploitation_countries=["ES"])
    assert ("exploitation_countries" not in errors) is accepted


def test_mna_implies_minor_is_still_enforced(draft):
    assert list(rules_of(draft, is_mna=True, estimated_age=25)) == ["is_mna"]


def test_every_submission_rule_points_to_a_step():
    fields = {
        "departement",
        "spotted_on",
        "exploitation_forms",
        "birth_date",
        "estimated_age",
        "is_mna",
        "administrative_situation",
        "juge_des_enfants_informed",
        "procureur_informed",
        "exploitation_departements",
        "exploitation_countries",
        "consent_status",
        "first_name",
        "last_name",
    }
    assert fields <= set(STEP_OF_FIELD)
    assert set(DRAFT_REFERENCE_FIELDS) | set(DRAFT_MANY_FIELDS) <= set(STEP_OF_FIELD)


# Qui peut déposer


def agent_of_unhabilitated_organisation(world, **habilitation):
    organisation = OrganisationFactory(territories=[world.paris])
    if habilitation:
        HabilitationFactory(organisation=organisation, kind=HabilitationKind.MNIOP, **habilitation)
    return acting_as(MembershipFactory(organisation=organisation, role=Role.ASSOCIATION_AGENT))


@pytest.mark.parametrize(
    ("habilitation", "message"),
    [
        ({}, "pas d'habilitation MNIOP valide"),
        (
            {"starts_on": TODAY - datetime.timedelta(days=400), "ends_on": TODAY - datetime.timedelta(days=1)},
            "a pris fin le .* demander le renouvellement",
        ),
        ({"starts_on": TODAY + datetime.timedelta(days=1)}, "pas d'habilitation MNIOP valide"),
    ],
    ids=["none", "expired", "not-yet"],
)
def test_create_draft_requires_a_valid_mniop_habilitation(world, habilitation, message):
    user = agent_of_unhabilitated_organisation(world, **habilitation)
    assert not can_create_signalement(user)
    with pytest.raises(PermissionDenied, match=message):
        create_draft(organisation=user.membership.organisation, by=user)
    assert not Signalement.objects.exists()


def test_create_draft_is_limited_to_pilot_organisations(world, settings):
    settings.MNIOP = {**settings.MNIOP, "PILOT_ORGANISATIONS": [str(world.other_association.public_id)]}
    assert can_create_signalement(world.acting("association_agent_other_org"))
    user = world.acting("association_agent")
    with pytest.raises(PermissionDenied, match="seules les organisations pilotes"):
        create_draft(organisation=world.association, by=user)


def test_create_draft_is_limited_to_organisations_of_pilot_departements(world, settings):
    settings.MNIOP = {**settings.MNIOP, "PILOT_DEPARTEMENTS": ["59"]}
    assert can_create_signalement(world.acting("association_agent_other_org"))
    with pytest.raises(PermissionDenied, match="réservé aux départements pilotes"):
        create_draft(organisation=world.association, by=world.acting("association_agent"))


def test_submit_is_limited_to_pilot_departements(world, settings):
    other = world.acting("association_agent_other_org")
    signalement = SignalementFactory(organisation=world.other_association, created_by=other, departement=world.paris)
    settings.MNIOP = {**settings.MNIOP, "PILOT_DEPARTEMENTS": ["59"]}
    with pytest.raises(ValidationError) as error:
        submit_signalement(signalement=signalement, by=other)
    assert error.value.message_dict == {
        "departement": ["Pendant l'expérimentation, seuls les départements pilotes peuvent être signalés : 59."]
    }


def test_submit_is_refused_when_the_organisation_left_the_pilot(world, settings, draft, agent):
    settings.MNIOP = {**settings.MNIOP, "PILOT_ORGANISATIONS": [str(world.other_association.public_id)]}
    with pytest.raises(PermissionDenied, match="seules les organisations pilotes"):
        submit_signalement(signalement=draft, by=agent)
    draft.refresh_from_db()
    assert draft.status == SignalementStatus.DRAFT


# Pages : qui y accède


CREATE_ACCESS = {
    "anonymous": 302,
    "association_agent": 200,
    "association_admin": 200,
    "association_agent_other_org": 200,
    "association_admin_other_org": 200,
} | {persona: 200 for persona in FIRST_LINE_PERSONAS}


@pytest.mark.parametrize("persona", EVERYONE)
def test_create_page_access(client_as, persona):
    response = client_as(persona).get(reverse("signalements:draft_create"))
    assert response.status_code == CREATE_ACCESS.get(persona, 403)
    assert not Signalement.objects.exists()


DRAFT_ACCESS = {"anonymous": 302, "association_agent": 200, "association_admin": 200}


@pytest.mark.parametrize("persona", EVERYONE)
def test_draft_step_access(client_as, draft, persona):
    response = client_as(persona).get(step_url(draft, "identite"))
    assert response.status_code == DRAFT_ACCESS.get(persona, 404)
    reads = AccessLog.objects.filter(action=AccessAction.READ, object_id=str(draft.public_id))
    assert reads.count() == (1 if response.status_code == 200 else 0)


@pytest.mark.parametrize("persona", EVERYONE)
def test_draft_submit_access(client_as, draft, persona):
    response = client_as(persona).post(reverse("signalements:draft_submit", args=[draft.public_id]))
    draft.refresh_from_db()
    if persona in ("association_agent", "association_admin"):
        assert response.status_code == 302
        assert response["Location"] == reverse("signalements:signalement_submitted", args=[draft.public_id])
        assert draft.status == SignalementStatus.SUBMITTED
    else:
        assert response.status_code == DRAFT_ACCESS.get(persona, 404)
        assert draft.status == SignalementStatus.DRAFT


def test_an_agent_without_habilitation_gets_a_clear_403(world, client):
    user = agent_of_unhabilitated_organisation(world)
    login_verified(client, user)
    response = client.get(reverse("signalements:draft_create"))
    assert response.status_code == 403
    assert "Votre organisation n&#x27;a pas d&#x27;habilitation MNIOP valide" in response.content.decode()


def test_submit_after_the_habilitation_expired_is_a_clear_403(world, draft, client_as):
    world.association.habilitations.update(ends_on=TODAY - datetime.timedelta(days=1))
    response = client_as("association_agent").post(reverse("signalements:draft_submit", args=[draft.public_id]))
    assert response.status_code == 403
    ended_on = (TODAY - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"L&#x27;habilitation MNIOP de votre organisation a pris fin le {ended_on}" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == SignalementStatus.DRAFT


def test_the_create_page_explains_the_pilot_restriction(world, client_as, settings):
    settings.MNIOP = {**settings.MNIOP, "PILOT_DEPARTEMENTS": ["13"]}
    response = client_as("association_agent").get(reverse("signalements:draft_create"))
    assert response.status_code == 403
    assert "le dépôt est réservé aux départements pilotes" in response.content.decode()


# Création et étapes


def test_first_step_creates_the_draft_and_goes_to_the_next_step(world, client_as):
    response = client_as("association_agent").post(
        reverse("signalements:draft_create"),
        {"spotted_on": "2026-01-15", "spotted_place": "Saint-Denis", "departement": world.paris.pk, "urgent": "on"},
    )
    signalement = Signalement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(signalement, "identite")
    assert signalement.created_by == world.user("association_agent")
    assert signalement.spotted_on == datetime.date(2026, 1, 15)
    assert signalement.urgent
    event = SignalementEvent.objects.get(signalement=signalement)
    assert event.kind == SignalementEventKind.CREATED
    assert "spotted_place" in event.data["fields"]
    assert "Saint-Denis" not in str(event.data)
    assert AccessLog.objects.filter(action=AccessAction.CREATE, object_id=str(signalement.public_id)).exists()


def test_first_step_with_an_error_creates_the_draft_and_points_the_form_to_it(world, client_as):
    response = client_as("association_agent").post(
        reverse("signalements:draft_create"), {"spotted_place": "Lille", "spotted_on": "15 janvier"}
    )
    signalement = Signalement.objects.get()
    assert response.status_code == 400
    assert signalement.spotted_place == "Lille"
    assert f'action="{step_url(signalement, "signalement")}"' in response.content.decode()


@pytest.mark.parametrize("action, slug", [("next", "consentement"), ("previous", "signalement")])
def test_step_buttons_save_and_move(draft, client_as, action, slug):
    response = client_as("association_agent").post(
        step_url(draft, "identite"),
        {
            "pseudonym": "Étoile",
            "sex": "female",
            "transgender": "unknown",
            "nationalities": ["NG"],
            "navigation": action,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, slug)
    draft.refresh_from_db()
    assert draft.pseudonym == "Étoile"
    assert draft.nationalities == ["NG"]
    assert AccessLog.objects.filter(action=AccessAction.UPDATE, object_id=str(draft.public_id)).count() == 1


def test_the_identity_step_records_aliases_phone_and_address_shown_on_the_recap(draft, client_as):
    client = client_as("association_agent")
    response = client.post(
        step_url(draft, "identite"),
        {
            "sex": "female",
            "transgender": "unknown",
            "aliases": "Étoile\nStella",
            "phone": "06 12 34 56 78",
            "address": "4 rue du Port, Calais",
            "navigation": "next",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.aliases, draft.phone, draft.address) == ("Étoile\nStella", "06 12 34 56 78", "4 rue du Port, Calais")
    recap = client.get(step_url(draft, "recapitulatif")).content.decode()
    assert "Autres noms connus" in recap and "Stella" in recap
    assert "06 12 34 56 78" in recap and "4 rue du Port, Calais" in recap


def test_an_anonymous_signalement_may_not_carry_a_phone_or_an_address(draft):
    assert {"aliases", "phone", "address"} <= set(
        rules_of(
            draft,
            consent_status=ConsentStatus.REFUSED_ANONYMOUS,
            aliases="Stella",
            phone="06 12 34 56 78",
            address="4 rue du Port",
        )
    )


@pytest.mark.parametrize("typed", ["+234 803 123 4567", "0033 6 12 34 56 78", "+40 721 234 567"])
def test_the_identity_step_accepts_a_foreign_phone_with_its_country_code(draft, client_as, typed):
    response = client_as("association_agent").post(
        step_url(draft, "identite"), {"sex": "female", "transgender": "unknown", "phone": typed, "navigation": "next"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.phone == typed


def test_an_impossible_phone_is_explained_in_french_and_not_saved(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "identite"),
        {"sex": "female", "transgender": "unknown", "phone": "12 34", "navigation": "next"},
    )
    assert response.status_code == 400
    assert "Ce numéro de téléphone n&#x27;est pas valide" in response.content.decode()
    draft.refresh_from_db()
    assert draft.phone == ""


def test_an_impossible_phone_blocks_the_submission(draft):
    assert "phone" in rules_of(draft, phone="12 34")
    assert "phone" not in rules_of(draft, phone="+234 803 123 4567")


def test_save_and_quit_goes_home_with_a_message(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "recit"), {"account": "Rencontrée lors d'une maraude.", "navigation": "quit"}, follow=True
    )
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Brouillon enregistré" in response.content.decode()
    draft.refresh_from_db()
    assert draft.account == "Rencontrée lors d'une maraude."


def test_an_invalid_field_is_explained_and_the_rest_is_saved(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "identite"),
        {"pseudonym": "Étoile", "estimated_age": "150", "sex": "male", "transgender": "no", "navigation": "next"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "L&#x27;âge estimé doit être compris entre 0 et 120 ans." in content
    assert "Le reste de l'étape est enregistré." in content
    draft.refresh_from_db()
    assert draft.pseudonym == "Étoile"
    assert draft.sex == "male"
    assert draft.estimated_age is None


def test_a_submitted_signalement_step_redirects_to_its_confirmation(draft, agent, client_as):
    submit_signalement(signalement=draft, by=agent)
    response = client_as("association_agent").get(step_url(draft, "identite"))
    assert response.status_code == 302
    assert response["Location"] == reverse("signalements:signalement_submitted", args=[draft.public_id])


def test_an_unknown_step_is_404(draft, client_as):
    assert client_as("association_agent").get(step_url(draft, "etape-inconnue")).status_code == 404


# Listes de référence dans le formulaire


def test_only_active_values_and_those_already_on_the_draft_are_offered(draft, agent, client_as):
    active = ReferenceValueFactory(category=ReferenceCategory.ENTRY_CHANNEL, code="actif", label="Canal actif")
    kept = ReferenceValueFactory(category=ReferenceCategory.ENTRY_CHANNEL, code="garde", label="Canal gardé")
    update_draft(signalement=draft, by=agent, entry_channel=kept)
    kept.retired_at = timezone.now()
    kept.save()
    retired(ReferenceCategory.ENTRY_CHANNEL, label="Canal disparu")
    content = client_as("association_agent").get(step_url(draft, "signalement")).content.decode()
    assert active.label in content
    assert "Canal gardé (retirée)" in content
    assert "Canal disparu" not in content


def test_multiple_lists_are_checkbox_groups_by_statistical_group(draft, client_as):
    ReferenceValueFactory(
        category=ReferenceCategory.VULNERABILITY_FACTOR,
        code="handicap",
        label="Handicap",
        statistical_group="facteur personnel",
    )
    ReferenceValueFactory(
        category=ReferenceCategory.VULNERABILITY_FACTOR,
        code="isolement",
        label="Isolement",
        statistical_group="facteur de situation",
    )
    ReferenceValueFactory(category=ReferenceCategory.VULNERABILITY_FACTOR, code="sans_groupe", label="Sans groupe")
    content = client_as("association_agent").get(step_url(draft, "vulnerabilites-et-indicateurs")).content.decode()
    assert content.index("Isolement") < content.index("Autres") < content.index("Sans groupe")
    assert re.search(r'type="checkbox"\s+name="vulnerability_factors"', content)
    assert content.index("Facteur personnel") < content.index("Handicap") < content.index("Facteur de situation")
    assert content.index("Facteur de situation") < content.index("Isolement")


def test_nationalities_are_offered_with_french_labels(draft, client_as):
    content = client_as("association_agent").get(step_url(draft, "identite")).content.decode()
    assert '<option value="NG">Nigeria</option>' in content
    assert '<option value="ro">Roumain</option>' in content


# Enregistrement automatique


def test_autosave_answers_204_and_saves(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "recit"), {"account": "Premier contact."}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 204
    draft.refresh_from_db()
    assert draft.account == "Premier contact."
    assert SignalementEvent.objects.filter(signalement=draft, kind=SignalementEventKind.DRAFT_SAVED).count() == 1
    assert AccessLog.objects.filter(action=AccessAction.UPDATE, object_id=str(draft.public_id)).count() == 1


def test_autosave_by_beacon_uses_a_form_field(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "recit"), {"account": "Envoyé en quittant la page.", "autosave": "1"}
    )
    assert response.status_code == 204
    draft.refresh_from_db()
    assert draft.account == "Envoyé en quittant la page."


def test_autosave_answers_400_with_the_errors_and_saves_the_rest(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "situation-et-besoins"),
        {"children_count": "25", "needs_interpreter": "on", "complaint_status": "planned"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"children_count": ["Le nombre d'enfants doit être compris entre 0 et 20."]}
    draft.refresh_from_db()
    assert draft.needs_interpreter
    assert draft.complaint_status == "planned"
    assert draft.children_count is None


def test_autosave_on_the_first_step_creates_the_draft_and_gives_its_address(world, client_as):
    response = client_as("association_agent").post(
        reverse("signalements:draft_create"), {"spotted_place": "Lille"}, headers={"X-Autosave": "1"}
    )
    signalement = Signalement.objects.get()
    assert response.status_code == 201
    assert response["Location"] == step_url(signalement, "signalement")
    assert signalement.spotted_place == "Lille"


def test_autosave_of_another_organisation_draft_is_404(draft, client_as):
    response = client_as("association_agent_other_org").post(
        step_url(draft, "recit"), {"account": "intrusion"}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.account == ""


def test_autosave_of_a_submitted_signalement_changes_nothing(draft, agent, client_as):
    submit_signalement(signalement=draft, by=agent)
    response = client_as("association_agent").post(
        step_url(draft, "recit"), {"account": "trop tard"}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.account == ""


# Reprise, récapitulatif, dépôt


def test_resume_goes_to_the_last_step_edited(draft, agent, client_as):
    update_draft(signalement=draft, by=agent, in_danger=True)
    response = client_as("association_agent").get(reverse("signalements:draft_resume", args=[draft.public_id]))
    assert response["Location"] == step_url(draft, "situation-et-besoins")


def test_resume_without_edits_goes_to_the_first_incomplete_step(world, agent, client_as):
    signalement = SignalementFactory(
        organisation=world.association, created_by=agent, departement=world.paris, consent_status=""
    )
    response = client_as("association_agent").get(reverse("signalements:draft_resume", args=[signalement.public_id]))
    assert response["Location"] == step_url(signalement, "consentement")


def test_summary_lists_errors_with_links_to_their_step(world, agent, client_as):
    signalement = SignalementFactory(
        organisation=world.association, created_by=agent, departement=None, exploitation_forms=[]
    )
    content = client_as("association_agent").get(step_url(signalement, "recapitulatif")).content.decode()
    assert f'href="{step_url(signalement, "signalement")}?verifier=1#id_departement"' in content
    assert "Indiquez le département du signalement." in content
    assert f'href="{step_url(signalement, "exploitation")}?verifier=1#id_exploitation_forms"' in content
    assert "Déposer le signalement</button>" in content
    assert "disabled" in content.split("Déposer le signalement")[0].rsplit("<button", 1)[1]


def test_a_step_opened_from_the_summary_shows_the_error_next_to_its_field(world, agent, client_as):
    signalement = SignalementFactory(organisation=world.association, created_by=agent, departement=None)
    content = client_as("association_agent").get(f"{step_url(signalement, 'signalement')}?verifier=1").content.decode()
    assert "Indiquez le département du signalement." in content


def test_summary_flags_the_minors_track(draft, agent, client_as):
    update_draft(signalement=draft, by=agent, is_mna=True)
    content = client_as("association_agent").get(step_url(draft, "recapitulatif")).content.decode()
    assert "Parcours mineurs : pas d'Ac.Sé, protection de l'enfance" in content


def test_summary_reads_the_draft_through_the_case_presenter(draft, agent, client_as):
    update_draft(signalement=draft, by=agent, nationalities=["FR", "MA"], languages=["ar"], spotted_place="")
    content = client_as("association_agent").get(step_url(draft, "recapitulatif")).content.decode()
    assert "<td>France, Maroc</td>" in content
    assert "<td>Arabe</td>" in content
    assert "<td>Non renseigné</td>" in content


def test_summary_never_shows_the_account(draft, agent, client_as):
    update_draft(signalement=draft, by=agent, account="Détail confidentiel du récit")
    content = client_as("association_agent").get(step_url(draft, "recapitulatif")).content.decode()
    assert "Détail confidentiel" not in content
    assert "28 caractères" in content


def test_an_incomplete_draft_is_not_submitted(world, agent, client_as):
    signalement = SignalementFactory(organisation=world.association, created_by=agent, spotted_on=None)
    response = client_as("association_agent").post(
        reverse("signalements:draft_submit", args=[signalement.public_id]), follow=True
    )
    assert "Le signalement n&#x27;est pas complet" in response.content.decode()
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.DRAFT


def test_the_confirmation_shows_the_reference_and_what_happens_next(draft, client_as):
    client = client_as("association_agent")
    response = client.post(reverse("signalements:draft_submit", args=[draft.public_id]), follow=True)
    draft.refresh_from_db()
    content = response.content.decode()
    assert f"Référence : {draft.reference}" in content
    assert "Et maintenant ?" in content
    assert reverse("signalements:signalement_receipt", args=[draft.public_id]) in content
    assert SignalementEvent.objects.filter(signalement=draft, kind=SignalementEventKind.SUBMITTED).exists()
    logs = AccessLog.objects.filter(object_id=str(draft.public_id)).values_list("action", "view_name")
    assert set(logs) == {
        (AccessAction.UPDATE, "signalements:draft_submit"),
        (AccessAction.READ, "signalements:signalement_submitted"),
    }


# Requêtes


QUERY_BUDGET = 30  # mesuré : 9 à 23 selon l'étape (l'étape Exploitation a quatre listes à cocher)


def add_reference_values(count):
    ReferenceValue.objects.bulk_create(
        ReferenceValue(category=category, code=f"v{n}", label=f"{category} {n}", statistical_group=f"groupe {n % 3}")
        for category in ReferenceCategory.values
        for n in range(count)
    )


@pytest.mark.parametrize("slug", [step.slug for step in STEPS])
def test_step_page_query_count_does_not_grow_with_reference_values(
    draft, client_as, django_assert_max_num_queries, slug
):
    client = client_as("association_agent")
    client.get(step_url(draft, slug))  # session et caches
    with CaptureQueriesContext(connection) as few:
        client.get(step_url(draft, slug))
    add_reference_values(12)
    with django_assert_max_num_queries(QUERY_BUDGET) as many:
        response = client.get(step_url(draft, slug))
    assert response.status_code == 200
    assert len(many) == len(few)
