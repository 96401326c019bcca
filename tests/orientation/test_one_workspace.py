"""Un seul espace de travail par dossier (issue 15) : la page du signalement et celle du dossier ne font plus qu'une.
Chaque rôle y voit ce qu'il voyait (contenu déposé, récit, identité scellée, demandes de complément et leur
formulaire de réponse), une seule ligne de lecture au journal d'accès par page vue, et l'ancienne adresse
`/signalements/<uuid>/` y renvoie."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AccessAction, AccessLog
from orientation.services import triage
from signalements.enums import SignalementStatus
from signalements.models import InformationRequest, SignalementEvent

ACCOUNT = "Elle a été recrutée par une agence de mannequins à Lagos."
LAST_NAME = "Okonkwo"
QUESTION = "Dans quelle langue souhaite-t-elle être entendue ?"
ANSWER = "En anglais ; un·e interprète en edo serait un plus."


def workspace_url(signalement):
    return reverse("orientation:case_detail", args=[signalement.public_id])


def answer_url(information_request):
    return reverse(
        "orientation:information_request_answer",
        args=[information_request.signalement.public_id, information_request.public_id],
    )


def section(html, name):
    """Le contenu d'une section de l'espace de travail, de son titre au titre suivant."""
    start = html.index(f'<h2 id="{name}">')
    following = html.find("<h2 ", start + 1)
    return html[start : following if following != -1 else None]


@pytest.fixture
def asked(make_submitted, miprof):
    """Un signalement d'adulte, nommé, avec un récit, en attente d'un complément demandé par la Miprof."""
    signalement = make_submitted(
        account=ACCOUNT, last_name=LAST_NAME, birth_date=datetime.date(1998, 4, 2), pseudonym="Ada"
    )
    triage.start_triage(signalement=signalement, by=miprof)
    question = triage.request_information(signalement=signalement, by=miprof, question=QUESTION)
    signalement.refresh_from_db()
    return question


@pytest.fixture
def forwarded_named(make_submitted, miprof, world):
    signalement = make_submitted(account=ACCOUNT, last_name=LAST_NAME, birth_date=datetime.date(1998, 4, 2))
    triage.start_triage(signalement=signalement, by=miprof)
    return triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)


def test_the_filing_association_answers_from_the_workspace(client_as, asked, filer):
    """Le formulaire de réponse est dans la section « Signalement », sous l'ancre où mène la notification."""
    client = client_as("association_agent")
    html = client.get(workspace_url(asked.signalement)).content.decode()
    card = html.split(f'id="complement-{asked.public_id}"', 1)[1].split("</form>", 1)[0]
    assert QUESTION.replace("'", "&#x27;") in card
    assert f'action="{answer_url(asked)}"' in card

    response = client.post(answer_url(asked), {"answer": ANSWER}, follow=True)

    assert response.redirect_chain == [(f"{workspace_url(asked.signalement)}#complement-{asked.public_id}", 302)]
    page = response.content.decode()
    assert "Votre réponse a été transmise à la Miprof." in page
    assert "Répondue" in section(page, "signalement")
    asked.refresh_from_db()
    assert (asked.answer, asked.answered_by) == (ANSWER, filer)
    assert asked.signalement.status == SignalementStatus.IN_TRIAGE
    assert SignalementEvent.objects.filter(signalement=asked.signalement, kind="information_provided").count() == 1


def test_an_empty_answer_comes_back_in_the_workspace_with_the_error_next_to_the_field(client_as, asked):
    response = client_as("association_agent").post(answer_url(asked), {"answer": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Et maintenant ?" in html
    card = html.split(f'id="complement-{asked.public_id}"', 1)[1].split("</form>", 1)[0]
    assert "Écrivez votre réponse avant de l&#x27;envoyer." in card
    assert InformationRequest.objects.get(pk=asked.pk).answered_at is None
    reads = AccessLog.objects.for_object(asked.signalement).filter(action=AccessAction.READ)
    assert reads.count() == 1


@pytest.mark.parametrize("persona", ["miprof_agent", "miprof_admin"])
def test_the_miprof_reads_the_question_without_the_answer_form(client_as, asked, persona):
    content = client_as(persona).get(workspace_url(asked.signalement)).content.decode()
    assert QUESTION.replace("'", "&#x27;") in section(content, "signalement")
    assert answer_url(asked) not in content


@pytest.mark.parametrize(
    ("persona", "reads_identity", "reads_account", "sealed", "may_share"),
    [
        ("association_agent", True, True, False, True),
        ("association_admin", True, True, False, True),
        ("miprof_agent", True, True, False, False),
        ("departmental_validator", False, False, True, False),
    ],
)
def test_each_role_sees_the_signalement_section_it_should(
    client_as, forwarded_named, persona, reads_identity, reads_account, sealed, may_share
):
    html = client_as(persona).get(workspace_url(forwarded_named)).content.decode()
    signalement_section = section(html, "signalement")
    assert "Exploitation" in signalement_section  # le contenu déposé, par groupe, pour tous
    assert (LAST_NAME in html) is reads_identity
    assert (ACCOUNT in signalement_section) is reads_account
    assert ("Le récit est d'accès restreint" in signalement_section) is not reads_account
    assert ("Identité scellée" in html) is sealed
    share = reverse("signalements:signalement_share", args=[forwarded_named.public_id])
    assert (f'href="{share}"' in signalement_section) is may_share


@pytest.mark.parametrize("persona", ["association_agent", "miprof_agent", "departmental_validator"])
def test_one_page_view_writes_one_read_row(client_as, forwarded_named, persona):
    client_as(persona).get(workspace_url(forwarded_named))
    rows = AccessLog.objects.for_object(forwarded_named)
    assert list(rows.values_list("action", "view_name")) == [(AccessAction.READ, "orientation:case_detail")]


@pytest.mark.parametrize("persona", ["association_agent", "miprof_agent", "departmental_validator"])
def test_the_old_signalement_address_redirects_to_the_workspace(client_as, forwarded_named, persona):
    old = reverse("signalements:signalement_detail", args=[forwarded_named.public_id])
    response = client_as(persona).get(old)
    assert (response.status_code, response["Location"]) == (302, workspace_url(forwarded_named))
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("persona", ["association_agent_other_org", "departmental_validator_other_departement"])
def test_the_old_signalement_address_stays_404_out_of_scope(client_as, forwarded_named, persona):
    old = reverse("signalements:signalement_detail", args=[forwarded_named.public_id])
    assert client_as(persona).get(old).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_workspace_queries_do_not_grow_with_information_requests(
    client_as, asked, miprof, count, django_assert_max_num_queries
):
    signalement = asked.signalement
    for _ in range(count - 1):
        InformationRequest.objects.create(signalement=signalement, requested_by=miprof, question=QUESTION)
    client = client_as("association_agent")
    with django_assert_max_num_queries(38):  # dont les documents joints, les rapprochements, 2 SET LOCAL
        response = client.get(workspace_url(signalement))
    assert response.status_code == 200
    assert len(response.context["information_requests"]) == count
