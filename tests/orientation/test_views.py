"""Les files, la page du dossier et ses actions, par persona ; requêtes comptées ; journal d'accès."""

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from orientation.models import Clock, SavedFilter
from orientation.queues import PAGE_SIZE
from orientation.services import triage
from signalements.enums import SignalementStatus
from tests.personas import EVERYONE

MIPROF_QUEUE = reverse("orientation:miprof_queue")
DEPARTEMENT_QUEUE = reverse("orientation:departement_queue")


def case_url(signalement, action=None):
    if action:
        return reverse("orientation:case_action", args=[signalement.public_id, action])
    return reverse("orientation:case_detail", args=[signalement.public_id])


def expected(persona, allowed, status_other=403):
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else status_other


@pytest.mark.parametrize("persona", EVERYONE)
def test_miprof_queue_access(client_as, persona, submitted):
    response = client_as(persona).get(MIPROF_QUEUE)
    assert response.status_code == expected(persona, {"miprof_agent", "miprof_admin"})


@pytest.mark.parametrize("persona", EVERYONE)
def test_departement_queue_access(client_as, persona, forwarded):
    response = client_as(persona).get(DEPARTEMENT_QUEUE)
    status = expected(persona, {"departmental_validator", "departmental_validator_other_departement"})
    assert response.status_code == status
    if status == 200:
        assert (forwarded.reference in response.text) is (persona == "departmental_validator")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("association_agent", 200),
        ("association_admin", 200),
        ("association_agent_other_org", 404),
        ("association_admin_other_org", 404),
        ("miprof_agent", 200),
        ("miprof_admin", 200),
        ("departmental_validator", 200),
        ("departmental_validator_other_departement", 404),
        ("territorial_referent", 404),
        ("statistician", 404),
        ("platform_admin", 404),
    ],
)
def test_case_page_access(client_as, persona, status, forwarded):
    response = client_as(persona).get(case_url(forwarded))
    assert response.status_code == status
    if status == 200:
        log = AccessLog.objects.for_object(forwarded).get(action="read")
        assert log.view_name == "orientation:case_detail"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("association_agent", 403),
        ("miprof_agent", 302),
        ("miprof_admin", 302),
        ("departmental_validator", 404),
        ("statistician", 404),
    ],
)
def test_start_triage_action_access(client_as, persona, status, submitted):
    response = client_as(persona).post(case_url(submitted, "commencer"))
    assert response.status_code == status
    submitted.refresh_from_db()
    started = submitted.status == SignalementStatus.IN_TRIAGE
    assert started is (status == 302 and persona != "anonymous")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("association_agent", 403),
        ("miprof_agent", 403),
        ("departmental_validator", 302),
        ("departmental_validator_other_departement", 404),
    ],
)
def test_decide_action_access(client_as, persona, status, forwarded):
    response = client_as(persona).post(case_url(forwarded, "decider"), {"decider-kind": "validated"})
    assert response.status_code == status
    forwarded.refresh_from_db()
    assert (forwarded.status == SignalementStatus.VALIDATED) is (status == 302)


def test_an_unknown_action_is_404(client_as, submitted):
    assert client_as("miprof_agent").post(case_url(submitted, "supprimer")).status_code == 404


def test_the_case_page_offers_miprof_the_triage_actions(client_as, in_triage):
    response = client_as("miprof_agent").get(case_url(in_triage))
    for slug in ["attribuer", "qualifier", "complement", "doublon", "hors-champ", "transmettre", "mesure-urgente"]:
        assert f'id="action-{slug}"' in response.text
    assert 'id="action-decider"' not in response.text


def test_a_refused_transition_shows_the_french_reason_next_to_the_form(client_as, forwarded):
    response = client_as("miprof_agent").post(case_url(forwarded, "commencer"))
    assert response.status_code == 400
    assert "Impossible de commencer l&#x27;instruction" in response.text


def test_non_validation_without_reason_shows_errors_next_to_the_fields(client_as, forwarded):
    response = client_as("departmental_validator").post(
        case_url(forwarded, "decider"), {"decider-kind": "not_validated"}
    )
    assert response.status_code == 400
    assert "Choisissez un motif de la liste des motifs de non-validation." in response.text
    assert "Expliquez la décision de non-validation." in response.text
    forwarded.refresh_from_db()
    assert forwarded.status == SignalementStatus.FORWARDED


def test_forwarding_from_the_case_page_writes_the_access_log(client_as, in_triage, world):
    response = client_as("miprof_agent").post(case_url(in_triage, "transmettre"), {"transmettre-departement": "75"})
    assert response.status_code == 302
    in_triage.refresh_from_db()
    assert in_triage.status == SignalementStatus.FORWARDED
    assert AccessLog.objects.for_object(in_triage).filter(action="update").count() == 1


def test_duplicate_by_reference_from_the_case_page(client_as, in_triage, make_submitted):
    original = make_submitted()
    response = client_as("miprof_agent").post(
        case_url(in_triage, "doublon"), {"doublon-original_reference": original.reference}
    )
    assert response.status_code == 302
    in_triage.refresh_from_db()
    assert in_triage.duplicate_of == original


# Files


def test_miprof_queue_puts_urgent_first_then_oldest(client_as, make_submitted):
    old = make_submitted()
    recent = make_submitted()
    urgent = make_submitted(urgent=True)
    text = client_as("miprof_agent").get(MIPROF_QUEUE).text
    assert text.index(urgent.reference) < text.index(old.reference) < text.index(recent.reference)


def test_miprof_queue_search_by_reference(client_as, make_submitted):
    wanted, other = make_submitted(), make_submitted()
    text = client_as("miprof_agent").get(MIPROF_QUEUE, {"reference": wanted.reference.lower()}).text
    assert wanted.reference in text and other.reference not in text


def test_miprof_queue_filters_overdue(client_as, make_submitted, miprof):
    late = triage.start_triage(signalement=make_submitted(), by=miprof)
    on_time = triage.start_triage(signalement=make_submitted(), by=miprof)
    Clock.objects.filter(signalement=late).update(due_at="2020-01-01T00:00:00Z")
    text = client_as("miprof_agent").get(MIPROF_QUEUE, {"en_retard": "on"}).text
    assert late.reference in text and on_time.reference not in text
    assert "En retard" in text


def test_miprof_queue_filters_minors_and_departement(client_as, make_submitted, world):
    minor = make_submitted(is_minor_presumed=True)
    adult = make_submitted(estimated_age=30)
    nord = make_submitted(departement=world.nord)
    text = client_as("miprof_agent").get(MIPROF_QUEUE, {"mineur": "oui"}).text
    assert minor.reference in text and adult.reference not in text
    text = client_as("miprof_agent").get(MIPROF_QUEUE, {"departement": "59"}).text
    assert nord.reference in text and minor.reference not in text


def test_miprof_queue_counts_per_status(client_as, make_submitted, miprof):
    make_submitted()
    triage.start_triage(signalement=make_submitted(), by=miprof)
    response = client_as("miprof_agent").get(MIPROF_QUEUE)
    assert dict((status.value, n) for status, n in response.context["counts"]) == {
        "submitted": 1,
        "in_triage": 1,
        "information_requested": 0,
        "forwarded": 0,
    }


def test_keyset_pagination_walks_every_row_once(client_as, make_submitted):
    references = {make_submitted().reference for _ in range(PAGE_SIZE + 3)}
    client = client_as("miprof_agent")
    first = client.get(MIPROF_QUEUE)
    cursor = first.context["next_cursor"]
    second = client.get(MIPROF_QUEUE, {"apres": cursor})
    seen = [row.reference for row in first.context["rows"]] + [row.reference for row in second.context["rows"]]
    assert len(seen) == len(set(seen)) == PAGE_SIZE + 3
    assert set(seen) == references
    assert second.context["next_cursor"] is None


def test_a_forged_cursor_restarts_at_the_first_page(client_as, submitted):
    response = client_as("miprof_agent").get(MIPROF_QUEUE, {"apres": "faux"})
    assert response.status_code == 200
    assert submitted.reference in response.text


def test_saved_filters_belong_to_their_owner(client_as, world, submitted):
    response = client_as("miprof_agent").post(
        reverse("orientation:saved_filter_create", args=["miprof"]), {"name": "Mes mineurs", "mineur": "oui"}
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get()
    assert (saved.user, saved.query) == (world.user("miprof_agent"), "mineur=oui")
    assert "Mes mineurs" in client_as("miprof_agent").get(MIPROF_QUEUE).text
    assert "Mes mineurs" not in client_as("miprof_admin").get(MIPROF_QUEUE).text
    other = client_as("miprof_admin").post(reverse("orientation:saved_filter_delete", args=[saved.pk]))
    assert other.status_code == 404


def test_a_validator_cannot_save_a_miprof_filter(client_as):
    url = reverse("orientation:saved_filter_create", args=["miprof"])
    assert client_as("departmental_validator").post(url, {"name": "x", "mineur": "oui"}).status_code == 403


def test_queue_reads_are_in_the_access_log(client_as, submitted):
    client_as("miprof_agent").get(MIPROF_QUEUE)
    log = AccessLog.objects.get(view_name="orientation:miprof_queue")
    assert (log.action, log.object_type) == ("search", "signalements.signalement")


@pytest.mark.parametrize("rows", [1, 12])
def test_miprof_queue_queries_do_not_grow_with_rows(
    client_as, make_submitted, miprof, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        triage.start_triage(signalement=make_submitted(), by=miprof)
    client = client_as("miprof_agent")
    with django_assert_max_num_queries(18):  # dont les demandes de rapprochement en attente
        assert client.get(MIPROF_QUEUE).status_code == 200


def test_the_queue_never_reads_the_encrypted_identity(client_as, make_submitted, miprof):
    triage.start_triage(signalement=make_submitted(), by=miprof)

    response = client_as("miprof_agent").get(MIPROF_QUEUE)

    (row,) = response.context["rows"]
    assert {"first_name", "last_name", "birth_date", "account"} <= row.get_deferred_fields()


@pytest.mark.parametrize("rows", [1, 12])
def test_departement_queue_queries_do_not_grow_with_rows(
    client_as, make_submitted, miprof, world, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        signalement = triage.start_triage(signalement=make_submitted(), by=miprof)
        triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    client = client_as("departmental_validator")
    with django_assert_max_num_queries(17):  # dont le second facteur de la session (django-otp)
        response = client.get(DEPARTEMENT_QUEUE)
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("events", [0, 10])
def test_case_page_queries_do_not_grow_with_events(
    client_as, in_triage, miprof, world, django_assert_max_num_queries, events
):
    for index in range(events):
        triage.assign(
            signalement=in_triage, to=world.acting("miprof_admin" if index % 2 == 0 else "miprof_agent"), by=miprof
        )
    client = client_as("miprof_agent")
    with django_assert_max_num_queries(38):  # contenu, procédures, orientation, documents, rapprochements, 2 SET LOCAL
        assert client.get(case_url(in_triage)).status_code == 200


def test_the_filer_requests_reconsideration_from_the_case_page(client_as, not_validated):
    client = client_as("association_agent")
    assert 'id="action-reexamen"' in client.get(case_url(not_validated)).text
    response = client.post(case_url(not_validated, "reexamen"), {"reexamen-motive": "Nouveaux éléments."})
    assert response.status_code == 302
    not_validated.refresh_from_db()
    assert not_validated.status == SignalementStatus.FORWARDED
    assert 'id="action-reexamen"' not in client.get(case_url(not_validated)).text


def test_a_validator_records_an_urgent_measure_from_the_case_page(client_as, forwarded):
    response = client_as("departmental_validator").post(
        case_url(forwarded, "mesure-urgente"),
        {"mesure-urgente-kind": "emergency_shelter", "mesure-urgente-started_on": "2025-05-02"},
    )
    assert response.status_code == 302
    assert forwarded.urgent_measures.get().kind == "emergency_shelter"


def test_an_information_request_without_question_is_explained(client_as, in_triage):
    response = client_as("miprof_agent").post(case_url(in_triage, "complement"), {"complement-question": ""})
    assert response.status_code == 400
    assert "Écrivez la question posée à l&#x27;organisation déclarante." in response.text


def test_miprof_queue_row_shows_the_due_time_of_the_clock_territory(client_as, make_submitted, miprof):
    """La ligne de file écrit son échéance à l'heure du territoire du délai, nommé quand il diffère de celui de la
    personne ; l'état en toutes lettres et le lien vers le dossier."""
    from referents.models import Territory

    case = triage.start_triage(signalement=make_submitted(urgent=True), by=miprof)
    mayotte, _ = Territory.objects.get_or_create(
        code="976", defaults={"name": "Mayotte", "kind": "departement", "time_zone": "Indian/Mayotte"}
    )
    Territory.objects.filter(pk=mayotte.pk).update(time_zone="Indian/Mayotte")
    Clock.objects.filter(signalement=case).update(due_at="2030-03-01T09:00:00Z", territory=mayotte)
    text = client_as("miprof_agent").get(MIPROF_QUEUE).text
    assert "01/03/2030 12:00" in text  # 9 h UTC, midi à Mayotte (UTC+3)
    assert "(heure de Mayotte)" in text
    assert f'href="{case_url(case)}"' in text
    assert SignalementStatus.IN_TRIAGE.label in text


def test_queue_counts_follow_a_transition_at_once(
    client_as, make_submitted, miprof, django_capture_on_commit_callbacks
):
    """Les comptes par état en tête de file sont gardés en cache, mais une transition les renouvelle aussitôt."""
    case = make_submitted()
    client = client_as("miprof_agent")
    before = client.get(MIPROF_QUEUE).context["counts"]
    assert dict(before)[SignalementStatus.SUBMITTED] == 1
    assert dict(before)[SignalementStatus.IN_TRIAGE] == 0
    with django_capture_on_commit_callbacks(execute=True):
        triage.start_triage(signalement=case, by=miprof)
    after = dict(client.get(MIPROF_QUEUE).context["counts"])
    assert after[SignalementStatus.SUBMITTED] == 0
    assert after[SignalementStatus.IN_TRIAGE] == 1


def test_queue_counts_are_not_shared_between_scopes(client_as, forwarded):
    """Deux personnes valideuses de départements différents ne lisent jamais le compte de l'autre."""
    mine = dict(client_as("departmental_validator").get(DEPARTEMENT_QUEUE).context["counts"])
    other = dict(client_as("departmental_validator_other_departement").get(DEPARTEMENT_QUEUE).context["counts"])
    assert sum(mine.values()) == 1
    assert sum(other.values()) == 0
