"""Sérialiseurs de l'API d'instruction et de validation. Les entrées des actions sont validées par les mêmes
formulaires que les pages (`orientation.forms`) ; ces sérialiseurs les décrivent dans le schéma OpenAPI."""

from rest_framework import serializers

from orientation.enums import DecisionKind, RedirectTarget, UrgentMeasureKind
from orientation.models import Clock, Decision, UrgentMeasure
from signalements.models import Signalement


class OrientationClockSerializer(serializers.ModelSerializer):
    territory = serializers.CharField(source="territory.code", help_text="Code INSEE du territoire du délai.")
    is_overdue = serializers.BooleanField(help_text="Échéance dépassée (délai en cours).")

    class Meta:
        model = Clock
        fields = ["step", "territory", "working_days", "started_at", "due_at", "paused_at", "stopped_at", "is_overdue"]


class OrientationDecisionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", help_text="Identifiant public de la décision.")
    departement = serializers.CharField(source="departement.code", help_text="Département qui a décidé.")
    reason = serializers.CharField(source="reason.code", default=None, help_text="Code du motif de non-validation.")
    redirected_to = serializers.CharField(source="redirected_to.code", default=None)

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
    departement = serializers.CharField(source="departement.code", default=None)
    competent_departement = serializers.CharField(source="competent_departement.code", default=None)
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


class OrientationQueuePageSerializer(serializers.Serializer):
    results = OrientationQueueItemSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="Curseur de la page suivante (paramètre `apres`).")


class OrientationCaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", help_text="Identifiant public du signalement.")
    departement = serializers.CharField(source="departement.code", default=None)
    competent_departement = serializers.CharField(source="competent_departement.code", default=None)
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


# Entrées des actions (documentation du schéma)


class OrientationAssignInputSerializer(serializers.Serializer):
    assigned_to = serializers.UUIDField(help_text="Identifiant public de l'agent·e de la Miprof.")


class OrientationQualifyInputSerializer(serializers.Serializer):
    exploitation_forms = serializers.ListField(child=serializers.CharField(), help_text="Codes des formes.")
    is_minor_presumed = serializers.BooleanField(required=False)
    competent_departement = serializers.CharField(help_text="Code INSEE du département compétent.")


class OrientationInformationRequestInputSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="Question à l'organisation déclarante.")


class OrientationDuplicateInputSerializer(serializers.Serializer):
    original_reference = serializers.CharField(help_text="Référence du signalement original.")


class OrientationOutOfScopeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Code du motif hors champ.")
    comment = serializers.CharField()


class OrientationForwardInputSerializer(serializers.Serializer):
    departement = serializers.CharField(required=False, help_text="Code INSEE ; à défaut, le département qualifié.")


class OrientationDecisionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    reason = serializers.CharField(required=False, help_text="Code du motif de non-validation.")
    comment = serializers.CharField(required=False)
    redirect_target = serializers.ChoiceField(choices=RedirectTarget.choices, required=False)
    redirected_to = serializers.CharField(required=False, help_text="Code INSEE du département de réorientation.")


class OrientationReconsiderationInputSerializer(serializers.Serializer):
    motive = serializers.CharField(help_text="Motifs de la demande de réexamen.")


class OrientationUrgentMeasureInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UrgentMeasureKind.choices)
    started_on = serializers.DateField()
    requested_by_police = serializers.BooleanField(required=False)


class OrientationCaseCloseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Code du motif de clôture du dossier.")
    comment = serializers.CharField(required=False)


class OrientationCaseReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Motif de la réouverture.")


class OrientationEmptyInputSerializer(serializers.Serializer):
    pass


INPUT_SERIALIZERS = {
    "commencer": OrientationEmptyInputSerializer,
    "attribuer": OrientationAssignInputSerializer,
    "qualifier": OrientationQualifyInputSerializer,
    "complement": OrientationInformationRequestInputSerializer,
    "doublon": OrientationDuplicateInputSerializer,
    "hors-champ": OrientationOutOfScopeInputSerializer,
    "transmettre": OrientationForwardInputSerializer,
    "decider": OrientationDecisionInputSerializer,
    "reexamen": OrientationReconsiderationInputSerializer,
    "mesure-urgente": OrientationUrgentMeasureInputSerializer,
    "cloturer": OrientationCaseCloseInputSerializer,
    "rouvrir": OrientationCaseReopenInputSerializer,
}
