"""La couche de permissions : portée par organisation, nationale pour la Miprof, partages explicites (guardian)."""

import pytest
from django.apps import apps
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Membership
from mniop.roles import Role
from referents.models import Organisation
from tests.accounts.factories import MembershipFactory
from tests.personas import acting_as
from tests.two_factor import login_verified


def test_association_agent_sees_only_own_organisation(world):
    membership = world.memberships["association_agent"]
    user = acting_as(membership)
    assert list(Organisation.objects.visible_to(user)) == [world.association]


def test_miprof_agent_sees_every_organisation(world):
    membership = world.memberships["miprof_agent"]
    user = acting_as(membership)
    assert Organisation.objects.visible_to(user).count() == Organisation.objects.count()


def test_user_without_current_membership_sees_nothing(world):
    user = world.user("miprof_admin")
    assert not hasattr(user, "membership")
    assert Organisation.objects.visible_to(user).count() == 0
    assert Membership.objects.visible_to(user).count() == 0


def test_inactive_membership_sees_nothing(world):
    membership = world.memberships["miprof_admin"]
    membership.is_active = False
    user = acting_as(membership)
    assert Organisation.objects.visible_to(user).count() == 0


def test_another_organisation_is_out_of_scope_for_a_local_role(world, client_as):
    url = reverse("accounts:organisation_detail", args=[world.association.public_id])
    assert client_as("association_agent_other_org").get(url).status_code == 404


def test_the_only_object_permission_table_is_the_signalement_share():
    """Les partages objet par objet de django-guardian ne servent qu'au partage d'un signalement avec un·e collègue :
    ni table de groupe ni partage d'organisation (personne ne les écrivait)."""
    tables = {
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, (UserObjectPermissionBase, GroupObjectPermissionBase))
        and model._meta.app_label not in {"guardian"}
    }
    assert tables == {"signalements.SignalementUserObjectPermission"}


def test_membership_scope_is_own_organisation_and_own_memberships(world):
    membership = world.memberships["association_admin"]
    user = acting_as(membership)
    visible = set(Membership.objects.visible_to(user))
    assert visible == {world.memberships["association_agent"], membership}


def test_switching_organisation_changes_scope(world, client):
    admin_membership = world.memberships["association_admin"]
    user = admin_membership.user
    second = MembershipFactory(user=user, organisation=world.other_association, role=Role.ASSOCIATION_AGENT)
    login_verified(client, user)
    other_url = reverse("accounts:organisation_detail", args=[world.other_association.public_id])
    own_url = reverse("accounts:organisation_detail", args=[world.association.public_id])
    assert client.get(own_url).status_code == 200
    assert client.get(other_url).status_code == 404

    response = client.post(reverse("accounts:membership_switch"), {"membership": second.public_id})

    assert response.status_code == 302
    assert client.get(other_url).status_code == 200
    assert client.get(own_url).status_code == 404


def test_cannot_switch_to_someone_elses_membership(world, client_as):
    foreign = world.memberships["miprof_admin"]
    response = client_as("association_agent").post(
        reverse("accounts:membership_switch"), {"membership": foreign.public_id}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("members", [1, 15])
def test_member_page_query_count_does_not_grow(world, client_as, django_assert_max_num_queries, members):
    for _ in range(members):
        MembershipFactory(organisation=world.association)
    client = client_as("association_admin")
    with django_assert_max_num_queries(18):  # dont le compteur de l'en-tête, les systèmes partenaires, le 2d facteur
        response = client.get(reverse("accounts:organisation_members", args=[world.association.public_id]))
    assert response.status_code == 200


@pytest.mark.parametrize("organisations", [1, 30])
def test_organisation_list_query_count_does_not_grow(world, client_as, django_assert_max_num_queries, organisations):
    from tests.referents.factories import OrganisationFactory

    OrganisationFactory.create_batch(organisations)
    client = client_as("miprof_agent")
    with django_assert_max_num_queries(14):  # dont le compteur de notifications de l'en-tête et le second facteur
        response = client.get(reverse("accounts:organisation_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["préfecture du nord", "PREFECTURE DU NORD", "prefecture du nörd"])
def test_organisation_search_ignores_accents_and_case(world, client_as, query):
    """« Préfecture du Nord » (monde de test) est trouvée avec ou sans accents ; « Préfecture de Paris » non."""
    response = client_as("miprof_agent").get(reverse("accounts:organisation_list"), {"q": query})
    assert response.status_code == 200
    assert [organisation.pk for organisation in response.context["page_obj"]] == [world.prefecture_nord.pk]
