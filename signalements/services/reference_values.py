"""Listes de référence du signalement : ajout, changement de libellé, retrait, restauration (Miprof)."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from signalements.enums import ReferenceCategory
from signalements.models import ReferenceValue
from signalements.permissions import can_manage_reference_values

CODE_MAX_LENGTH = ReferenceValue._meta.get_field("code").max_length
LABEL_MAX_LENGTH = ReferenceValue._meta.get_field("label").max_length
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


def _check_can_manage(user):
    if not can_manage_reference_values(user):
        raise PermissionDenied("Seule la Miprof peut modifier les listes de référence.")


def _clean_label(label):
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError({"label": "Le libellé est obligatoire."})
    if len(label) > LABEL_MAX_LENGTH:
        raise ValidationError({"label": f"Le libellé ne doit pas dépasser {LABEL_MAX_LENGTH} caractères."})
    return label


def _check_label_free(category, label, exclude=None):
    others = ReferenceValue.objects.in_category(category).filter(label__iexact=label)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"label": f"Le libellé « {label} » existe déjà dans cette liste."})


def code_from_label(label):
    """Un code ASCII, minuscules, mots séparés par « _ » : « Réseaux sociaux » → « reseaux_sociaux »."""
    return slugify(label).replace("-", "_")[:CODE_MAX_LENGTH].strip("_")


@transaction.atomic
def add_reference_value(*, category, label, code=None, by):
    _check_can_manage(by)
    if category not in ReferenceCategory.values:
        raise ValidationError({"category": "Cette liste de référence n'existe pas."})
    label = _clean_label(label)
    code = (code or "").strip() or code_from_label(label)
    if not code or len(code) > CODE_MAX_LENGTH or not CODE_PATTERN.match(code):
        raise ValidationError(
            {"code": "Le code ne peut contenir que des lettres minuscules sans accent, des chiffres et « _ »."}
        )
    # Verrouille la liste pour que deux ajouts simultanés ne prennent pas le même code ou le même libellé.
    values = ReferenceValue.objects.select_for_update().in_category(category)
    list(values.values_list("pk"))
    _check_label_free(category, label)
    if values.filter(code=code).exists():
        raise ValidationError({"code": f"Le code « {code} » existe déjà dans cette liste."})
    position = (values.aggregate(last=Max("position"))["last"] or 0) + 10
    return ReferenceValue.objects.create(category=category, code=code, label=label, position=position)


@transaction.atomic
def relabel_reference_value(*, value, label, by):
    _check_can_manage(by)
    value = ReferenceValue.objects.select_for_update().get(pk=value.pk)
    label = _clean_label(label)
    _check_label_free(value.category, label, exclude=value)
    if label != value.label:
        value.label = label
        value.save(update_fields=["label"])
    return value


@transaction.atomic
def retire_reference_value(*, value, by):
    _check_can_manage(by)
    value = ReferenceValue.objects.select_for_update().get(pk=value.pk)
    if value.retired_at is not None:
        raise ValidationError("Cette valeur est déjà retirée.")
    value.retired_at = timezone.now()
    value.save(update_fields=["retired_at"])
    return value


@transaction.atomic
def restore_reference_value(*, value, by):
    _check_can_manage(by)
    value = ReferenceValue.objects.select_for_update().get(pk=value.pk)
    if value.retired_at is None:
        raise ValidationError("Cette valeur n'est pas retirée.")
    value.retired_at = None
    value.save(update_fields=["retired_at"])
    return value
