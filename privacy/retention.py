"""La conservation des données : chaque nuit (`privacy.tasks.apply_retention`), ce qui a dépassé sa durée
(`settings.MNIOP["RETENTION"]`, docs/donnees-personnelles.md) est supprimé ou anonymisé. Rejouable : chaque règle
choisit ce qui reste à faire, un dossier est anonymisé dans sa propre transaction.

Tant qu'aucune personne de l'administration de la Miprof n'a lu un rapport à blanc et autorisé l'application
(`approve_retention`), le passage de nuit ne fait que le rapport (`RetentionRun` à blanc)."""

from dataclasses import dataclass
from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.models import AccessLog, IdempotencyRecord, User
from accounts.services import end_all_sessions
from mniop.roles import Role
from notifications.models import Notification, OutboxMessage, OutboxStatus
from notifications.services import enqueue_email
from orientation.models import CaseAttachment
from orientation.services.attachments import delete_case_attachments
from orientation.services.notices import case_path
from privacy.anonymisation import anonymise_signalement
from privacy.enums import RetentionRunKind
from privacy.models import AnonymisationNotice, InactivityWarning, RetentionRun
from signalements import lifecycle
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import Signalement, SignalementEvent
from signalements.notifications import notify_case

#: Les événements qui closent un dossier : la date de clôture est celle du dernier d'entre eux.
CLOSING_EVENTS = (
    SignalementEventKind.CLOSED_DUPLICATE,
    SignalementEventKind.CLOSED_OUT_OF_SCOPE,
    SignalementEventKind.CLOSED,
)


def periods():
    return settings.MNIOP["RETENTION"]


def _days(name):
    return timedelta(days=periods()[name])


@dataclass(frozen=True)
class Rule:
    code: str
    label: str  # ce que la règle fait, en français, pour le rapport
    period: str  # la clé de MNIOP["RETENTION"]


RULES = [
    Rule("abandoned_drafts", "Brouillons jamais déposés, sans modification : supprimés", "ABANDONED_DRAFT_DAYS"),
    Rule(
        "anonymisation_notices",
        "Dossiers clos qui seront anonymisés dans un mois : avis à l'organisation déclarante",
        "CLOSED_CASE_DAYS",
    ),
    Rule("closed_cases", "Dossiers clos : identité anonymisée (partout, historique compris)", "CLOSED_CASE_DAYS"),
    Rule(
        "attachments",
        "Documents joints aux dossiers clos (certificats médicaux, récépissés…) : fichiers et lignes supprimés",
        "ATTACHMENT_DAYS",
    ),
    Rule("notifications", "Notifications dans l'application : supprimées", "NOTIFICATION_DAYS"),
    Rule("outbox", "Messages envoyés ou en échec définitif de la boîte d'envoi : supprimés", "OUTBOX_DAYS"),
    Rule("access_log", "Lignes du journal d'accès : supprimées", "ACCESS_LOG_DAYS"),
    Rule("idempotency", "Réponses gardées pour l'en-tête Idempotency-Key de l'API : supprimées", ""),
    Rule(
        "inactive_account_warnings",
        "Comptes sans connexion : la personne est prévenue de la désactivation prochaine",
        "INACTIVE_ACCOUNT_WARNING_DAYS",
    ),
    Rule("inactive_accounts", "Comptes sans connexion, prévenus : désactivés", "INACTIVE_ACCOUNT_DAYS"),
]


# --- Ce que chaque règle trouve --------------------------------------------------------------------------------


def abandoned_drafts(now):
    return Signalement.objects.filter(
        status=SignalementStatus.DRAFT, updated_at__lt=now - _days("ABANDONED_DRAFT_DAYS")
    )


def closed_cases_with_closure_date():
    """Les dossiers clos (doublon, hors champ, clos), pas encore anonymisés, annotés de `closed_at`."""
    anonymised = SignalementEvent.objects.filter(signalement=OuterRef("pk"), kind=SignalementEventKind.ANONYMISED)
    return (
        Signalement.objects.filter(status__in=lifecycle.CLOSED)
        .annotate(closed_at=Max("events__at", filter=Q(events__kind__in=CLOSING_EVENTS)))
        .exclude(Exists(anonymised))
        .filter(closed_at__isnull=False)
    )


def cases_to_anonymise(now):
    return closed_cases_with_closure_date().filter(closed_at__lt=now - _days("CLOSED_CASE_DAYS"))


def cases_to_notify(now):
    notice = now - _days("CLOSED_CASE_DAYS") + timedelta(days=periods()["ANONYMISATION_NOTICE_DAYS"])
    noticed = AnonymisationNotice.objects.filter(signalement=OuterRef("pk"))
    return closed_cases_with_closure_date().filter(closed_at__lt=notice).exclude(Exists(noticed))


def cases_with_expired_attachments(now):
    """Les dossiers clos depuis plus de la durée des documents joints, qui en ont encore."""
    with_attachments = CaseAttachment.objects.filter(signalement=OuterRef("pk"))
    return (
        Signalement.objects.filter(status__in=lifecycle.CLOSED)
        .annotate(closed_at=Max("events__at", filter=Q(events__kind__in=CLOSING_EVENTS)))
        .filter(closed_at__lt=now - _days("ATTACHMENT_DAYS"))
        .filter(Exists(with_attachments))
    )


def old_notifications(now):
    return Notification.objects.filter(created_at__lt=now - _days("NOTIFICATION_DAYS"))


def old_outbox(now):
    return OutboxMessage.objects.filter(
        status__in=[OutboxStatus.SENT, OutboxStatus.FAILED], created_at__lt=now - _days("OUTBOX_DAYS")
    )


def old_access_log(now):
    """Les lignes échues du journal d'accès, toujours en tête de la chaîne d'empreintes (accounts/access_chain.py) :
    rien après la première ligne encore gardée, pour que `verify_access_log` reparte intacte de la plus ancienne."""
    cutoff = now - _days("ACCESS_LOG_DAYS")
    chained = AccessLog.objects.filter(chain_position__isnull=False)  # l'ordre de la chaîne : celui des COMMIT
    expired = chained.filter(at__lt=cutoff)
    first_kept = (
        chained.filter(at__gte=cutoff).order_by("chain_position").values_list("chain_position", flat=True).first()
    )
    return expired if first_kept is None else expired.filter(chain_position__lt=first_kept)


def old_idempotency_records(now):
    return IdempotencyRecord.objects.filter(
        created_at__lt=now - timedelta(hours=settings.MNIOP["IDEMPOTENCY_RETENTION_HOURS"])
    )


def _last_seen():
    """La dernière connexion, à défaut l'inscription."""
    from django.db.models.functions import Coalesce

    return Coalesce("last_login", "date_joined")


def accounts_to_warn(now):
    warned = InactivityWarning.objects.filter(user=OuterRef("pk"), sent_at__gt=OuterRef("last_seen"))
    return (
        User.objects.filter(is_active=True)
        .annotate(last_seen=_last_seen())
        .filter(last_seen__lt=now - _days("INACTIVE_ACCOUNT_WARNING_DAYS"))
        .exclude(Exists(warned))
    )


def accounts_to_deactivate(now):
    """Sans connexion depuis la durée, et prévenus depuis au moins trente jours (jamais sans avertissement)."""
    warned = InactivityWarning.objects.filter(
        user=OuterRef("pk"), sent_at__gt=OuterRef("last_seen"), sent_at__lt=now - timedelta(days=30)
    )
    return (
        User.objects.filter(is_active=True)
        .annotate(last_seen=_last_seen())
        .filter(last_seen__lt=now - _days("INACTIVE_ACCOUNT_DAYS"))
        .filter(Exists(warned))
    )


FINDERS = {
    "abandoned_drafts": abandoned_drafts,
    "anonymisation_notices": cases_to_notify,
    "closed_cases": cases_to_anonymise,
    "attachments": cases_with_expired_attachments,
    "notifications": old_notifications,
    "outbox": old_outbox,
    "access_log": old_access_log,
    "idempotency": old_idempotency_records,
    "inactive_account_warnings": accounts_to_warn,
    "inactive_accounts": accounts_to_deactivate,
}


def dry_run_counts(now=None):
    """Ce qu'un passage ferait maintenant, règle par règle, sans rien modifier."""
    now = now or timezone.now()
    return {rule.code: FINDERS[rule.code](now).count() for rule in RULES}


# --- Ce que chaque règle fait -----------------------------------------------------------------------------------


def _delete_draft(signalement):
    """Un brouillon jamais déposé disparaît entièrement : son journal (en ajout seul, seule exception) et ses versions
    dans l'historique avec lui."""
    from django.apps import apps

    history = apps.get_model("signalements", "SignalementHistory")
    consent_history = apps.get_model("signalements", "ConsentHistory")
    with transaction.atomic():
        draft = (
            Signalement.objects.select_for_update(of=("self",))
            .filter(pk=signalement.pk, status=SignalementStatus.DRAFT)
            .first()
        )
        if draft is None:
            return 0
        with pgtrigger.ignore("signalements.SignalementEvent:signalement_event_append_only"):
            SignalementEvent.objects.filter(signalement=draft).delete()
        consent_history.objects.filter(signalement_id=draft.pk).delete()
        draft.delete()
        history.objects.filter(pgh_obj_id=signalement.pk).delete()
        return 1


def _notify_before_anonymisation(signalement, now):
    from accounts import recipients

    with transaction.atomic():
        notice, created = AnonymisationNotice.objects.get_or_create(
            signalement=signalement,
            defaults={"anonymise_after": (signalement.closed_at + _days("CLOSED_CASE_DAYS")).date()},
        )
        if not created:
            return 0
        notify_case(
            recipients.filing_organisation(signalement),
            signalement=signalement,
            action="anonymisation dans un mois",
            path=case_path(signalement),
            template="retention_notice",
        )
        return 1


def _warn_account(user):
    with transaction.atomic():
        InactivityWarning.objects.create(user=user)
        enqueue_email(template="account_inactivity_warning", recipient=user.email, path="/connexion/")
    return 1


def _deactivate_account(user):
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False)
        if updated:
            end_all_sessions(user=user)
    return updated


def _delete_attachments(signalement):
    """Les documents d'un dossier clos dont la durée est échue : un dossier par transaction. Renvoie leur nombre."""
    with transaction.atomic():
        locked = Signalement.objects.select_for_update(of=("self",)).get(pk=signalement.pk)
        return delete_case_attachments(signalement=locked, by=_system_actor(signalement), cause="retention")


def _system_actor(signalement):
    """L'auteur inscrit au journal pour un acte automatique : la personne qui a créé le dossier (comme l'expiration
    des retenues de place), avec `automatic` dans les détails."""
    return signalement.created_by


def apply(now=None, *, limit=500):
    """Applique chaque règle (au plus `limit` éléments par règle et par passage). Renvoie les comptes faits."""
    now = now or timezone.now()
    done = {}
    done["abandoned_drafts"] = sum(_delete_draft(draft) for draft in abandoned_drafts(now)[:limit])
    done["anonymisation_notices"] = sum(
        _notify_before_anonymisation(case, now) for case in cases_to_notify(now).select_related("submitted_by")[:limit]
    )
    anonymised = 0
    for case in cases_to_anonymise(now).select_related("created_by")[:limit]:
        anonymised += anonymise_signalement(signalement=case, by=_system_actor(case), cause="retention")
    done["closed_cases"] = anonymised
    done["attachments"] = sum(
        _delete_attachments(case) for case in cases_with_expired_attachments(now).select_related("created_by")[:limit]
    )
    done["notifications"] = old_notifications(now).delete()[0]
    done["outbox"] = old_outbox(now).delete()[0]
    with transaction.atomic(), pgtrigger.ignore("accounts.AccessLog:access_log_append_only"):
        done["access_log"] = old_access_log(now).delete()[0]
    done["idempotency"] = old_idempotency_records(now).delete()[0]
    done["inactive_account_warnings"] = sum(_warn_account(user) for user in accounts_to_warn(now)[:limit])
    done["inactive_accounts"] = sum(_deactivate_account(user) for user in accounts_to_deactivate(now)[:limit])
    return done


def is_approved():
    return RetentionRun.objects.filter(approved_by__isnull=False).exists()


def run(now=None):
    """Le passage de nuit : le rapport à blanc tant que l'application n'est pas autorisée, sinon l'application.
    Chaque passage laisse un `RetentionRun` que la page de la conservation montre."""
    now = now or timezone.now()
    if not is_approved():
        return RetentionRun.objects.create(
            kind=RetentionRunKind.DRY_RUN, started_at=now, finished_at=timezone.now(), counts=dry_run_counts(now)
        )
    record = RetentionRun.objects.create(kind=RetentionRunKind.APPLIED, started_at=now)
    record.counts = apply(now)
    record.finished_at = timezone.now()
    record.save(update_fields=["counts", "finished_at"])
    return record


def can_approve_retention(user):
    from mniop.roles import current_role

    return current_role(user) == Role.MIPROF_ADMIN


@transaction.atomic
def approve_retention(*, by, now=None):
    """Une personne de l'administration de la Miprof a lu le rapport à blanc : elle l'enregistre (avec les comptes
    qu'elle a lus) et autorise l'application des nuits suivantes."""
    if not can_approve_retention(by):
        raise PermissionDenied("Seule l'administration de la Miprof autorise l'application de la conservation.")
    now = now or timezone.now()
    return RetentionRun.objects.create(
        kind=RetentionRunKind.DRY_RUN,
        started_at=now,
        finished_at=now,
        counts=dry_run_counts(now),
        approved_by=by,
        approved_at=now,
    )
