"""Les procédures judiciaires d'un dossier : enregistrer, mettre à jour, avec leurs règles (dates, partie civile,
stade, indemnisation), une ligne au journal du dossier et l'historique django-pghistory (contexte `by`).

L'indemnisation reprend les valeurs du suivi statistique du signalement (`CompensationStatus`,
`CompensationPayer`) : l'état le plus avancé des procédures du dossier (accordée, puis demandée, refusée, pas de
demande) met à jour `Signalement.compensation_status` et `compensation_payer`, que l'observatoire compte déjà."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orientation.enums import ProcedureStage
from orientation.models import Procedure
from orientation.permissions import can_edit_procedure
from orientation.services.common import lock, require
from referents.enums import ReferentCategory
from referents.models import DirectoryEntry
from signalements import lifecycle
from signalements.enums import CompensationStatus
from signalements.services.drafts import RELEVANCE
from signalements.services.events import apply_transition

#: Les fiches de l'annuaire qui peuvent mener une procédure : parquets, magistrats référents, services enquêteurs.
AUTHORITY_CATEGORIES = (
    ReferentCategory.PARQUET,
    ReferentCategory.MAGISTRAT_REFERENT_TEH,
    ReferentCategory.MAGISTRAT_REFERENT_PROXENETISME,
    ReferentCategory.POLICE_NATIONALE,
    ReferentCategory.GENDARMERIE_NATIONALE,
    ReferentCategory.OCRTEH_TERRITORIAL,
    ReferentCategory.INSPECTION_DU_TRAVAIL,
    ReferentCategory.URACTI,
)
#: Les stades qui mettent fin à la procédure ou la jugent : leur date est exigée.
DATED_STAGES = frozenset({ProcedureStage.CONVICTION, ProcedureStage.ACQUITTAL, ProcedureStage.DISMISSAL})
#: Les champs qu'une procédure enregistre (formulaire, API, service).
FIELDS = (
    "authority_entry",
    "authority_name",
    "reference",
    "is_civil_party",
    "civil_party_on",
    "stage",
    "stage_on",
    "compensation_status",
    "compensation_payer",
    "compensation_requested_amount",
    "compensation_granted_amount",
)
#: L'ordre de l'indemnisation du dossier : l'état le plus avancé d'une de ses procédures l'emporte.
COMPENSATION_PRECEDENCE = (
    CompensationStatus.GRANTED,
    CompensationStatus.REQUESTED,
    CompensationStatus.REFUSED,
    CompensationStatus.NOT_REQUESTED,
)
#: La demande d'indemnisation existe : un montant demandé a un sens.
COMPENSATION_ASKED = frozenset({CompensationStatus.REQUESTED, CompensationStatus.GRANTED, CompensationStatus.REFUSED})


def procedure_authorities():
    """Les fiches actives de l'annuaire qu'on peut choisir comme service enquêteur ou juridiction (tout le
    territoire : une affaire complexe se juge ailleurs, JIRS ou JUNALCO)."""
    return (
        DirectoryEntry.objects.active()
        .filter(category__in=AUTHORITY_CATEGORIES)
        .select_related("organisation")
        .order_by("title", "id")
    )


def procedure_errors(procedure):
    """Les règles d'une procédure : {champ: [messages]}, vide si tout est respecté."""
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    procedure.authority_name = (procedure.authority_name or "").strip()
    procedure.reference = (procedure.reference or "").strip()
    if procedure.authority_entry is None and not procedure.authority_name:
        add("authority_name", "Choisissez le service ou la juridiction dans l'annuaire, ou écrivez son nom.")
    if procedure.authority_entry is not None:
        if procedure.authority_name:
            add("authority_name", "Choisissez une fiche de l'annuaire ou écrivez un nom, pas les deux.")
        if not procedure_authorities().filter(pk=procedure.authority_entry.pk).exists():
            add("authority_entry", "Cette fiche de l'annuaire n'est ni un parquet, ni un service enquêteur actif.")
    if procedure.stage not in ProcedureStage.values:
        add("stage", "Choisissez le stade de la procédure.")
    for name in ("civil_party_on", "stage_on"):
        value = getattr(procedure, name)
        if value is not None and value > today:
            add(name, "La date ne peut pas être dans le futur.")
    if procedure.civil_party_on is not None and not procedure.is_civil_party:
        add("civil_party_on", "Une date de constitution de partie civile suppose que la victime soit partie civile.")
    if procedure.stage in DATED_STAGES and procedure.stage_on is None:
        add("stage_on", f"Indiquez la date : « {ProcedureStage(procedure.stage).label} ».")
    status = procedure.compensation_status
    if status not in CompensationStatus.values:
        add("compensation_status", "Choisissez l'état de l'indemnisation.")
    granted = status in RELEVANCE["compensation_payer"].values
    if procedure.compensation_payer and not granted:
        add("compensation_payer", "Indiquez qui paie l'indemnisation seulement si elle a été accordée.")
    if procedure.compensation_granted_amount is not None and not granted:
        add("compensation_granted_amount", "Un montant accordé suppose une indemnisation accordée.")
    if procedure.compensation_requested_amount is not None and status not in COMPENSATION_ASKED:
        add("compensation_requested_amount", "Un montant demandé suppose une demande d'indemnisation.")
    for name in ("compensation_requested_amount", "compensation_granted_amount"):
        value = getattr(procedure, name)
        if value is not None and value < 0:
            add(name, "Le montant ne peut pas être négatif.")
    return errors


def case_compensation(signalement):
    """L'indemnisation du dossier tirée de ses procédures : (état, payeur), ou None si aucune n'en dit rien."""
    rows = list(
        signalement.procedures.order_by("-updated_at", "-id").values_list("compensation_status", "compensation_payer")
    )
    for wanted in COMPENSATION_PRECEDENCE:
        for status, payer in rows:
            if status == wanted:
                return status, payer if status == CompensationStatus.GRANTED else ""
    return None


def _sync_compensation(signalement, by):
    """Reporte l'indemnisation des procédures dans le suivi statistique du signalement (événement
    « Suivi statistique mis à jour », comme `signalements.services.statistical_fields`)."""
    found = case_compensation(signalement)
    if found is None:
        return
    values = dict(zip(("compensation_status", "compensation_payer"), found, strict=True))
    changed = sorted(name for name, value in values.items() if getattr(signalement, name) != value)
    if not changed:
        return
    for name in changed:
        setattr(signalement, name, values[name])
    apply_transition(
        signalement,
        "update_statistical_fields",
        by=by,
        data={"fields": changed, "source": "procedure"},
        fields=changed,
    )


def _write(procedure, signalement, by, transition, changed):
    errors = procedure_errors(procedure)
    if errors:
        raise ValidationError(errors)
    with pghistory.context(by=str(by.public_id)):
        procedure.save()
    # Au journal : l'identifiant, le stade et les noms des champs, jamais la référence ni les montants.
    apply_transition(
        signalement,
        transition,
        by=by,
        data={"procedure": str(procedure.public_id), "stage": procedure.stage, "fields": sorted(changed)},
    )
    _sync_compensation(signalement, by)
    return procedure


@transaction.atomic
def record_procedure(*, signalement, by, **fields):
    """Enregistre une procédure judiciaire du dossier."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus d'une procédure : {', '.join(sorted(unknown))}")
    signalement = lock(signalement)
    require(can_edit_procedure(by, signalement), "Vous ne pouvez pas enregistrer de procédure sur ce dossier.")
    lifecycle.check(signalement, "record_procedure")
    procedure = Procedure(signalement=signalement, recorded_by=by, **fields)
    return _write(procedure, signalement, by, "record_procedure", [name for name in FIELDS if name in fields])


@transaction.atomic
def update_procedure(*, procedure, by, **fields):
    """Met à jour une procédure : le stade, la partie civile, l'indemnisation… (les champs donnés seulement)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus d'une procédure : {', '.join(sorted(unknown))}")
    signalement = lock(procedure.signalement)
    procedure = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
    require(can_edit_procedure(by, signalement), "Vous ne pouvez pas modifier les procédures de ce dossier.")
    lifecycle.check(signalement, "update_procedure")
    changed = [name for name, value in fields.items() if getattr(procedure, name) != value]
    for name in changed:
        setattr(procedure, name, fields[name])
    if not changed:
        return procedure
    return _write(procedure, signalement, by, "update_procedure", changed)


def visible_procedure(signalement, public_id):
    return signalement.procedures.filter(public_id=public_id).first()
