"""Les mesures du parcours de la victime : enregistrer, faire évoluer (proposée → demandée → accordée / refusée /
sans suite → en cours → terminée), et les règles de droit de chaque mesure (domaine §7.3 et §11.4), avec des messages
en français à côté du champ concerné. La décision validée ouvre l'hébergement et les soins (`open_rights_measures`)."""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import recipients
from mniop.roles import current_membership
from orientation.enums import (
    MeasureKind,
    MeasureReminderKind,
    MeasureStatus,
    NonCooperationReason,
    ServiceAddressKind,
)
from orientation.models import Measure, MeasureReminderLog
from orientation.permissions import can_record_measure
from orientation.sealed import SEALED_KINDS, is_sealed
from orientation.services import notices
from orientation.services.common import lock, require
from referents.enums import HabilitationKind, Language, OrganisationKind
from referents.models import Organisation
from referents.working_days import working_days_between
from signalements import lifecycle
from signalements.enums import ComplaintStatus, ConsentPurpose
from signalements.services.consents import require_consent
from signalements.services.events import apply_transition

K = MeasureKind
S = MeasureStatus
SEXUAL_EXPLOITATION = "exploitation_sexuelle"
PERMITS = frozenset({K.PERMIT_L425_1, K.PERMIT_L425_3, K.PERMIT_L425_4, K.PERMIT_L435_1})
#: Les mesures dont la décision fixe le début (le jour où le récépissé ou le titre est délivré).
DATED_ON_GRANT = PERMITS | {K.REFLECTION_PERIOD}
#: Une plainte ou un témoignage compte dès qu'il est déposé (« demandée »).
COMPLAINT_FILED = frozenset({S.REQUESTED, S.GRANTED, S.ONGOING, S.ENDED})
RUNNING = frozenset({S.GRANTED, S.ONGOING})

LEGAL_BASES = {
    K.SHELTER: "Décision départementale de prise en charge",
    K.HEALTH_CARE: "Décision départementale de prise en charge",
    K.REFLECTION_PERIOD: "Art. R425-1 et R425-2 CESEDA",
    K.PERMIT_L425_1: "Art. L425-1 CESEDA",
    K.PERMIT_L425_3: "Art. L425-3 CESEDA",
    K.PERMIT_L425_4: "Art. L425-4 CESEDA",
    K.PERMIT_L435_1: "Art. L435-1 CESEDA",
    K.PSP: "Art. L121-9 CASF (commission départementale)",
    K.COMPLAINT: "Code de procédure pénale",
    K.ADDRESS_FOR_SERVICE: "Art. 706-40-1 CPP",
    K.ANONYMOUS_TESTIMONY: "Art. 706-58 CPP",
    K.LEGAL_AID: "Loi n° 91-647 du 10 juillet 1991",
    K.COMPENSATION: "Art. 706-3 CPP (CIVI)",
    K.ASYLUM: "Livre V CESEDA (Ofpra, CNDA)",
    K.FRANCE_TRAVAIL: "",
    K.VOLUNTARY_RETURN: "Aide au retour de l'OFII",
    K.GUARDIANSHIP: "Art. 390 et 388-2 du code civil, art. 706-50 CPP",
}

#: Les mesures qui ne s'appliquent pas aux mineurs, et pourquoi (domaine §5).
NOT_FOR_MINORS = {
    K.REFLECTION_PERIOD: "Un·e mineur·e n'a pas besoin de titre de séjour : le délai de réflexion ne s'applique pas. "
    "Orientez vers l'aide sociale à l'enfance.",
    K.PERMIT_L425_1: "Un·e mineur·e n'a pas besoin de titre de séjour : la carte L425-1 se demande à la majorité.",
    K.PERMIT_L425_3: "Un·e mineur·e n'a pas besoin de titre de séjour : la carte L425-3 se demande à la majorité.",
    K.PERMIT_L425_4: "Un·e mineur·e n'a pas besoin de titre de séjour : le titre L425-4 ne s'applique pas.",
    K.PERMIT_L435_1: "Un·e mineur·e n'a pas besoin de titre de séjour : le titre L435-1 se demande à la majorité.",
    K.PSP: "Le parcours de sortie de la prostitution est réservé aux majeurs : un·e mineur·e relève de la protection "
    "de l'enfance (ASE, juge des enfants).",
    K.VOLUNTARY_RETURN: "Le retour d'un·e mineur·e ne relève pas de l'aide au retour de l'OFII : il se décide avec "
    "le juge des enfants et l'aide sociale à l'enfance.",
}


NOT_FOREIGN = (
    "Le délai de réflexion et les titres de séjour des victimes de traite sont réservés aux personnes de nationalité "
    "étrangère : une personne française, même binationale, n'en a pas besoin, et une nationalité inconnue doit "
    "d'abord être établie."
)


@dataclass(frozen=True)
class Transition:
    target: str
    sources: frozenset
    label: str
    date_label: str


#: Les transitions d'une mesure, par nom d'action (URL et formulaire).
TRANSITIONS = {
    "demander": Transition(S.REQUESTED, frozenset({S.PROPOSED}), "Demandée", "Date de la demande"),
    "accorder": Transition(S.GRANTED, frozenset({S.PROPOSED, S.REQUESTED}), "Accordée", "Date de la décision"),
    "refuser": Transition(S.REFUSED, frozenset({S.PROPOSED, S.REQUESTED}), "Refusée", "Date de la décision"),
    "sans-suite": Transition(S.NO_FOLLOW_UP, frozenset({S.PROPOSED, S.REQUESTED}), "Sans suite", "Date"),
    "commencer": Transition(S.ONGOING, frozenset({S.GRANTED}), "En cours", "Date de début"),
    "terminer": Transition(S.ENDED, frozenset({S.GRANTED, S.ONGOING}), "Terminée", "Date de fin"),
}


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


SEALED_OPERATOR = "Une structure d'hébergement ne peut pas mettre en œuvre une mesure : son lieu est scellé."


def measure_operators(signalement):
    """Les organisations qui peuvent mettre en œuvre une mesure : les organisations actives du département
    responsable et les organisations nationales, jamais une structure au lieu scellé (hébergement, coordination
    Ac.Sé : `orientation.sealed`)."""
    return (
        Organisation.objects.active()
        .exclude(kind__in=SEALED_KINDS)
        .filter(Q(is_national=True) | Q(territories=signalement.responsible_departement_id))
        .distinct()
        .order_by("name")
    )


def operator_errors(signalement, operator):
    """La règle de l'opérateur d'une mesure : {champ: [messages]}, vide si l'opérateur convient (ou est absent)."""
    if operator is None:
        return {}
    if is_sealed(operator):
        return {"operator": [SEALED_OPERATOR]}
    if not measure_operators(signalement).filter(pk=operator.pk).exists():
        return {
            "operator": [
                "Choisissez une organisation active du département du dossier, ou une organisation nationale."
            ]
        }
    return {}


#: Les opérateurs d'une mesure à qui la confier transmet des données à la police ou à la justice.
POLICE_JUSTICE_KINDS = (OrganisationKind.POLICE, OrganisationKind.GENDARMERIE, OrganisationKind.TRIBUNAL)


def sharing_purpose(signalement, operator):
    """La finalité du consentement qu'exige une mesure confiée à cet opérateur : police et justice, autre
    association ; None si l'opérateur ne reçoit pas de données d'une autre finalité (aucun, la Miprof, l'organisation
    déclarante, un service de l'État pour un droit)."""
    if operator is None:
        return None
    if operator.kind in POLICE_JUSTICE_KINDS:
        return ConsentPurpose.POLICE_JUSTICE
    if operator.kind == OrganisationKind.ASSOCIATION and operator.pk != signalement.organisation_id:
        return ConsentPurpose.ASSOCIATION
    return None


def is_foreign_national(signalement):
    """Personne étrangère au sens du CESEDA (001:1586, 001:1615-1626) : au moins une nationalité connue et aucune
    n'est française. Un·e binational·e français·e est français·e ; une nationalité inconnue ne se présume pas."""
    nationalities = list(signalement.nationalities)
    return bool(nationalities) and "FR" not in nationalities


def others(signalement, measure, kind):
    queryset = Measure.objects.filter(signalement=signalement, kind=kind)
    return queryset.exclude(pk=measure.pk) if measure.pk else queryset


def has_complaint_or_testimony(signalement):
    return (
        signalement.complaint_status == ComplaintStatus.FILED
        or signalement.measures.filter(kind=K.COMPLAINT, status__in=COMPLAINT_FILED).exists()
    )


def is_engaged_in_psp(signalement):
    return signalement.measures.filter(kind=K.PSP, status__in=RUNNING).exists()


def holds_psp_agrement(organisation, departement, on):
    """L'agrément PSP de CE département (un agrément d'un autre département ne vaut pas)."""
    return (
        organisation.kind == OrganisationKind.ASSOCIATION
        and departement is not None
        and organisation.habilitations.filter(kind=HabilitationKind.PSP, territory=departement, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exists()
    )


def rule_errors(signalement, measure):
    """Les règles de droit de la mesure (domaine §11.4) : {champ: [messages]}, vide si tout est respecté."""
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    kind = measure.kind
    if kind not in K.values:
        add("kind", "Choisissez une mesure.")
        return errors
    if signalement.is_minor and kind in NOT_FOR_MINORS:
        add("kind", NOT_FOR_MINORS[kind])
        return errors
    if kind == K.GUARDIANSHIP and not signalement.is_minor:
        add("kind", "La tutelle ou l'administrateur·rice ad hoc ne concerne qu'une personne mineure.")
        return errors
    if kind in DATED_ON_GRANT and not is_foreign_national(signalement):
        add("kind", NOT_FOREIGN)
        return errors
    if kind == K.INTERPRETING:
        if measure.interpreter_language not in Language.values:
            add("interpreter_language", "Choisissez la langue de l'interprétariat dans la liste.")
        if not measure.interpreter_service:
            add(
                "interpreter_service",
                "Indiquez le service d'interprétariat (un organisme, jamais le nom de l'interprète).",
            )
    elif kind == K.REFLECTION_PERIOD:
        if others(signalement, measure, kind).live().exists():
            add("kind", "Le délai de réflexion n'est pas renouvelable : ce dossier en a déjà un.")
    elif kind == K.PERMIT_L425_1:
        if not has_complaint_or_testimony(signalement):
            add("kind", "La carte L425-1 suppose une plainte ou un témoignage : enregistrez-les d'abord.")
        if not measure.links_with_exploiters_broken:
            add(
                "links_with_exploiters_broken",
                "La carte L425-1 suppose que tout lien avec les exploiteurs soit rompu.",
            )
        previous = others(signalement, measure, kind).filter(status__in=[S.GRANTED, S.ONGOING, S.ENDED])
        if previous.exists() and not measure.proceedings_ongoing:
            add(
                "proceedings_ongoing",
                "La carte L425-1 ne se renouvelle que tant que la procédure pénale est en cours.",
            )
    elif kind == K.PERMIT_L425_3:
        if not measure.has_final_conviction:
            add("has_final_conviction", "La carte de résident L425-3 suppose la condamnation définitive de l'auteur.")
        if not has_complaint_or_testimony(signalement):
            add("kind", "La carte de résident L425-3 suppose que la personne ait porté plainte ou témoigné.")
    elif kind == K.PERMIT_L425_4:
        if not signalement.exploitation_forms.filter(code=SEXUAL_EXPLOITATION).exists():
            add("kind", "Le titre L425-4 est réservé aux victimes d'exploitation sexuelle.")
        if has_complaint_or_testimony(signalement):
            add(
                "kind",
                "Le titre L425-4 concerne les victimes qui ne coopèrent pas avec la justice : avec une plainte ou un "
                "témoignage, demandez la carte L425-1.",
            )
        if not is_engaged_in_psp(signalement):
            add("kind", "Le titre L425-4 suppose un parcours de sortie de la prostitution accordé ou en cours.")
    elif kind == K.PERMIT_L435_1:
        if has_complaint_or_testimony(signalement):
            add(
                "kind",
                "Le titre L435-1 concerne les victimes qui ne coopèrent pas avec la justice : avec une plainte ou un "
                "témoignage, demandez la carte L425-1.",
            )
        if measure.non_cooperation_reason not in NonCooperationReason.values:
            add(
                "non_cooperation_reason",
                "Le titre L435-1 suppose une non-coopération par crainte de représailles, ou un motif humanitaire : "
                "précisez le motif.",
            )
    elif kind == K.PSP:
        departement = signalement.responsible_departement
        if measure.proposed_by is None:
            add("proposed_by", "Indiquez l'association agréée qui propose le parcours.")
        elif not holds_psp_agrement(measure.proposed_by, departement, timezone.localdate()):
            add(
                "proposed_by",
                f"Seule une association titulaire de l'agrément PSP du département {departement} peut proposer "
                "un parcours de sortie de la prostitution.",
            )
    elif kind == K.ANONYMOUS_TESTIMONY and not signalement.procedures.exists():
        add(
            "kind",
            "Le témoignage anonyme (art. 706-58 CPP) se demande dans une procédure : enregistrez d'abord la "
            "procédure judiciaire du dossier.",
        )
    for field, messages in service_address_errors(measure).items():
        for message in messages:
            add(field, message)
    # L'asile n'est jamais subordonné à une plainte ni à un titre de séjour (domaine §11.4) : aucune condition.
    return errors


#: Auprès de qui le domicile est élu -> les sortes d'organisation opératrices qui conviennent (aucune : un·e avocat·e).
SERVICE_ADDRESS_OPERATORS = {
    ServiceAddressKind.ASSOCIATION: (OrganisationKind.ASSOCIATION,),
    ServiceAddressKind.POLICE: (OrganisationKind.POLICE, OrganisationKind.GENDARMERIE),
}


def service_address_errors(measure):
    """L'élection de domicile (art. 706-40-1 CPP) : auprès de qui, et l'adresse (scellée) ; aucune autre mesure n'a
    d'adresse."""
    errors = {}
    measure.service_address = (measure.service_address or "").strip()
    if measure.kind != K.ADDRESS_FOR_SERVICE:
        if measure.service_address or measure.service_address_kind:
            errors["service_address"] = ["Seule l'élection de domicile porte une adresse."]
        return errors
    if measure.service_address_kind not in ServiceAddressKind.values:
        errors["service_address_kind"] = ["Indiquez auprès de qui la victime élit domicile."]
    if not measure.service_address:
        errors["service_address"] = ["Indiquez l'adresse de l'élection de domicile : elle restera scellée."]
    kinds = SERVICE_ADDRESS_OPERATORS.get(measure.service_address_kind)
    if kinds and measure.operator is not None and measure.operator.kind not in kinds:
        label = ServiceAddressKind(measure.service_address_kind).label.lower()
        errors["operator"] = [f"L'organisation qui la met en œuvre doit être {label}."]
    return errors


def granted_period(kind, starts_on, ends_on):
    """La fin d'une mesure accordée selon sa durée légale ; ValidationError si la fin saisie ne la respecte pas."""
    if kind == K.REFLECTION_PERIOD:
        expected = starts_on + datetime.timedelta(days=29)
        if ends_on is not None and ends_on != expected:
            raise ValidationError(
                {"ends_on": f"Le délai de réflexion dure exactement 30 jours : il se termine le {expected:%d/%m/%Y}."}
            )
        return expected
    if kind in (K.PERMIT_L425_1, K.PERMIT_L425_3):
        years = 1 if kind == K.PERMIT_L425_1 else 10
        expected = add_months(starts_on, 12 * years) - datetime.timedelta(days=1)
        if ends_on is not None and ends_on != expected:
            label = "La carte L425-1 vaut un an" if years == 1 else "La carte de résident L425-3 vaut dix ans"
            raise ValidationError({"ends_on": f"{label} : elle se termine le {expected:%d/%m/%Y}."})
        return expected
    if kind == K.PERMIT_L425_4:
        minimum = add_months(starts_on, 6) - datetime.timedelta(days=1)
        if ends_on is not None and ends_on < minimum:
            raise ValidationError(
                {"ends_on": f"Le titre L425-4 dure au moins six mois : pas de fin avant le {minimum:%d/%m/%Y}."}
            )
        return ends_on or minimum
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin de la mesure doit suivre son début."})
    return ends_on


def _start_follow_up(signalement, by):
    """Le premier acte du parcours fait passer un dossier validé « en suivi »."""
    if lifecycle.allows(signalement, "start_follow_up"):
        apply_transition(signalement, "start_follow_up", by=by)


def _record(signalement, measure, by, **data):
    apply_transition(
        signalement,
        "record_measure",
        by=by,
        data={"measure": str(measure.public_id), "measure_kind": measure.kind, "status": measure.status} | data,
    )


@transaction.atomic
def record_measure(
    *,
    signalement,
    by,
    kind,
    status=S.PROPOSED,
    requested_on=None,
    operator=None,
    proposed_by=None,
    links_with_exploiters_broken=False,
    has_final_conviction=False,
    proceedings_ongoing=False,
    non_cooperation_reason="",
    service_address_kind="",
    service_address="",
    interpreter_language="",
    interpreter_service="",
    comment="",
    override_ground="",
    override_reason="",
):
    """Propose ou demande une mesure pour la victime, si ses conditions légales sont remplies. Confier la mesure à la
    police, la gendarmerie, un tribunal ou une autre association leur transmet des données : le consentement de cette
    finalité est exigé (`sharing_purpose`, `require_consent`)."""
    signalement = lock(signalement)
    require(can_record_measure(by, signalement), "Vous ne pouvez pas enregistrer de mesure sur ce dossier.")
    lifecycle.check(signalement, "record_measure")
    if status not in (S.PROPOSED, S.REQUESTED):
        raise ValidationError({"status": "Une nouvelle mesure est proposée ou demandée."})
    today = timezone.localdate()
    if requested_on is not None and requested_on > today:
        raise ValidationError({"requested_on": "La date de la demande ne peut pas être dans le futur."})
    if kind == K.PSP and proposed_by is None:
        membership = current_membership(by)
        if membership is not None and membership.organisation.kind == OrganisationKind.ASSOCIATION:
            proposed_by = membership.organisation
    measure = Measure(
        signalement=signalement,
        kind=kind,
        status=status,
        requested_on=(requested_on or today) if status == S.REQUESTED else None,
        operator=operator,
        proposed_by=proposed_by,
        legal_basis=LEGAL_BASES.get(kind, ""),
        links_with_exploiters_broken=links_with_exploiters_broken,
        has_final_conviction=has_final_conviction,
        proceedings_ongoing=proceedings_ongoing,
        non_cooperation_reason=non_cooperation_reason or "",
        service_address_kind=service_address_kind or "",
        service_address=service_address or "",
        interpreter_language=interpreter_language or "",
        interpreter_service=(interpreter_service or "").strip(),
        comment=(comment or "").strip(),
        recorded_by=by,
    )
    errors = operator_errors(signalement, operator) | rule_errors(signalement, measure)
    if errors:
        raise ValidationError(errors)
    purpose = sharing_purpose(signalement, operator)
    if purpose is not None:
        require_consent(
            signalement=signalement,
            purpose=purpose,
            by=by,
            override_ground=override_ground,
            override_reason=override_reason,
        )
    measure.is_renewal = others(signalement, measure, kind).filter(status__in=[S.GRANTED, S.ONGOING, S.ENDED]).exists()
    measure.save()
    _record(signalement, measure, by)
    _start_follow_up(signalement, by)
    return measure


@transaction.atomic
def change_measure_status(*, measure, by, action, on=None, ends_on=None):
    """Fait avancer une mesure d'un état à l'autre (`TRANSITIONS`) : verrou, vérification de l'état, règles de droit
    revérifiées à l'octroi, dates légales calculées, ligne au journal."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError("Action inconnue sur une mesure.")
    signalement = lock(measure.signalement)
    measure = Measure.objects.select_for_update(of=("self",)).select_related("proposed_by").get(pk=measure.pk)
    require(can_record_measure(by, signalement), "Vous ne pouvez pas modifier les mesures de ce dossier.")
    lifecycle.check(signalement, "update_measure")
    if measure.status not in transition.sources:
        raise ValidationError(
            f"Impossible : la mesure est à l'état « {measure.get_status_display()} », "
            f"elle ne peut pas passer à « {transition.label} »."
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "La date ne peut pas être dans le futur."})
    previous = measure.status
    measure.status = transition.target
    if transition.target == S.REQUESTED:
        measure.requested_on = on
    elif transition.target in (S.GRANTED, S.REFUSED, S.NO_FOLLOW_UP):
        measure.decided_on = on
    if transition.target == S.GRANTED:
        errors = rule_errors(signalement, measure)
        if errors:
            raise ValidationError(errors)
        if measure.kind in DATED_ON_GRANT:
            measure.starts_on = on
            measure.ends_on = granted_period(measure.kind, on, ends_on)
    elif transition.target == S.ONGOING:
        measure.starts_on = measure.starts_on or on
        if ends_on is not None:
            measure.ends_on = granted_period(measure.kind, measure.starts_on, ends_on)
    elif transition.target == S.ENDED:
        if measure.starts_on is not None and on < measure.starts_on:
            raise ValidationError({"on": "La fin de la mesure doit suivre son début."})
        measure.starts_on = measure.starts_on or on
        measure.ends_on = on
    measure.save()
    apply_transition(
        signalement,
        "update_measure",
        by=by,
        data={
            "measure": str(measure.public_id),
            "measure_kind": measure.kind,
            "from": previous,
            "status": measure.status,
        },
    )
    _start_follow_up(signalement, by)
    return measure


def open_rights_measures(*, signalement, decision, by):
    """La prise en charge validée ouvre les droits à l'hébergement et aux soins : deux mesures accordées le jour de
    la décision (dans la transaction de `decisions.decide`, dont l'événement « Prise en charge validée » les porte)."""
    on = timezone.localtime(decision.decided_at).date()
    opened = []
    for kind, has_right in ((K.SHELTER, decision.has_shelter_right), (K.HEALTH_CARE, decision.has_health_care_right)):
        if not has_right:
            continue
        measure = Measure.objects.create(
            signalement=signalement,
            kind=kind,
            status=S.GRANTED,
            decided_on=on,
            legal_basis=f"{LEGAL_BASES[kind]} du {on:%d/%m/%Y}",
            recorded_by=by,
        )
        opened.append(measure)
    return opened


def visible_measure(signalement, public_id):
    return signalement.measures.filter(public_id=public_id).first()


#: Rappel de la fin du délai de réflexion : 5 jours ouvrés du territoire avant (le temps de préparer la suite).
REFLECTION_REMINDER_WORKING_DAYS = 5
#: Rappel du renouvellement d'un titre de séjour : deux mois avant l'échéance (la demande se fait dans ce délai).
PERMIT_RENEWAL_NOTICE_DAYS = 60
REMINDER_TITLES = {
    MeasureReminderKind.REFLECTION_PERIOD_ENDING: "fin prochaine du délai de réflexion, suite à préparer",
    MeasureReminderKind.PERMIT_RENEWAL: "titre de séjour à renouveler",
}


def reminder_kind_due(measure, today):
    """Le rappel dû aujourd'hui pour cette mesure, ou None. Le délai de réflexion se compte en jours ouvrés du
    département du dossier ; les titres de séjour en jours calendaires."""
    if measure.ends_on is None or measure.ends_on < today or measure.status not in RUNNING:
        return None
    if measure.kind == K.REFLECTION_PERIOD:
        territory = measure.signalement.responsible_departement
        remaining = (
            working_days_between(territory, today, measure.ends_on)
            if territory is not None
            else (measure.ends_on - today).days
        )
        return MeasureReminderKind.REFLECTION_PERIOD_ENDING if remaining <= REFLECTION_REMINDER_WORKING_DAYS else None
    if measure.kind in PERMITS and (measure.ends_on - today).days <= PERMIT_RENEWAL_NOTICE_DAYS:
        renewed = (
            Measure.objects.live()
            .filter(signalement_id=measure.signalement_id, kind=measure.kind, recorded_at__gt=measure.recorded_at)
            .exists()
        )
        return None if renewed else MeasureReminderKind.PERMIT_RENEWAL
    return None


def send_measure_reminders(today=None):
    """Tâche beat quotidienne : un rappel par échéance de mesure, une fois et une seule (`MeasureReminderLog`).
    Renvoie le nombre de rappels envoyés."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=PERMIT_RENEWAL_NOTICE_DAYS)
    ids = list(
        Measure.objects.running()
        .filter(kind__in=DATED_ON_GRANT, ends_on__gte=today, ends_on__lte=horizon)
        .values_list("pk", flat=True)[:1000]
    )
    return sum(_send_measure_reminder(measure_id, today) for measure_id in ids)


@transaction.atomic
def _send_measure_reminder(measure_id, today):
    measure = (
        Measure.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("signalement__departement", "signalement__competent_departement", "signalement__organisation")
        .filter(pk=measure_id)
        .first()
    )
    kind = reminder_kind_due(measure, today) if measure is not None else None
    if kind is None or MeasureReminderLog.objects.filter(measure=measure, kind=kind, due_on=measure.ends_on).exists():
        return 0
    signalement = measure.signalement
    people = recipients.filing_organisation(signalement)
    MeasureReminderLog.objects.create(measure=measure, kind=kind, due_on=measure.ends_on, recipients_count=len(people))
    notices.notify(
        people,
        template="orientation_measure_deadline",
        action=REMINDER_TITLES[kind],
        signalement=signalement,
        path=f"{notices.case_path(signalement)}#mesure-{measure.public_id}",
    )
    return 1
