"""L'anonymisation d'un dossier : l'identité de la personne disparaît partout où elle vit (le signalement, ses
versions dans l'historique django-pghistory, les textes libres du dossier), les données qui ne l'identifient pas
restent (état, dates, département, âge, sexe, nationalités, formes d'exploitation, indicateurs, mesures, décisions),
pour que les statistiques ne changent pas.

Un dossier à la fois, dans sa propre transaction : une erreur au milieu annule tout ce dossier, aucun dossier n'est
jamais à moitié anonymisé ; l'événement `anonymised` est écrit dans la même transaction, c'est lui qui dit que le
dossier est fait (un passage interrompu reprend là où il s'est arrêté)."""

import pgtrigger
from django.db import transaction

from orientation.models import (
    BreakGlassAccess,
    CaseClosure,
    Closure,
    Decision,
    DistancingWaiver,
    Measure,
    MinorProtection,
    ReconsiderationRequest,
    Referral,
)
from orientation.services.attachments import delete_case_attachments
from signalements.enums import SignalementEventKind
from signalements.models import (
    Consent,
    ConsentOverride,
    IdentityOpening,
    InformationRequest,
    Signalement,
    SignalementEvent,
)
from signalements.services.events import apply_transition

#: Ce qui identifie la personne sur le signalement, et la valeur qui le remplace.
SIGNALEMENT_IDENTITY = {
    "first_name": "",
    "last_name": "",
    "birth_date": None,
    "aliases": "",
    "phone": "",
    "address": "",
    "pseudonym": "",
    "spotted_place": "",
    "account": "",
    "duplicate_keys": [],
}
ERASED = "[anonymisé]"
#: Les textes libres du dossier (ils peuvent nommer la personne, un lieu, un proche) : (modèle, champ, valeur).
FREE_TEXTS = [
    (InformationRequest, "question", ERASED),
    (InformationRequest, "answer", ""),
    (ConsentOverride, "reason", ERASED),
    (Consent, "witness", ""),
    (Referral, "safety_notes", ""),
    (Referral, "answer_comment", ""),
    (Referral, "interpreter_service", ""),
    (DistancingWaiver, "reason", ERASED),
    (DistancingWaiver, "decision_comment", ""),
    (Closure, "comment", ""),
    (Decision, "comment", ""),
    (ReconsiderationRequest, "motive", ERASED),
    (CaseClosure, "comment", ""),
    (CaseClosure, "reopen_reason", ""),
    (Measure, "comment", ""),
    (MinorProtection, "ad_hoc_administrator", ""),
    (BreakGlassAccess, "reason", ERASED),
]
#: Comment retrouver le dossier d'un modèle qui n'a pas de lien direct vers le signalement.
CASE_LOOKUP = {DistancingWaiver: "referral__signalement"}
#: Les tables en ajout seul dont l'anonymisation efface un texte (le seul changement que leur déclencheur laisse
#: passer, et seulement ici).
APPEND_ONLY = [
    "orientation.BreakGlassAccess:break_glass_append_only",
    "signalements.IdentityOpening:identity_opening_append_only",
]


def is_anonymised(signalement):
    return SignalementEvent.objects.filter(signalement=signalement, kind=SignalementEventKind.ANONYMISED).exists()


def _history_models():
    """Les tables d'historique (pghistory) qui copient des champs d'identité : (modèle, colonne du signalement)."""
    from django.apps import apps

    return [
        (apps.get_model("signalements", "SignalementHistory"), "pgh_obj_id"),
        (apps.get_model("signalements", "ConsentHistory"), "signalement_id"),
    ]


def anonymise_signalement(*, signalement, by, cause):
    """Anonymise un dossier (sa transaction à lui). `cause` : « retention » (durée échue) ou « erasure » (droit à
    l'effacement accordé). Rejouable : un dossier déjà anonymisé est laissé tel quel. Renvoie True s'il l'a fait."""
    with transaction.atomic():
        signalement = Signalement.objects.select_for_update(of=("self",)).get(pk=signalement.pk)
        if is_anonymised(signalement):
            return False
        if signalement.birth_date is not None and signalement.estimated_age is None:
            # L'âge au repérage reste (statistiques, circuit des mineurs), la date de naissance part.
            signalement.estimated_age = signalement.age
        for name, value in SIGNALEMENT_IDENTITY.items():
            setattr(signalement, name, value)
        signalement.save(update_fields=[*SIGNALEMENT_IDENTITY, "estimated_age", "updated_at"])
        with pgtrigger.ignore(*APPEND_ONLY):
            for model, field, value in FREE_TEXTS:
                of_case = model.objects.filter(**{CASE_LOOKUP.get(model, "signalement"): signalement})
                of_case.exclude(**{field: value}).update(**{field: value})
            # Les motifs d'ouverture de l'identité, chiffrés (mniop/fields.py) : pas de comparaison en SQL.
            IdentityOpening.objects.filter(signalement=signalement).update(reason=ERASED)
        for model, column in _history_models():
            fields = {name: value for name, value in SIGNALEMENT_IDENTITY.items() if _has_field(model, name)}
            if _has_field(model, "witness"):
                fields["witness"] = ""
            if fields:
                model.objects.filter(**{column: signalement.pk}).update(**fields)
        # Les documents joints (certificats médicaux, récépissés) : fichiers et lignes supprimés.
        delete_case_attachments(signalement=signalement, by=by, cause=cause)
        apply_transition(signalement, "anonymise", by=by, data={"cause": cause, "automatic": cause == "retention"})
        return True


def _has_field(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)
