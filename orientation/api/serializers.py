"""Sérialiseurs de l'API de l'orientation : ce qu'elle rend (dossier, files, mesures, orientations, places) et ce
qu'elle reçoit. Les entrées valident la forme (codes des listes de référence, identifiants publics, types) et
donnent aux services les mêmes arguments que les formulaires des pages ; les règles restent dans les services."""

import uuid

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orientation.enums import (
    AttachmentKind,
    ChildProtectionAnswerKind,
    DecisionKind,
    MeasureKind,
    MeasureStatus,
    NonCooperationReason,
    PlaceKind,
    ProcedureStage,
    RedirectTarget,
    ServiceAddressKind,
    UrgentMeasureKind,
)
from orientation.forms import measure_operators, miprof_people
from orientation.models import (
    CaseAttachment,
    Clock,
    Decision,
    Measure,
    Procedure,
    Referral,
    ShelterCapacity,
    ShelterProfile,
    UrgentMeasure,
)
from orientation.permissions import can_see_location, can_see_service_address
from orientation.services import closure as closure_services
from orientation.services import triage as triage_services
from orientation.services.measures import TRANSITIONS as MEASURE_TRANSITIONS
from orientation.services.procedures import procedure_authorities
from referents.enums import Language, OrganisationKind
from referents.models import DirectoryEntry, Organisation
from signalements.api.serializers import departement_field, reference_field
from signalements.enums import CompensationPayer, CompensationStatus, ConsentOverrideGround, ReferenceCategory
from signalements.models import Signalement


def nullable(field_class, source, help_text):
    """Un champ lu sur un objet lié facultatif : `null` quand il manque (et déclaré tel dans le schéma)."""
    return field_class(source=source, default=None, allow_null=True, read_only=True, help_text=help_text)


class OrientationClockSerializer(serializers.ModelSerializer):
    territory = serializers.CharField(source="territory.code", help_text="Code INSEE du territoire du délai.")
    is_overdue = serializers.BooleanField(help_text="Échéance dépassée (délai en cours).")

    class Meta:
        model = Clock
        fields = ["step", "territory", "working_days", "started_at", "due_at", "paused_at", "stopped_at", "is_overdue"]


class OrientationDecisionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", help_text="Identifiant public de la décision.")
    departement = serializers.CharField(source="departement.code", help_text="Département qui a décidé.")
    reason = nullable(serializers.CharField, "reason.code", "Code du motif de non-validation.")
    redirected_to = nullable(
        serializers.CharField, "redirected_to.code", "Code INSEE du département de réorientation."
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "reason",
            "departement",
            "redirect_target",
            "redirected_to",
            "has_shelter_right",
            "has_health_care_right",
            "is_reconsideration",
            "decided_at",
        ]


class OrientationUrgentMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = UrgentMeasure
        fields = ["kind", "started_on", "requested_by_police", "recorded_at"]


class OrientationQueueItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", help_text="Identifiant public du signalement.")
    departement = nullable(serializers.CharField, "departement.code", "Code INSEE du département du signalement.")
    competent_departement = nullable(
        serializers.CharField, "competent_departement.code", "Code INSEE du département compétent."
    )
    next_due_at = serializers.DateTimeField(help_text="Prochaine échéance ouverte.", allow_null=True)
    is_overdue = serializers.BooleanField(help_text="Échéance dépassée.")

    class Meta:
        model = Signalement
        fields = [
            "id",
            "reference",
            "status",
            "urgent",
            "submitted_at",
            "departement",
            "competent_departement",
            "next_due_at",
            "is_overdue",
        ]


class OrientationCaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", help_text="Identifiant public du signalement.")
    departement = nullable(serializers.CharField, "departement.code", "Code INSEE du département du signalement.")
    competent_departement = nullable(
        serializers.CharField, "competent_departement.code", "Code INSEE du département compétent."
    )
    clocks = OrientationClockSerializer(many=True, read_only=True)
    decisions = OrientationDecisionSerializer(many=True, read_only=True)
    urgent_measures = OrientationUrgentMeasureSerializer(many=True, read_only=True)

    class Meta:
        model = Signalement
        fields = [
            "id",
            "reference",
            "status",
            "victim_status",
            "urgent",
            "submitted_at",
            "departement",
            "competent_departement",
            "clocks",
            "decisions",
            "urgent_measures",
        ]


# --- Entrées des actions sur un dossier ---------------------------------------------------------------------------


class PublicIdField(serializers.SlugRelatedField):
    """Un objet désigné par son identifiant public (UUID), parmi ceux que `queryset` permet."""

    def __init__(self, *, unknown_message, **kwargs):
        super().__init__(slug_field="public_id", **kwargs)
        self.error_messages["does_not_exist"] = unknown_message
        self.error_messages["invalid"] = "Indiquez un identifiant public (UUID)."

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


def text_field(help_text, *, required=False, blank_message=None, **kwargs):
    """Un texte libre ; facultatif, il vaut "" quand il manque (comme un champ vide du formulaire)."""
    field_kwargs = {"required": required, "allow_blank": not required, "help_text": help_text, **kwargs}
    if not required:
        field_kwargs["default"] = ""
    field = serializers.CharField(**field_kwargs)
    if blank_message:
        field.error_messages["required"] = field.error_messages["blank"] = blank_message
    return field


class CaseStartTriageInputSerializer(serializers.Serializer):
    """Aucune saisie."""


class CaseAssignInputSerializer(serializers.Serializer):
    assigned_to = PublicIdField(
        queryset=miprof_people(),
        unknown_message="Aucune personne active de la Miprof ne porte cet identifiant.",
        help_text="Identifiant public de l'agent·e de la Miprof.",
    )


class CaseQualifyInputSerializer(serializers.Serializer):
    exploitation_forms = reference_field(
        ReferenceCategory.EXPLOITATION_FORM, many=True, required=False, help_text="Codes des formes d'exploitation."
    )
    is_minor_presumed = serializers.BooleanField(required=False, default=False, help_text="Présumé mineur.")
    competent_departement = departement_field(
        required=False, allow_null=True, default=None, help_text="Code INSEE du département compétent."
    )

    def validate(self, attrs):
        return {"exploitation_forms": [], **attrs}


class CaseRequestInformationInputSerializer(serializers.Serializer):
    question = text_field("Question à l'organisation déclarante.")


class CaseCloseAsDuplicateInputSerializer(serializers.Serializer):
    original_reference = text_field("Référence du signalement original (MNIOP-…).", max_length=20)


class CaseCloseOutOfScopeInputSerializer(serializers.Serializer):
    reason = reference_field(
        ReferenceCategory.OUT_OF_SCOPE_REASON, help_text="Code du motif hors champ (liste de référence)."
    )
    comment = text_field("La clôture expliquée en quelques mots.", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = triage_services.OUT_OF_SCOPE_REASON_REQUIRED
        self.fields["reason"].error_messages["null"] = triage_services.OUT_OF_SCOPE_REASON_REQUIRED
        for key in ("required", "blank"):
            self.fields["comment"].error_messages[key] = triage_services.CLOSURE_COMMENT_REQUIRED


class CaseForwardInputSerializer(serializers.Serializer):
    departement = departement_field(
        required=False, allow_null=True, default=None, help_text="Code INSEE ; à défaut, le département qualifié."
    )


class CaseDecideInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=DecisionKind.choices, required=False, allow_blank=True, default="", help_text="La décision."
    )
    reason = reference_field(
        ReferenceCategory.NON_VALIDATION_REASON,
        required=False,
        allow_null=True,
        default=None,
        help_text="Code du motif de non-validation.",
    )
    comment = text_field("Commentaire (obligatoire pour une non-validation).")
    redirect_target = serializers.ChoiceField(
        choices=RedirectTarget.choices, required=False, allow_blank=True, default="", help_text="Réorienté vers."
    )
    redirected_to = departement_field(
        required=False, allow_null=True, default=None, help_text="Code INSEE du département de réorientation."
    )


class CaseRequestReconsiderationInputSerializer(serializers.Serializer):
    motive = text_field("Motifs de la demande de réexamen.")


class CaseRecordUrgentMeasureInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UrgentMeasureKind.choices, help_text="La mesure urgente.")
    started_on = serializers.DateField(help_text="Date de la mesure.")
    requested_by_police = serializers.BooleanField(
        required=False, default=False, help_text="À la demande des forces de l'ordre."
    )


class CaseCloseInputSerializer(serializers.Serializer):
    reason = reference_field(ReferenceCategory.CASE_CLOSURE_REASON, help_text="Code du motif de clôture du dossier.")
    comment = text_field("Commentaire.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in ("required", "null"):
            self.fields["reason"].error_messages[key] = closure_services.CASE_CLOSURE_REASON_REQUIRED


class CaseReopenInputSerializer(serializers.Serializer):
    reason = text_field(
        "Motif de la réouverture.", required=True, blank_message=closure_services.REOPEN_REASON_REQUIRED
    )


class CaseActivateAcseOnTheSpotInputSerializer(serializers.Serializer):
    started_on = serializers.DateField(help_text="Date de l'activation d'Ac.Sé sur place.")


class CaseAnswerChildProtectionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ChildProtectionAnswerKind.choices, help_text="La réponse de l'ASE / CRIP ou du parquet."
    )
    decided_on = serializers.DateField(required=False, default=None, help_text="Date de la décision (aujourd'hui).")
    comment = text_field("Commentaire.")


class CaseEntrustToChildProtectionInputSerializer(serializers.Serializer):
    """Aucune saisie : il faut une réponse de prise en charge, de placement ou d'OPP."""


#: Pour chaque action de `orientation.case_actions.ACTIONS` (segment d'URL) : son sérialiseur d'entrée et le verbe
#: anglais de son `operationId` (`cases_<verbe>`).
ACTION_INPUTS = {
    "commencer": (CaseStartTriageInputSerializer, "start_triage"),
    "attribuer": (CaseAssignInputSerializer, "assign"),
    "qualifier": (CaseQualifyInputSerializer, "qualify"),
    "complement": (CaseRequestInformationInputSerializer, "request_information"),
    "doublon": (CaseCloseAsDuplicateInputSerializer, "close_as_duplicate"),
    "hors-champ": (CaseCloseOutOfScopeInputSerializer, "close_out_of_scope"),
    "transmettre": (CaseForwardInputSerializer, "forward"),
    "decider": (CaseDecideInputSerializer, "decide"),
    "reexamen": (CaseRequestReconsiderationInputSerializer, "request_reconsideration"),
    "mesure-urgente": (CaseRecordUrgentMeasureInputSerializer, "record_urgent_measure"),
    "acse-sur-place": (CaseActivateAcseOnTheSpotInputSerializer, "activate_acse_on_the_spot"),
    "cloturer": (CaseCloseInputSerializer, "close"),
    "reponse-mineurs": (CaseAnswerChildProtectionInputSerializer, "answer_child_protection"),
    "confier-protection-enfance": (CaseEntrustToChildProtectionInputSerializer, "entrust_to_child_protection"),
    "rouvrir": (CaseReopenInputSerializer, "reopen"),
}


# --- Files ------------------------------------------------------------------------------------------------------


class QueueFilterSerializer(serializers.Serializer):
    """Les filtres d'une file (paramètres de la requête)."""

    reference = serializers.CharField(required=False, max_length=20, help_text="Recherche par référence exacte.")
    status = serializers.ChoiceField(
        choices=[], required=False, help_text="État (par défaut : les états en cours de la file)."
    )
    departement = departement_field(required=False, help_text="Code INSEE du département.")
    exploitation_form = reference_field(
        ReferenceCategory.EXPLOITATION_FORM, required=False, help_text="Code de la forme d'exploitation."
    )
    is_minor = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Mineurs (true) ou majeurs et âge inconnu (false)."
    )
    entry_channel = reference_field(
        ReferenceCategory.ENTRY_CHANNEL, required=False, help_text="Code du canal d'entrée."
    )
    assigned_to = PublicIdField(
        queryset=miprof_people(),
        required=False,
        unknown_message="Aucune personne active de la Miprof ne porte cet identifiant.",
        help_text="Identifiant public de l'agent·e de la Miprof en charge (file Miprof).",
    )
    is_overdue = serializers.BooleanField(required=False, default=False, help_text="Échéance dépassée seulement.")

    def __init__(self, *args, statuses=(), departements=None, with_agent=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status.value, status.label) for status in statuses]
        if departements is not None:
            self.fields["departement"].queryset = departements
        if not with_agent:
            del self.fields["assigned_to"]

    def queue_filters(self):
        """Les filtres dans la forme que lit `orientation.queues.filter_queue` (celle du formulaire des pages)."""
        data = self.validated_data
        minor = data.get("is_minor")
        return {
            "reference": data.get("reference", ""),
            "statut": data.get("status", ""),
            "departement": data.get("departement"),
            "forme": data.get("exploitation_form"),
            "mineur": "" if minor is None else ("oui" if minor else "non"),
            "canal": data.get("entry_channel"),
            "agent": data.get("assigned_to"),
            "en_retard": data.get("is_overdue", False),
        }


# --- Mesures du parcours ------------------------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Identifiant public de la mesure.")
    status_label = serializers.CharField(source="get_status_display", read_only=True, help_text="État, en clair.")
    operator = nullable(serializers.UUIDField, "operator.public_id", "Organisation qui la met en œuvre.")
    proposed_by = nullable(serializers.UUIDField, "proposed_by.public_id", "Association qui propose (PSP).")
    service_address = serializers.SerializerMethodField(
        help_text="Adresse de l'élection de domicile (scellée) : pour l'organisation auprès de qui le domicile est "
        "élu et le parquet du dossier ; sinon `null`."
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "kind",
            "status",
            "status_label",
            "requested_on",
            "decided_on",
            "starts_on",
            "ends_on",
            "operator",
            "proposed_by",
            "legal_basis",
            "is_renewal",
            "service_address_kind",
            "service_address",
            "interpreter_language",
            "interpreter_service",
            "recorded_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_service_address(self, measure):
        request = self.context.get("request")
        if request is None or not can_see_service_address(request.user, measure):
            return None
        return measure.service_address


#: Les états d'une nouvelle mesure, et ceux où une transition la mène (noms d'énumérations du schéma).
NEW_MEASURE_STATUSES = [(MeasureStatus.PROPOSED.value, "Proposée"), (MeasureStatus.REQUESTED.value, "Demandée")]
MEASURE_TARGET_STATUSES = [(transition.target.value, transition.label) for transition in MEASURE_TRANSITIONS.values()]
#: L'état visé par une transition de mesure -> le nom de la transition (`orientation.services.measures`).
MEASURE_ACTION_BY_TARGET = {transition.target: name for name, transition in MEASURE_TRANSITIONS.items()}


class ConsentOverrideInputSerializer(serializers.Serializer):
    """Partager sans le consentement de la finalité, là où la loi le permet (facultatif : exigé seulement si le
    consentement manque)."""

    override_ground = serializers.ChoiceField(
        choices=ConsentOverrideGround.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Sans consentement de la personne pour cette finalité : le fondement légal (mineur, danger pour la "
        "vie).",
    )
    override_reason = text_field("Motif du partage sans consentement (inscrit au journal).", max_length=1000)


class MeasureCreateInputSerializer(ConsentOverrideInputSerializer):
    """Une mesure proposée ou demandée, avec les conditions légales déclarées (le service les vérifie)."""

    kind = serializers.ChoiceField(choices=MeasureKind.choices, help_text="La mesure.")
    status = serializers.ChoiceField(
        choices=NEW_MEASURE_STATUSES,
        required=False,
        default=MeasureStatus.PROPOSED,
        help_text="Proposée (par défaut) ou demandée.",
    )
    requested_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Date de la demande (par défaut : aujourd'hui)."
    )
    operator = PublicIdField(
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        unknown_message="Cette organisation ne peut pas mettre en œuvre une mesure de ce dossier.",
        help_text="Identifiant public de l'organisation qui la met en œuvre (jamais une structure d'hébergement).",
    )
    proposed_by = PublicIdField(
        queryset=Organisation.objects.active().filter(kind=OrganisationKind.ASSOCIATION),
        required=False,
        allow_null=True,
        default=None,
        unknown_message="Aucune association active ne porte cet identifiant.",
        help_text="Association qui propose un parcours de sortie de la prostitution (par défaut : la vôtre).",
    )
    links_with_exploiters_broken = serializers.BooleanField(
        required=False, default=False, help_text="Tout lien avec les exploiteurs est rompu."
    )
    has_final_conviction = serializers.BooleanField(
        required=False, default=False, help_text="L'auteur a été définitivement condamné."
    )
    proceedings_ongoing = serializers.BooleanField(
        required=False, default=False, help_text="La procédure pénale est en cours."
    )
    non_cooperation_reason = serializers.ChoiceField(
        choices=NonCooperationReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Motif de non-coopération (art. L435-1).",
    )
    service_address_kind = serializers.ChoiceField(
        choices=ServiceAddressKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Élection de domicile (art. 706-40-1 CPP) : auprès de qui.",
    )
    service_address = text_field(
        "Élection de domicile : l'adresse, scellée (jamais rendue sauf à l'organisation auprès de qui le domicile "
        "est élu et au parquet du dossier).",
        max_length=300,
    )
    interpreter_language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Interprétariat : la langue (code ISO 639).",
    )
    interpreter_service = text_field(
        "Interprétariat : le service d'interprètes (un organisme, jamais le nom de l'interprète).", max_length=200
    )
    comment = text_field("Commentaire.")

    def __init__(self, *args, signalement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if signalement is not None:
            self.fields["operator"].queryset = measure_operators(signalement)


class MeasureStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=MEASURE_TARGET_STATUSES,
        help_text="Le nouvel état de la mesure.",
    )
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Date du changement (par défaut : aujourd'hui)."
    )
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Fin (calculée selon la durée légale pour le délai de réflexion et les titres).",
    )

    def service_arguments(self):
        data = self.validated_data
        return {"action": MEASURE_ACTION_BY_TARGET[data["status"]], "on": data["on"], "ends_on": data["ends_on"]}


# --- Orientations vers un hébergement -----------------------------------------------------------------------------


class ReferralLocationSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="La structure d'hébergement.")
    address = serializers.CharField(help_text="Son adresse (scellée).")


class ReferralSerializer(serializers.ModelSerializer):
    """Une orientation. Le lieu (`location`) n'est donné qu'à la structure qui accueille et à la coordination
    Ac.Sé ; pour tous les autres, il vaut `null` (lieu scellé)."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Identifiant public de l'orientation.")
    case = serializers.UUIDField(source="signalement.public_id", read_only=True, help_text="Le dossier.")
    reference = serializers.CharField(source="signalement.reference", read_only=True, help_text="Sa référence.")
    status_label = serializers.CharField(source="get_status_display", read_only=True, help_text="État, en clair.")
    location = serializers.SerializerMethodField(help_text="Le lieu, pour qui peut le lire ; sinon `null`.")
    refusal_reason = nullable(serializers.CharField, "refusal_reason.code", "Code du motif du refus.")
    departure_reason = nullable(serializers.CharField, "departure_reason.code", "Code du motif du départ.")
    answer_comment = serializers.CharField(
        read_only=True, help_text="Précision d'un refus ou motif d'un renvoi par la coordination Ac.Sé ; vide sinon."
    )
    cancel_reason = serializers.CharField(
        read_only=True,
        help_text="Pourquoi l'orientation a été annulée (consentement retiré, dossier clos, circuit des mineurs…) ; "
        "vide sinon.",
    )
    interpreter_language = serializers.CharField(
        read_only=True, help_text="Langue de l'interprète organisé·e (règle de langue levée) ; vide sinon."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "reference",
            "channel",
            "status",
            "status_label",
            "place_kind",
            "location",
            "requested_at",
            "hold_expires_at",
            "answered_at",
            "refusal_reason",
            "answer_comment",
            "cancel_reason",
            "interpreter_language",
            "arrived_at",
            "departed_at",
            "departure_reason",
        ]

    @extend_schema_field(ReferralLocationSerializer(allow_null=True))
    def get_location(self, referral):
        user = self.context["request"].user
        if referral.shelter_id is None or not can_see_location(user, referral):
            return None
        return {"name": referral.shelter.organisation.name, "address": referral.shelter.sealed_address}


class InterpreterInputSerializer(serializers.Serializer):
    """Lever la règle de langue : un·e interprète organisé·e (les deux champs, ou aucun)."""

    interpreter_language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Langue de l'interprète organisé·e : lève la règle « aucune langue commune » (inscrit au journal).",
    )
    interpreter_service = text_field(
        "Service d'interprétariat organisé (jamais le nom d'une personne) ; requis avec la langue.", max_length=200
    )


class ReferralCreateInputSerializer(InterpreterInputSerializer, ConsentOverrideInputSerializer):
    shelter = PublicIdField(
        queryset=ShelterProfile.objects.select_related("organisation"),
        required=False,
        allow_null=True,
        default=None,
        unknown_message="Aucune structure d'hébergement ne porte cet identifiant.",
        help_text="Identifiant public du profil de la structure (orientation directe).",
    )
    place_kind = serializers.ChoiceField(
        choices=PlaceKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Type de place (par défaut : le mieux adapté).",
    )
    via_acse = serializers.BooleanField(
        required=False, default=False, help_text="Adresser à la coordination Ac.Sé, qui confiera l'orientation."
    )
    safety_notes = text_field("Consignes de sécurité pour la structure.", max_length=500)


class AcsePartnerInputSerializer(serializers.Serializer):
    """La structure partenaire Ac.Sé choisie par la coordination, et le type de place."""

    shelter = PublicIdField(
        queryset=ShelterProfile.objects.filter(is_acse_partner=True).select_related("organisation"),
        unknown_message="Aucune structure partenaire du dispositif Ac.Sé ne porte cet identifiant.",
        help_text="Identifiant public du profil de la structure partenaire.",
    )
    place_kind = serializers.ChoiceField(
        choices=PlaceKind.choices, required=False, allow_blank=True, default="", help_text="Type de place."
    )


class ReferralDispatchInputSerializer(AcsePartnerInputSerializer, InterpreterInputSerializer):
    """Confier à une partenaire ; un·e interprète organisé·e lève la règle de langue."""


class ReferralAnswerInputSerializer(serializers.Serializer):
    """Accepter, confirmer l'arrivée : aucune saisie."""


def refusal_reason_field():
    return reference_field(
        ReferenceCategory.REFERRAL_REFUSAL_REASON,
        required=False,
        allow_null=True,
        default=None,
        help_text="Code du motif du refus (la même liste pour une structure et pour la coordination Ac.Sé).",
    )


class ReferralRefuseInputSerializer(serializers.Serializer):
    reason = refusal_reason_field()
    comment = text_field("Précision du refus (facultative), sans récit ni identité.", max_length=2000)


class ReferralAcseRefuseInputSerializer(serializers.Serializer):
    reason = refusal_reason_field()
    comment = text_field("Précision du refus (obligatoire), sans récit ni identité.", max_length=2000)


class ReferralReturnInputSerializer(serializers.Serializer):
    reason = text_field("Motif du renvoi à l'émetteur (obligatoire), sans récit ni identité.", max_length=2000)


class DistancingWaiverInputSerializer(AcsePartnerInputSerializer):
    reason = text_field("Motif du placement hors règle d'éloignement (obligatoire).", max_length=2000)


class DistancingWaiverRejectInputSerializer(serializers.Serializer):
    reason = text_field("Motif du rejet (obligatoire).", max_length=2000)


class ReferralDepartureInputSerializer(serializers.Serializer):
    reason = reference_field(
        ReferenceCategory.DEPARTURE_REASON,
        required=False,
        allow_null=True,
        default=None,
        help_text="Code du motif du départ.",
    )


# --- Places d'une structure d'hébergement ---------------------------------------------------------------------------


class ShelterCapacitySerializer(serializers.ModelSerializer):
    place_kind_label = serializers.CharField(source="get_place_kind_display", help_text="Type de places, en clair.")
    free = serializers.IntegerField(help_text="Places libres.")

    class Meta:
        model = ShelterCapacity
        fields = ["place_kind", "place_kind_label", "declared", "occupied", "held", "free", "updated_at"]


class ShelterCapacityInputSerializer(serializers.Serializer):
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices, help_text="Type de places.")
    declared = serializers.IntegerField(min_value=0, max_value=999, help_text="Places déclarées.")
    occupied = serializers.IntegerField(
        min_value=0,
        max_value=999,
        required=False,
        allow_null=True,
        default=None,
        help_text="Places occupées hors plateforme ; absent : le nombre tenu par la plateforme.",
    )


# --- Procédures judiciaires ---------------------------------------------------------------------------------------


class ProcedureSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Identifiant public de la procédure.")
    authority_entry = nullable(
        serializers.UUIDField, "authority_entry.public_id", "Fiche de l'annuaire du service ou de la juridiction."
    )
    authority = serializers.CharField(read_only=True, help_text="Le service ou la juridiction, en clair.")
    stage_label = serializers.CharField(source="get_stage_display", read_only=True, help_text="Stade, en clair.")

    class Meta:
        model = Procedure
        fields = [
            "id",
            "authority_entry",
            "authority_name",
            "authority",
            "reference",
            "is_civil_party",
            "civil_party_on",
            "stage",
            "stage_label",
            "stage_on",
            "compensation_status",
            "compensation_payer",
            "compensation_requested_amount",
            "compensation_granted_amount",
            "recorded_at",
            "updated_at",
        ]


def amount_field(help_text):
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        coerce_to_string=True,
        help_text=help_text,
    )


class ProcedureInputSerializer(serializers.Serializer):
    """Une procédure judiciaire : la fiche de l'annuaire ou le nom du service ou de la juridiction, et le reste ; en
    mise à jour (PATCH), seuls les champs donnés changent. Les règles sont celles du service."""

    authority_entry = PublicIdField(
        queryset=DirectoryEntry.objects.none(),
        required=False,
        allow_null=True,
        unknown_message="Cette fiche de l'annuaire n'est ni un parquet, ni un service enquêteur actif.",
        help_text="Identifiant public de la fiche de l'annuaire (parquet, magistrat·e référent·e, service enquêteur).",
    )
    authority_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Ou le nom du service ou de la juridiction."
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Référence de la procédure (parquet, PV)."
    )
    is_civil_party = serializers.BooleanField(required=False, help_text="La victime est partie civile.")
    civil_party_on = serializers.DateField(
        required=False, allow_null=True, help_text="Date de la constitution de partie civile."
    )
    stage = serializers.ChoiceField(choices=ProcedureStage.choices, required=False, help_text="Stade de la procédure.")
    stage_on = serializers.DateField(
        required=False, allow_null=True, help_text="Date du stade (exigée : condamnation, relaxe, classement)."
    )
    compensation_status = serializers.ChoiceField(
        choices=CompensationStatus.choices, required=False, help_text="Indemnisation."
    )
    compensation_payer = serializers.ChoiceField(
        choices=CompensationPayer.choices,
        required=False,
        allow_blank=True,
        help_text="Qui paie l'indemnisation accordée.",
    )
    compensation_requested_amount = amount_field("Montant demandé, en euros.")
    compensation_granted_amount = amount_field("Montant accordé, en euros.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority_entry"].queryset = procedure_authorities()


class CaseAttachmentSerializer(serializers.ModelSerializer):
    """Un document joint au dossier : son type, son empreinte et le verdict de l'antivirus ; ni son nom d'origine
    ni son contenu (le contenu se télécharge à part, une fois le document sain)."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Identifiant public du document.")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, help_text="Type, en clair.")
    scan_status_label = serializers.CharField(
        source="get_scan_status_display", read_only=True, help_text="Analyse antivirus, en clair."
    )
    uploaded_by_organisation = serializers.CharField(
        source="uploaded_by_organisation.name",
        read_only=True,
        default="",
        help_text="Organisation qui a joint le document.",
    )
    is_downloadable = serializers.BooleanField(
        read_only=True, help_text="Vrai quand l'antivirus l'a déclaré sain : son contenu se télécharge."
    )

    class Meta:
        model = CaseAttachment
        fields = [
            "id",
            "kind",
            "kind_label",
            "content_type",
            "size",
            "sha256",
            "scan_status",
            "scan_status_label",
            "is_downloadable",
            "uploaded_by_organisation",
            "uploaded_at",
        ]
        extra_kwargs = {
            "kind": {"help_text": "Type de document."},
            "content_type": {"help_text": "Type reconnu par le contenu (PDF, JPEG ou PNG)."},
            "size": {"help_text": "Taille en octets."},
            "sha256": {"help_text": "Empreinte SHA-256 du contenu."},
            "scan_status": {"help_text": "Analyse antivirus : en cours, sain, infecté (refusé), erreur d'analyse."},
            "uploaded_at": {"help_text": "Date et heure du dépôt."},
        }


class CaseAttachmentInputSerializer(serializers.Serializer):
    """Joindre un document (multipart/form-data) : son type et le fichier ; le type du fichier (reconnu par son
    contenu), sa taille et l'antivirus sont vérifiés par le service, comme sur la page."""

    kind = serializers.ChoiceField(choices=AttachmentKind.choices, help_text="Type de document.")
    file = serializers.FileField(help_text="Le fichier : PDF, JPEG ou PNG, 10 Mo au plus.")
