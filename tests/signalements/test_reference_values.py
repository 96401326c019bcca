"""Les listes de référence du signalement : chargement initial, services de la Miprof, pages et droits d'accès."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pghistory.models import Events

from accounts.models import AccessAction, AccessLog
from signalements.enums import ReferenceCategory
from signalements.models import ReferenceValue
from signalements.reference_data import DATA_FILE, ReferenceValuesError, load_signalement_references
from signalements.services.reference_values import (
    add_reference_value,
    relabel_reference_value,
    restore_reference_value,
    retire_reference_value,
)
from tests.personas import EVERYONE, with_first_line

HEADER = "category,code,label,position,statistical_group,eurostat_category\n"


def matrix(**expected):
    expected = with_first_line(expected)
    assert set(expected) == set(EVERYONE), set(EVERYONE) ^ set(expected)
    return pytest.mark.parametrize("persona, expected_status", list(expected.items()))


MIPROF_ADMINS_ONLY = {persona: 403 for persona in EVERYONE} | {
    "anonymous": 302,
    "miprof_admin": 200,
    "platform_admin": 200,
}


@pytest.fixture
def value(db):
    return ReferenceValue.objects.create(
        category=ReferenceCategory.SECTOR, code="agriculture", label="Agriculture", position=10
    )


@pytest.fixture
def miprof_admin(world):
    return world.acting("miprof_admin")


# Chargement initial


def test_loader_fills_every_category(db):
    created = load_signalement_references()
    for category in ReferenceCategory:
        assert created[category] > 0, category
        assert ReferenceValue.objects.in_category(category).count() == created[category]


def test_loader_is_idempotent(db):
    load_signalement_references()
    count = ReferenceValue.objects.count()
    assert load_signalement_references().total() == 0
    assert ReferenceValue.objects.count() == count


def test_loader_keeps_the_admin_label_and_retirement(world, miprof_admin):
    load_signalement_references()
    value = ReferenceValue.objects.get(category=ReferenceCategory.SECTOR, code="agriculture")
    relabel_reference_value(value=value, label="Agriculture et maraîchage", by=miprof_admin)
    retire_reference_value(value=value, by=miprof_admin)
    load_signalement_references()
    value.refresh_from_db()
    assert value.label == "Agriculture et maraîchage"
    assert value.is_retired


def test_loader_error_names_the_line_and_writes_nothing(db, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "sector,agriculture,Agriculture,10,,\nsector,Bâtiment,BTP,20,,\n", encoding="utf-8")
    with pytest.raises(ReferenceValuesError, match="ligne 3"):
        load_signalement_references(path)
    assert not ReferenceValue.objects.exists()


def test_loader_rejects_an_unknown_category(db, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "closing_reason,x,X,10,,\n", encoding="utf-8")
    with pytest.raises(ReferenceValuesError, match="ligne 2 : liste inconnue"):
        load_signalement_references(path)


def test_reference_file_has_no_duplicate_label_within_a_category():
    import csv

    with open(DATA_FILE, encoding="utf-8", newline="") as handle:
        keys = [(row["category"], row["label"].lower()) for row in csv.DictReader(handle)]
    assert len(keys) == len(set(keys))


def test_exploitation_forms_carry_the_legal_purpose_and_the_eurostat_category(db):
    load_signalement_references()
    sexual = ReferenceValue.objects.get(category=ReferenceCategory.EXPLOITATION_FORM, code="exploitation_sexuelle")
    assert sexual.statistical_group == "proxénétisme, agression ou atteintes sexuelles"
    assert sexual.eurostat_category == "Sexual exploitation"
    assert not ReferenceValue.objects.in_category(ReferenceCategory.EXPLOITATION_FORM).filter(eurostat_category="")


def test_vulnerability_factors_are_grouped_by_icat_category(db):
    load_signalement_references()
    groups = set(
        ReferenceValue.objects.in_category(ReferenceCategory.VULNERABILITY_FACTOR).values_list(
            "statistical_group", flat=True
        )
    )
    assert groups == {"facteur personnel (ICAT)", "facteur de situation (ICAT)", "facteur de contexte (ICAT)"}


# Services


def test_add_derives_an_ascii_code_from_the_label(world, miprof_admin):
    value = add_reference_value(category=ReferenceCategory.SECTOR, label="Pêche en eaux côtières", by=miprof_admin)
    assert value.code == "peche_en_eaux_cotieres"
    assert value.label == "Pêche en eaux côtières"
    assert value.public_id


def test_add_places_the_value_last(world, miprof_admin, value):
    added = add_reference_value(category=ReferenceCategory.SECTOR, label="Pêche", by=miprof_admin)
    assert added.position > value.position


def test_add_refuses_a_duplicate_code(world, miprof_admin, value):
    with pytest.raises(ValidationError) as error:
        add_reference_value(category=value.category, label="Autre libellé", code="agriculture", by=miprof_admin)
    assert "code" in error.value.message_dict


def test_add_refuses_a_duplicate_label(world, miprof_admin, value):
    with pytest.raises(ValidationError) as error:
        add_reference_value(category=value.category, label="  agriculture ", by=miprof_admin)
    assert "label" in error.value.message_dict


def test_same_code_is_allowed_in_another_category(world, miprof_admin, value):
    added = add_reference_value(category=ReferenceCategory.PLACE_TYPE, label="Agriculture", by=miprof_admin)
    assert added.code == value.code


def test_add_refuses_an_empty_label(world, miprof_admin):
    with pytest.raises(ValidationError) as error:
        add_reference_value(category=ReferenceCategory.SECTOR, label="   ", by=miprof_admin)
    assert error.value.message_dict["label"] == ["Le libellé est obligatoire."]


def test_add_refuses_a_code_that_is_not_lowercase_ascii(world, miprof_admin):
    with pytest.raises(ValidationError) as error:
        add_reference_value(category=ReferenceCategory.SECTOR, label="Pêche", code="Pêche", by=miprof_admin)
    assert "code" in error.value.message_dict


@pytest.mark.parametrize("persona", ["miprof_agent", "association_admin", "statistician"])
def test_only_miprof_admins_may_add(world, persona):
    with pytest.raises(PermissionDenied):
        add_reference_value(category=ReferenceCategory.SECTOR, label="Pêche", by=world.acting(persona))
    assert not ReferenceValue.objects.exists()


def test_relabel_keeps_the_code(world, miprof_admin, value):
    relabel_reference_value(value=value, label="Agriculture et élevage", by=miprof_admin)
    value.refresh_from_db()
    assert (value.code, value.label) == ("agriculture", "Agriculture et élevage")


def test_relabel_refuses_the_label_of_another_value(world, miprof_admin, value):
    other = add_reference_value(category=value.category, label="Pêche", by=miprof_admin)
    with pytest.raises(ValidationError):
        relabel_reference_value(value=other, label="AGRICULTURE", by=miprof_admin)


def test_relabel_refuses_an_empty_label(world, miprof_admin, value):
    with pytest.raises(ValidationError):
        relabel_reference_value(value=value, label="", by=miprof_admin)


def test_relabel_writes_a_history_row(world, miprof_admin, value):
    relabel_reference_value(value=value, label="Agriculture et élevage", by=miprof_admin)
    labels = list(Events.objects.tracks(value).order_by("pgh_created_at").values_list("pgh_data__label", flat=True))
    assert labels == ["Agriculture", "Agriculture et élevage"]


def test_relabel_by_a_miprof_agent_is_refused(world, value):
    with pytest.raises(PermissionDenied):
        relabel_reference_value(value=value, label="Autre", by=world.acting("miprof_agent"))


def test_retired_value_is_no_longer_active_but_still_readable_by_code(world, miprof_admin, value):
    retire_reference_value(value=value, by=miprof_admin)
    assert not ReferenceValue.objects.active().filter(pk=value.pk).exists()
    retired = ReferenceValue.objects.in_category(ReferenceCategory.SECTOR).get(code="agriculture")
    assert retired.label == "Agriculture"
    assert retired.retired_at is not None


def test_retire_twice_is_refused(world, miprof_admin, value):
    retire_reference_value(value=value, by=miprof_admin)
    with pytest.raises(ValidationError):
        retire_reference_value(value=value, by=miprof_admin)


def test_restore_makes_the_value_active_again(world, miprof_admin, value):
    retire_reference_value(value=value, by=miprof_admin)
    restore_reference_value(value=value, by=miprof_admin)
    assert ReferenceValue.objects.active().filter(pk=value.pk).exists()


def test_restore_of_an_active_value_is_refused(world, miprof_admin, value):
    with pytest.raises(ValidationError):
        restore_reference_value(value=value, by=miprof_admin)


@pytest.mark.parametrize("service", [retire_reference_value, restore_reference_value])
def test_only_miprof_admins_may_retire_or_restore(world, value, service):
    with pytest.raises(PermissionDenied):
        service(value=value, by=world.acting("miprof_agent"))


# Pages et droits d'accès


@matrix(**MIPROF_ADMINS_ONLY)
def test_reference_value_list_access(world, client_as, persona, expected_status):
    assert client_as(persona).get(reverse("signalements:reference_value_list")).status_code == expected_status


@matrix(**MIPROF_ADMINS_ONLY)
def test_reference_value_update_access(world, client_as, value, persona, expected_status):
    url = reverse("signalements:reference_value_update", args=[value.public_id])
    assert client_as(persona).get(url).status_code == expected_status


@matrix(**MIPROF_ADMINS_ONLY | {"miprof_admin": 302, "platform_admin": 302})
def test_reference_value_retire_access(world, client_as, value, persona, expected_status):
    url = reverse("signalements:reference_value_retire", args=[value.public_id])
    assert client_as(persona).post(url).status_code == expected_status
    value.refresh_from_db()
    assert value.is_retired == (persona in {"miprof_admin", "platform_admin"})


def test_list_is_logged_as_a_search(world, client_as):
    client_as("miprof_admin").get(reverse("signalements:reference_value_list"))
    log = AccessLog.objects.get(object_type="signalements.referencevalue")
    assert (log.action, log.user, log.view_name) == (
        AccessAction.SEARCH,
        world.user("miprof_admin"),
        "signalements:reference_value_list",
    )


def test_list_filters_by_category_and_greys_retired_values(world, client_as, miprof_admin, value):
    retire_reference_value(value=value, by=miprof_admin)
    ReferenceValue.objects.create(category=ReferenceCategory.PLACE_TYPE, code="hotel", label="Hôtel")
    response = client_as("miprof_admin").get(reverse("signalements:reference_value_list"), {"categorie": "sector"})
    content = response.content.decode()
    assert "Agriculture" in content
    assert "Retirée le" in content
    assert "Hôtel" not in content


def test_create_page_adds_the_value_and_logs_it(world, client_as):
    response = client_as("miprof_admin").post(
        reverse("signalements:reference_value_create"), {"category": "sector", "label": "Pêche", "code": ""}
    )
    assert response.status_code == 302
    value = ReferenceValue.objects.get(category="sector", code="peche")
    assert AccessLog.objects.for_object(value).get().action == AccessAction.CREATE


def test_create_page_shows_the_service_error_next_to_the_field(world, client_as, value):
    response = client_as("miprof_admin").post(
        reverse("signalements:reference_value_create"), {"category": "sector", "label": "Agriculture", "code": ""}
    )
    assert response.status_code == 200
    assert "existe déjà dans cette liste" in response.content.decode()
    assert ReferenceValue.objects.count() == 1


def test_update_page_relabels_and_logs_it(world, client_as, value):
    url = reverse("signalements:reference_value_update", args=[value.public_id])
    response = client_as("miprof_admin").post(url, {"label": "Agriculture et élevage"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.label == "Agriculture et élevage"
    assert list(AccessLog.objects.for_object(value).values_list("action", flat=True)) == [AccessAction.UPDATE]


def test_restore_page_logs_the_update(world, client_as, miprof_admin, value):
    retire_reference_value(value=value, by=miprof_admin)
    client_as("platform_admin").post(reverse("signalements:reference_value_restore", args=[value.public_id]))
    value.refresh_from_db()
    assert not value.is_retired
    assert AccessLog.objects.for_object(value).get().action == AccessAction.UPDATE


def test_navigation_shows_reference_lists_to_miprof_admins(world, client_as):
    url = reverse("signalements:reference_value_list")
    assert url in client_as("miprof_admin").get(reverse("home")).content.decode()
    assert url not in client_as("miprof_agent").get(reverse("home")).content.decode()


@pytest.mark.parametrize("values", [10, 200])
def test_list_query_count_does_not_grow(world, client_as, django_assert_max_num_queries, values):
    ReferenceValue.objects.bulk_create(
        ReferenceValue(category=ReferenceCategory.SECTOR, code=f"secteur_{n}", label=f"Secteur {n}", position=n)
        for n in range(values)
    )
    client = client_as("miprof_admin")
    with django_assert_max_num_queries(13):  # dont le second facteur de la session (django-otp)
        response = client.get(reverse("signalements:reference_value_list"))
    assert response.status_code == 200
