"""Procédures de démonstration (`demo.procedures`) : la section « Procédures » du dossier n'est pas vide."""

from demo.procedures import PROCEDURES, seed_demo_procedures
from demo.triage import pseudonym
from orientation.enums import ProcedureStage
from orientation.models import Procedure
from signalements.enums import SignalementEventKind
from signalements.models import SignalementEvent


def test_the_demo_records_a_few_procedures_through_the_service(demo, db):
    assert demo.procedures == len(PROCEDURES) == 3
    procedures = Procedure.objects.select_related("signalement", "authority_entry")
    assert {procedure.signalement.pseudonym for procedure in procedures} == {
        pseudonym(number) for number in PROCEDURES
    }
    assert {procedure.stage for procedure in procedures} == {ProcedureStage.INVESTIGATION, ProcedureStage.PROSECUTION}
    assert all(procedure.authority for procedure in procedures)
    assert SignalementEvent.objects.filter(kind=SignalementEventKind.PROCEDURE_RECORDED).count() == 3


def test_the_demo_procedures_name_a_directory_entry_when_there_is_one(demo, db):
    assert Procedure.objects.filter(authority_entry__isnull=False).exists()


def test_running_again_records_nothing(demo, db):
    assert seed_demo_procedures() == 0
    assert Procedure.objects.count() == 3
