"""Procédures judiciaires de démonstration : quelques dossiers menés par `demo.triage` reçoivent une procédure
(plainte, enquête, poursuites, indemnisation demandée) enregistrée par le vrai service
(`orientation.services.procedures.record_procedure`), pour que la section « Procédures » du dossier ne soit pas vide
dans `make run`. Le service enquêteur ou la juridiction est une fiche de l'annuaire du département quand elle existe,
sinon un nom en clair. Références fictives.

Idempotent : un dossier qui a déjà une procédure n'en reçoit pas d'autre."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.actors import MIPROF_AGENT, acting
from demo.triage import pseudonym
from orientation.enums import ProcedureStage
from orientation.services.procedures import procedure_authorities, record_procedure
from referents.enums import ReferentCategory
from signalements.enums import CompensationStatus
from signalements.models import Signalement

#: Le numéro du signalement de démonstration (scénario de `demo.triage`) -> la procédure, en jours avant aujourd'hui.
PROCEDURES = {
    # « Démo-0010 », prise en charge validée à Paris : une plainte, l'enquête en cours, partie civile.
    10: {
        "category": ReferentCategory.PARQUET,
        "reference": "PARQUET-75-DEMO-000123",
        "is_civil_party": True,
        "civil_party_days": 20,
        "stage": ProcedureStage.INVESTIGATION,
        "compensation_status": CompensationStatus.NOT_REQUESTED,
    },
    # « Démo-0011 », validée à Paris : les poursuites sont engagées, l'indemnisation est demandée (CIVI).
    11: {
        "category": ReferentCategory.POLICE_NATIONALE,
        "reference": "PV-2026-DEMO-004567",
        "is_civil_party": True,
        "civil_party_days": 45,
        "stage": ProcedureStage.PROSECUTION,
        "stage_days": 10,
        "compensation_status": CompensationStatus.REQUESTED,
        "compensation_requested_amount": Decimal("15000.00"),
    },
    # « Démo-0006 », transmis au département de Paris : une enquête de l'inspection du travail.
    6: {
        "category": ReferentCategory.INSPECTION_DU_TRAVAIL,
        "authority_name": "Inspection du travail – unité de contrôle de Paris",
        "reference": "IT-75-DEMO-0089",
        "stage": ProcedureStage.INVESTIGATION,
        "compensation_status": CompensationStatus.UNKNOWN,
    },
}


def _authority(signalement, category):
    """La fiche de l'annuaire de cette catégorie dans le département du dossier, sinon None."""
    return (
        procedure_authorities().filter(category=category, territories=signalement.responsible_departement_id).first()
    )


def seed_demo_procedures():
    """Enregistre les procédures de démonstration ; renvoie le nombre de procédures créées (0 si tout existe déjà
    ou si la démonstration n'a ni dossiers ni agent·e de la Miprof)."""
    miprof = acting(MIPROF_AGENT)
    if miprof is None:
        return 0
    today = timezone.localdate()
    created = 0
    wanted = {pseudonym(number): spec for number, spec in PROCEDURES.items()}
    signalements = Signalement.objects.filter(pseudonym__in=wanted).select_related(
        "departement", "competent_departement"
    )
    for signalement in signalements:
        if signalement.procedures.exists():
            continue
        spec = dict(wanted[signalement.pseudonym])
        entry = _authority(signalement, spec.pop("category"))
        fields = {"authority_entry": entry} if entry and "authority_name" not in spec else {}
        if not fields:
            fields["authority_name"] = spec.pop("authority_name", None) or "Parquet du tribunal judiciaire"
        spec.pop("authority_name", None)
        if days := spec.pop("civil_party_days", None):
            fields["civil_party_on"] = today - datetime.timedelta(days=days)
        if days := spec.pop("stage_days", None):
            fields["stage_on"] = today - datetime.timedelta(days=days)
        with transaction.atomic():
            record_procedure(signalement=signalement, by=miprof, **fields, **spec)
        created += 1
    return created
