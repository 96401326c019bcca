"""Aucune identité en clair dans la base : après un parcours complet écrit par les vrais services (brouillon modifié,
dépôt, instruction, transmission, ouverture de l'identité par le valideur, décision, lectures journalisées), chaque
colonne texte ou JSON de chaque table (signalements, historique django-pghistory, journal, boîte d'envoi,
notifications, journal d'accès…) est lue en SQL brut : aucun nom ni autre nom, aucune date de naissance, aucun
téléphone, aucune adresse, aucun extrait du récit."""

import datetime

from django.db import connection
from django.urls import reverse

from orientation.enums import DecisionKind
from orientation.services.decisions import decide
from orientation.services.triage import forward_to_departement, qualify, start_triage
from signalements.services.drafts import update_draft
from signalements.services.identity import open_identity
from tests.signalements.factories import submitted_signalement

FIRST_NAME = "Violetta"
LAST_NAME = "Kowalczykówna"
BIRTH_DATE = datetime.date(1993, 8, 21)
ACCOUNT = "Recrutée par une agence fictive de Łódź, passeport confisqué à l'arrivée."
ALIASES = "Wiola Zielonooka"
PHONE = "+48 601 777 912"
ADDRESS = "7 rue des Glycines, 59100 Roubaix"
NEEDLES = [
    FIRST_NAME,
    LAST_NAME,
    "1993-08-21",
    "21/08/1993",
    "agence fictive",
    "Kowalczyk",
    "Zielonooka",
    "601 777 912",
    "601777912",
    "rue des Glycines",
]
TEXT_TYPES = ("text", "character varying", "json", "jsonb", "ARRAY")


def text_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type = ANY(%s) ORDER BY table_name, column_name",
            [list(TEXT_TYPES)],
        )
        return cursor.fetchall()


def clear_occurrences():
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            for needle in NEEDLES:
                cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s', [f"%{needle}%"])
                if cursor.fetchone()[0]:
                    found.append((table, column, needle))
    return found


def test_no_table_holds_the_identity_in_clear(world, client_as, log_output):
    miprof = world.acting("miprof_agent")
    case = submitted_signalement(world, first_name="Brouillon", last_name="Provisoire", birth_date=None)
    # Les vraies valeurs arrivent par une modification : l'historique garde l'ancienne et la nouvelle version.
    case.status = "draft"
    case.save(update_fields=["status"])
    update_draft(
        signalement=case,
        by=world.acting("association_agent"),
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        birth_date=BIRTH_DATE,
        account=ACCOUNT,
        aliases=ALIASES,
        phone=PHONE,
        address=ADDRESS,
    )
    case.status = "submitted"
    case.save(update_fields=["status"])
    start_triage(signalement=case, by=miprof)
    qualify(
        signalement=case,
        by=miprof,
        exploitation_forms=list(case.exploitation_forms.all()),
        is_minor_presumed=False,
        competent_departement=world.paris,
    )
    forward_to_departement(signalement=case, by=miprof)
    validator = world.acting("departmental_validator")
    open_identity(signalement=case, by=validator, reason="Contrôle avant décision, demande du préfet.")
    for persona in ("association_agent", "miprof_agent", "departmental_validator"):
        client = client_as(persona)
        assert client.get(reverse("orientation:case_detail", args=[case.public_id])).status_code == 200
        assert client.get(reverse("signalements_api:signalement_detail", args=[case.public_id])).status_code == 200
    decide(signalement=case, by=validator, kind=DecisionKind.VALIDATED)
    case.refresh_from_db()
    assert (case.first_name, case.last_name, case.birth_date, case.account) == (
        FIRST_NAME,
        LAST_NAME,
        BIRTH_DATE,
        ACCOUNT,
    )
    assert (case.aliases, case.phone, case.address) == (ALIASES, PHONE, ADDRESS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM signalements_signalementhistory WHERE pgh_obj_id = %s", [case.pk])
        assert cursor.fetchone()[0] >= 3
        cursor.execute("SELECT count(*) FROM notifications_outboxmessage")
        assert cursor.fetchone()[0] > 0
        cursor.execute("SELECT count(*) FROM accounts_accesslog")
        assert cursor.fetchone()[0] >= 6  # trois personnes, chacune l'espace de travail et l'API

    assert clear_occurrences() == []
    logs = "\n".join(log_output.lines())
    assert all(needle not in logs for needle in NEEDLES)
