"""L'administration de la Miprof tient le mécanisme : elle crée les organisations, accorde, renouvelle et met fin à
leurs habilitations et agréments (référence de l'acte, dates, historique django-pghistory), et décide des demandes
d'habilitation des organisations. Les rappels avant la fin d'une habilitation partent d'ici (tâche beat).

L'administration technique de la plateforme n'y a pas la main : habiliter une organisation, c'est lui ouvrir le dépôt
de signalements. Les écritures passent toutes par ces services ; les notifications ne portent que le nom de
l'organisation et le type d'habilitation, jamais de donnée personnelle.
"""

import datetime

import pghistory
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from accounts.models import (
    HabilitationReminder,
    HabilitationRequest,
    HabilitationRequestReminder,
    HabilitationRequestStatus,
)
from mniop.roles import MIPROF_ADMIN_ROLES, Role, current_membership
from notifications.services import enqueue_email, notify_users
from referents.enums import HabilitationKind
from referents.models import Habilitation, Organisation
from referents.services import history_actor
from referents.working_days import NATIONAL_CALENDAR, working_days_between

NOT_MIPROF_ADMIN = "Seule l'administration de la Miprof crée les organisations et tient leurs habilitations."
NOT_ORGANISATION_ADMIN = "Seule l'administration de l'organisation demande une habilitation pour elle."
#: Les types d'habilitation accordés pour un département (l'agrément PSP est départemental).
DEPARTEMENTAL_KINDS = frozenset({HabilitationKind.PSP})
#: Les paliers des rappels avant la fin d'une habilitation, en jours.
REMINDER_DAYS = (60, 15)


def require_miprof_admin(by):
    membership = current_membership(by)
    if membership is None or membership.role not in MIPROF_ADMIN_ROLES:
        raise PermissionDenied(NOT_MIPROF_ADMIN)


def habilitations_path(organisation):
    return reverse("accounts:organisation_habilitations", kwargs={"public_id": organisation.public_id})


def habilitation_request_path(habilitation_request):
    return reverse("accounts:habilitation_request_decide", kwargs={"public_id": habilitation_request.public_id})


def _check_territory(*, organisation, kind, territory):
    if kind in DEPARTEMENTAL_KINDS and territory is None:
        raise ValidationError({"territory": "L'agrément PSP est accordé pour un département : indiquez-le."})
    if territory is not None and kind not in DEPARTEMENTAL_KINDS:
        raise ValidationError({"territory": "Cette habilitation est nationale : ne choisissez pas de département."})


def _running(organisation, kind, territory, on):
    """Les habilitations de ce type (et de ce département) encore valides ou à venir à cette date."""
    return Habilitation.objects.filter(organisation=organisation, kind=kind, territory=territory).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


def _tell_organisation(organisation, *, title, template):
    """Prévient l'administration de l'organisation (courriel et notification dans l'application)."""
    admins = recipients.organisation_admins(organisation)
    path = habilitations_path(organisation)
    notify_users(users=admins, title=title, path=path)
    for user in admins:
        enqueue_email(template=template, recipient=user.email, path=path)


def _tell_miprof_admins(*, title, template, path):
    admins = recipients.miprof_admins()
    notify_users(users=admins, title=title, path=path)
    for user in admins:
        enqueue_email(template=template, recipient=user.email, path=path)


def create_organisation(*, name, kind, territories, by, is_national=False, email="", phone="", siret=""):
    """Crée une organisation (sans habilitation : elle est accordée ensuite, avec la référence de son acte)."""
    require_miprof_admin(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Indiquez le nom de l'organisation."})
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "Une organisation porte déjà ce nom."})
    if not territories and not is_national:
        raise ValidationError({"territories": "Indiquez au moins un territoire couvert, ou la compétence nationale."})
    with transaction.atomic(), pghistory.context(**history_actor(by)):
        organisation = Organisation(
            name=name, kind=kind, is_national=is_national, email=email, phone=phone, siret=siret
        )
        organisation.full_clean()
        organisation.save()
        organisation.territories.set(territories)
    return organisation


def grant_habilitation(*, organisation, kind, starts_on, reference, by, ends_on=None, territory=None):
    """Accorde une habilitation ou un agrément, daté, avec la référence de l'acte (arrêté, décision)."""
    require_miprof_admin(by)
    _check_territory(organisation=organisation, kind=kind, territory=territory)
    if not (reference or "").strip():
        raise ValidationError(
            {"reference": "Indiquez la référence de l'acte (arrêté, décision) qui fonde l'habilitation."}
        )
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin de validité doit suivre le début de validité."})
    with transaction.atomic(), pghistory.context(**history_actor(by), action="accorder"):
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        if _running(organisation, kind, territory, starts_on).exists():
            raise ValidationError(
                "Cette organisation a déjà cette habilitation pour cette période : renouvelez-la plutôt."
            )
        habilitation = Habilitation(
            organisation=organisation,
            kind=kind,
            territory=territory,
            starts_on=starts_on,
            ends_on=ends_on,
            reference=reference.strip(),
        )
        habilitation.full_clean()
        habilitation.save()
        _tell_organisation(
            organisation,
            title=f"{habilitation.get_kind_display()} accordée à {organisation.name}",
            template="habilitation_changed",
        )
    return habilitation


def renew_habilitation(*, habilitation, ends_on, reference, by, today=None):
    """Renouvelle une habilitation : nouvelle fin de validité (ou aucune) et référence du nouvel acte. L'ancienne
    fin et l'ancienne référence restent dans l'historique."""
    require_miprof_admin(by)
    today = today or timezone.localdate()
    if not (reference or "").strip():
        raise ValidationError({"reference": "Indiquez la référence de l'acte de renouvellement."})
    with transaction.atomic(), pghistory.context(**history_actor(by), action="renouveler"):
        habilitation = Habilitation.objects.select_for_update().select_related("organisation").get(pk=habilitation.pk)
        if ends_on is not None and (ends_on < today or (habilitation.ends_on and ends_on <= habilitation.ends_on)):
            raise ValidationError({"ends_on": "La nouvelle fin de validité doit suivre l'actuelle et être à venir."})
        habilitation.ends_on = ends_on
        habilitation.reference = reference.strip()
        habilitation.full_clean()
        habilitation.save(update_fields=["ends_on", "reference"])
        _tell_organisation(
            habilitation.organisation,
            title=f"{habilitation.get_kind_display()} de {habilitation.organisation.name} renouvelée",
            template="habilitation_changed",
        )
    return habilitation


def end_habilitation(*, habilitation, ends_on, reason, by):
    """Met fin à une habilitation : `ends_on` est son dernier jour de validité. Le motif reste dans l'historique."""
    require_miprof_admin(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la fin de l'habilitation."})
    with transaction.atomic(), pghistory.context(**history_actor(by), action="mettre fin", reason=reason):
        habilitation = Habilitation.objects.select_for_update().select_related("organisation").get(pk=habilitation.pk)
        if habilitation.ends_on is not None and ends_on >= habilitation.ends_on:
            raise ValidationError({"ends_on": "Cette habilitation prend déjà fin à cette date ou avant."})
        if ends_on < habilitation.starts_on:
            raise ValidationError({"ends_on": "La fin de validité ne peut précéder le début de validité."})
        habilitation.ends_on = ends_on
        habilitation.save(update_fields=["ends_on"])
        _tell_organisation(
            habilitation.organisation,
            title=f"Fin de l'{habilitation.get_kind_display().lower()} de {habilitation.organisation.name}",
            template="habilitation_changed",
        )
    return habilitation


def request_habilitation(*, organisation, kind, by, territory=None, motivation=""):
    """L'administration d'une organisation demande une habilitation ; la Miprof est prévenue."""
    membership = current_membership(by)
    if (
        membership is None
        or membership.role != Role.ASSOCIATION_ADMIN
        or membership.organisation_id != organisation.pk
    ):
        raise PermissionDenied(NOT_ORGANISATION_ADMIN)
    _check_territory(organisation=organisation, kind=kind, territory=territory)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        pending = HabilitationRequest.objects.pending().filter(
            organisation=organisation, kind=kind, territory=territory
        )
        if pending.exists():
            raise ValidationError("Une demande de cette habilitation attend déjà la décision de la Miprof.")
        habilitation_request = HabilitationRequest.objects.create(
            organisation=organisation, kind=kind, territory=territory, motivation=motivation.strip(), requested_by=by
        )
        _tell_miprof_admins(
            title=f"Demande d'habilitation à examiner : {organisation.name}",
            template="habilitation_requested",
            path=habilitation_request_path(habilitation_request),
        )
    return habilitation_request


def _lock_pending(habilitation_request):
    habilitation_request = (
        HabilitationRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "territory")
        .get(pk=habilitation_request.pk)
    )
    if habilitation_request.status != HabilitationRequestStatus.PENDING:
        raise ValidationError("Cette demande a déjà été décidée.")
    return habilitation_request


def approve_habilitation_request(*, habilitation_request, starts_on, reference, by, ends_on=None):
    """Accorde l'habilitation demandée (mêmes règles que `grant_habilitation`) ; l'organisation est prévenue."""
    require_miprof_admin(by)
    with transaction.atomic():
        habilitation_request = _lock_pending(habilitation_request)
        habilitation = grant_habilitation(
            organisation=habilitation_request.organisation,
            kind=habilitation_request.kind,
            territory=habilitation_request.territory,
            starts_on=starts_on,
            ends_on=ends_on,
            reference=reference,
            by=by,
        )
        habilitation_request.habilitation = habilitation
        _decide(habilitation_request, HabilitationRequestStatus.APPROVED, by)
    return habilitation_request


def refuse_habilitation_request(*, habilitation_request, reason, by):
    """Refuse une demande avec un motif, que l'administration de l'organisation lit sur sa page."""
    require_miprof_admin(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif du refus : l'organisation le lira."})
    with transaction.atomic():
        habilitation_request = _lock_pending(habilitation_request)
        habilitation_request.refusal_reason = reason
        _decide(habilitation_request, HabilitationRequestStatus.REFUSED, by)
        _tell_organisation(
            habilitation_request.organisation,
            title=f"Demande d'habilitation de {habilitation_request.organisation.name} refusée",
            template="habilitation_request_refused",
        )
    return habilitation_request


def _decide(habilitation_request, status, by):
    habilitation_request.status = status
    habilitation_request.decided_by = by
    habilitation_request.decided_at = timezone.now()
    habilitation_request.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason", "habilitation"])


def send_habilitation_reminders(*, today=None):
    """Tâche quotidienne : 60 puis 15 jours avant la fin d'une habilitation, l'administration de l'organisation et
    celle de la Miprof sont prévenues. Un seul rappel par habilitation, date de fin et palier (contrainte unique) ;
    une habilitation qui entre dans la fenêtre déjà sous les 15 jours n'en reçoit qu'un. Renvoie le nombre
    d'habilitations rappelées."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    reminded = 0
    with transaction.atomic():
        habilitations = list(
            Habilitation.objects.filter(ends_on__gte=today, ends_on__lte=horizon, organisation__is_active=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("organisation")
            .order_by("ends_on", "pk")
        )
        done = set(
            HabilitationReminder.objects.filter(habilitation__in=habilitations).values_list(
                "habilitation_id", "ends_on", "days_before"
            )
        )
        miprof_admins = recipients.miprof_admins()
        for habilitation in habilitations:
            left = (habilitation.ends_on - today).days
            due = [days for days in REMINDER_DAYS if left <= days]
            if not due or (habilitation.pk, habilitation.ends_on, min(due)) in done:
                continue
            HabilitationReminder.objects.bulk_create(
                [
                    HabilitationReminder(habilitation=habilitation, ends_on=habilitation.ends_on, days_before=days)
                    for days in due
                    if (habilitation.pk, habilitation.ends_on, days) not in done
                ]
            )
            organisation = habilitation.organisation
            path = habilitations_path(organisation)
            people = recipients.unique(recipients.organisation_admins(organisation), miprof_admins)
            notify_users(
                users=people,
                title=(
                    f"{habilitation.get_kind_display()} de {organisation.name} : fin le "
                    f"{habilitation.ends_on:%d/%m/%Y}"
                ),
                path=path,
            )
            for user in people:
                enqueue_email(template="habilitation_ending", recipient=user.email, path=path)
            reminded += 1
    return reminded


def pending_working_days(habilitation_request, *, today=None):
    """Depuis combien de jours ouvrés la demande attend : calendrier de son département (agrément départemental),
    sinon le calendrier national."""
    calendar = habilitation_request.territory or NATIONAL_CALENDAR
    today = today or timezone.localdate()
    requested_on = timezone.localtime(habilitation_request.requested_at).date()
    return max(working_days_between(calendar, requested_on, today), 0)


def send_habilitation_request_reminders(*, today=None):
    """Tâche quotidienne : une demande d'habilitation qui attend la décision depuis 5 puis 10 jours ouvrés
    (`HABILITATION_REQUEST_REMINDER_WORKING_DAYS`) est rappelée à l'administration de la Miprof. Une seule relance
    par demande et par palier (contrainte unique) ; une demande qui franchit deux paliers d'un coup n'en reçoit
    qu'une. La relance ne nomme que l'organisation. Renvoie le nombre de demandes rappelées."""
    thresholds = sorted(settings.HABILITATION_REQUEST_REMINDER_WORKING_DAYS)
    reminded = 0
    with transaction.atomic():
        pending = list(
            HabilitationRequest.objects.pending()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("organisation", "territory")
            .order_by("requested_at", "pk")
        )
        done = set(
            HabilitationRequestReminder.objects.filter(habilitation_request__in=pending).values_list(
                "habilitation_request_id", "working_days"
            )
        )
        admins = recipients.miprof_admins()
        for habilitation_request in pending:
            waited = pending_working_days(habilitation_request, today=today)
            due = [days for days in thresholds if days <= waited and (habilitation_request.pk, days) not in done]
            if not due:
                continue
            HabilitationRequestReminder.objects.bulk_create(
                [HabilitationRequestReminder(habilitation_request=habilitation_request, working_days=d) for d in due]
            )
            path = habilitation_request_path(habilitation_request)
            notify_users(
                users=admins,
                title=(
                    f"Demande d'habilitation de {habilitation_request.organisation.name} en attente depuis "
                    f"{waited} jours ouvrés"
                ),
                path=path,
            )
            for user in admins:
                enqueue_email(template="habilitation_request_pending", recipient=user.email, path=path)
            reminded += 1
    return reminded
