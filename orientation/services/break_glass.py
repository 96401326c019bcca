"""L'accès d'urgence (bris de glace) au lieu d'hébergement scellé, et le circuit des mineurs.

Bris de glace : un motif obligatoire, limité dans le temps (`ORIENTATION_BREAK_GLASS_MINUTES`, 2 h par défaut),
inscrit au journal du dossier et notifié à l'organisation déclarante, à l'agent·e de la Miprof en charge et à
l'administration de la Miprof. Chaque lecture du lieu qu'il ouvre est inscrite au journal d'accès par la vue."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from mniop.roles import current_membership
from orientation.models import BreakGlassAccess, MinorProtection
from orientation.permissions import can_break_glass, can_record_minor_protection
from orientation.services import notices
from orientation.services.common import lock, require
from referents.enums import OrganisationKind
from signalements.enums import ConsentPurpose
from signalements.services.consents import require_consent
from signalements.services.events import apply_transition

MIN_REASON_LENGTH = 20


def break_glass_minutes():
    return getattr(settings, "ORIENTATION_BREAK_GLASS_MINUTES", 120)


def active_access(user, signalement, now=None):
    """L'accès d'urgence en cours de cette personne sur ce dossier, ou None."""
    return (
        BreakGlassAccess.objects.filter(signalement=signalement, user=user, expires_at__gt=now or timezone.now())
        .order_by("-expires_at")
        .first()
    )


@transaction.atomic
def break_glass(*, signalement, by, reason):
    signalement = lock(signalement)
    require(can_break_glass(by, signalement), "Vous ne suivez pas ce dossier : pas d'accès d'urgence possible.")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Expliquez l'urgence qui justifie l'accès (au moins {MIN_REASON_LENGTH} caractères)."}
        )
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        signalement=signalement,
        user=by,
        organisation_id=current_membership(by).organisation_id,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=break_glass_minutes()),
    )
    apply_transition(signalement, "break_glass", by=by, data={"expires_at": access.expires_at.isoformat()})
    owners = recipients.unique(
        recipients.filing_organisation(signalement), recipients.miprof_admins(), [signalement.assigned_to]
    )
    notices.notify(
        [user for user in owners if user.pk != by.pk],
        template="break_glass",
        action="accès d'urgence ouvert au lieu d'hébergement",
        signalement=signalement,
    )
    return access


@transaction.atomic
def record_minor_protection(
    *,
    signalement,
    by,
    crip,
    referred_to_ase_on,
    juge_des_enfants_informed_on=None,
    procureur_informed_on=None,
    ad_hoc_administrator="",
    ad_hoc_appointed_on=None,
    override_ground="",
    override_reason="",
):
    """Le circuit des mineurs : l'ASE du département par sa CRIP, l'information du juge des enfants et du
    procureur, l'administrateur ad hoc d'un mineur non accompagné."""
    signalement = lock(signalement)
    require(can_record_minor_protection(by, signalement), "Seules la Miprof et l'autorité départementale le font.")
    errors = {}
    if not signalement.is_minor:
        errors["__all__"] = "Le circuit des mineurs concerne les personnes mineures ou présumées mineures."
    if crip is None or crip.kind != OrganisationKind.DEPARTEMENT_COUNCIL:
        errors["crip"] = "Choisissez le conseil départemental (ASE / CRIP)."
    today = timezone.localdate()
    for name, value in (
        ("referred_to_ase_on", referred_to_ase_on),
        ("juge_des_enfants_informed_on", juge_des_enfants_informed_on),
        ("procureur_informed_on", procureur_informed_on),
        ("ad_hoc_appointed_on", ad_hoc_appointed_on),
    ):
        if value is not None and value > today:
            errors[name] = "La date ne peut pas être dans le futur."
    if referred_to_ase_on is None:
        errors["referred_to_ase_on"] = "Indiquez la date de l'orientation vers l'ASE."
    ad_hoc_administrator = (ad_hoc_administrator or "").strip()
    if ad_hoc_administrator and not signalement.is_mna:
        errors["ad_hoc_administrator"] = "L'administrateur·rice ad hoc se désigne pour un mineur non accompagné."
    if bool(ad_hoc_administrator) != bool(ad_hoc_appointed_on):
        errors["ad_hoc_appointed_on"] = "Indiquez l'administrateur·rice ad hoc et la date de sa désignation."
    if errors:
        raise ValidationError(errors)
    already = MinorProtection.objects.filter(signalement=signalement, procureur_informed_on__isnull=False).exists()
    if procureur_informed_on is not None and not already:
        # Informer le parquet transmet des données : consentement « police, parquet », ou le fondement de la minorité.
        require_consent(
            signalement=signalement,
            purpose=ConsentPurpose.POLICE_JUSTICE,
            by=by,
            override_ground=override_ground,
            override_reason=override_reason,
        )
    protection, _ = MinorProtection.objects.update_or_create(
        signalement=signalement,
        defaults={
            "crip": crip,
            "referred_to_ase_on": referred_to_ase_on,
            "juge_des_enfants_informed_on": juge_des_enfants_informed_on,
            "procureur_informed_on": procureur_informed_on,
            "ad_hoc_administrator": ad_hoc_administrator,
            "ad_hoc_appointed_on": ad_hoc_appointed_on,
            "recorded_by": by,
        },
    )
    signalement.juge_des_enfants_informed |= juge_des_enfants_informed_on is not None
    signalement.procureur_informed |= procureur_informed_on is not None
    apply_transition(
        signalement,
        "record_minor_protection",
        by=by,
        fields=["juge_des_enfants_informed", "procureur_informed"],
        data={
            "crip": str(crip.public_id),
            "juge_des_enfants_informed": juge_des_enfants_informed_on is not None,
            "procureur_informed": procureur_informed_on is not None,
            "ad_hoc_administrator": bool(ad_hoc_administrator),
        },
    )
    return protection
