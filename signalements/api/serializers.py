"""Sérialiseurs de l'API des signalements. Ils ne font que la forme : les règles sont dans les services
(`signalements.services.drafts`). Noms des champs en anglais, décrits en français dans le schéma OpenAPI."""

from collections.abc import Mapping

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils.text import capfirst
from rest_framework import serializers

from accounts.api.fields import CodeField, LabelField
from referents.models import Territory
from signalements.enums import ReferenceCategory, SignalementStatus
from signalements.models import AnonymousNotification, ReferenceValue, Signalement
from signalements.permissions import can_read_account
from signalements.presentation import IDENTITY_FIELDS, identity_access
from signalements.services.anonymous_notifications import NOTIFICATION_FIELDS
from signalements.services.drafts import DRAFT_FIELDS, DRAFT_MANY_FIELDS, DRAFT_REFERENCE_FIELDS

#: Les départements d'exploitation : une liste de départements, pas une liste de référence.
DEPARTEMENT_MANY_FIELDS = ("exploitation_departements",)
WRITABLE_FIELDS = sorted(DRAFT_FIELDS | set(DRAFT_MANY_FIELDS) | set(DEPARTEMENT_MANY_FIELDS))
UNKNOWN_FIELD = "Ce champ n'existe pas ou ne se modifie pas par l'API."
NOT_IN_A_NOTIFICATION = "Une notification anonyme ne contient aucune donnée d'identité ni ce champ."
UNKNOWN_CODE = "Le code « {value} » n'existe pas dans cette liste de référence (ou la valeur a été retirée)."
UNKNOWN_DEPARTEMENT = "Le code INSEE « {value} » ne désigne aucun département ni collectivité d'outre-mer."


def reference_field(category, **kwargs):
    queryset = ReferenceValue.objects.active().in_category(category)
    return CodeField(queryset=queryset, unknown_message=UNKNOWN_CODE, **kwargs)


def departement_field(**kwargs):
    return CodeField(queryset=Territory.objects.all(), unknown_message=UNKNOWN_DEPARTEMENT, **kwargs)


class SignalementInputSerializer(serializers.ModelSerializer):
    """Les champs qu'un brouillon accepte. Tous sont facultatifs à la rédaction ; le dépôt vérifie la complétude."""

    class Meta:
        model = Signalement
        fields = WRITABLE_FIELDS

    def to_internal_value(self, data):
        """Un champ inconnu (faute de frappe, champ en lecture seule) est refusé plutôt qu'ignoré en silence."""
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)

    def get_fields(self):
        fields = super().get_fields()
        for name in WRITABLE_FIELDS:
            model_field = Signalement._meta.get_field(name)
            kwargs = {"required": False, "label": capfirst(model_field.verbose_name)}
            if name in DRAFT_REFERENCE_FIELDS:
                fields[name] = reference_field(
                    DRAFT_REFERENCE_FIELDS[name],
                    allow_null=True,
                    help_text=f"{capfirst(model_field.verbose_name)} : code d'une valeur de la liste de référence.",
                    **kwargs,
                )
            elif name in DRAFT_MANY_FIELDS:
                fields[name] = reference_field(
                    DRAFT_MANY_FIELDS[name],
                    many=True,
                    help_text=f"{capfirst(model_field.verbose_name)} : codes de valeurs de la liste de référence.",
                    **kwargs,
                )
            elif name == "departement":
                fields[name] = departement_field(
                    allow_null=True, help_text="Département du signalement : code INSEE (ex. 75, 2A, 971).", **kwargs
                )
            elif name in DEPARTEMENT_MANY_FIELDS:
                fields[name] = departement_field(
                    many=True, help_text=f"{capfirst(model_field.verbose_name)} : codes INSEE.", **kwargs
                )
            elif not fields[name].help_text:
                fields[name].help_text = capfirst(model_field.verbose_name)
        return fields


class SignalementStatusFields(serializers.Serializer):
    """Ce que l'API dit de tout signalement : identifiant, référence, état et dates."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Identifiant public du signalement.")
    reference = serializers.CharField(
        read_only=True, allow_null=True, help_text="Référence MNIOP-<année>-<numéro>, donnée au dépôt."
    )
    status = serializers.CharField(read_only=True, help_text="État du signalement (code).")
    status_label = LabelField(
        labels=dict(SignalementStatus.choices),
        source="status",
        read_only=True,
        help_text="État du signalement, en clair.",
    )
    created_at = serializers.DateTimeField(read_only=True, help_text="Date de création du brouillon.")
    updated_at = serializers.DateTimeField(read_only=True, help_text="Date de la dernière modification.")
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Date du dépôt.")

    STATUS_FIELDS = ["id", "reference", "status", "status_label", "created_at", "updated_at", "submitted_at"]


def codes_attribute(name):
    """L'attribut où `with_codes` range les codes d'une liste à choix multiples."""
    return f"{name}_codes"


def with_codes(queryset):
    """Annote chaque liste à choix multiples par le tableau de ses codes : le détail se lit en une requête."""
    annotations = {}
    for name in [*DRAFT_MANY_FIELDS, *DEPARTEMENT_MANY_FIELDS]:
        through = Signalement._meta.get_field(name).remote_field.through
        target = "territory" if name in DEPARTEMENT_MANY_FIELDS else "referencevalue"
        ordering = [f"{target}__code"] if target == "territory" else [f"{target}__position", f"{target}__label"]
        codes = through.objects.filter(signalement_id=OuterRef("pk")).order_by(*ordering).values(f"{target}__code")
        annotations[codes_attribute(name)] = ArraySubquery(codes)
    return queryset.select_related("departement", *DRAFT_REFERENCE_FIELDS).annotate(**annotations)


def codes_from_values(signalement, values_by_field):
    """Pose sur un signalement qu'on vient d'écrire les codes que `with_codes` aurait lus, à partir des valeurs
    elles-mêmes (celles que le service a enregistrées), dans le même ordre : la réponse n'a pas à relire la ligne."""
    for name in [*DRAFT_MANY_FIELDS, *DEPARTEMENT_MANY_FIELDS]:
        values = values_by_field.get(name) or []
        if name in DEPARTEMENT_MANY_FIELDS:
            ordered = sorted(values, key=lambda territory: territory.code)
        else:
            ordered = sorted(values, key=lambda value: (value.position, value.label))
        setattr(signalement, codes_attribute(name), [value.code for value in ordered])
    return signalement


def carry_read_data(written, read):
    """Reporte sur `written` (relu par le service, verrouillé) les codes et les lignes liées de `read` (lu par
    `with_codes` avant l'écriture), quand l'écriture ne les a pas changés : listes à choix multiples, et chaque
    relation dont la clé est restée la même."""
    for name in [*DRAFT_MANY_FIELDS, *DEPARTEMENT_MANY_FIELDS]:
        setattr(written, codes_attribute(name), getattr(read, codes_attribute(name)))
    for field in Signalement._meta.concrete_fields:
        if field.is_relation and field.is_cached(read) and not field.is_cached(written):
            related = field.get_cached_value(read)
            if getattr(written, field.attname) == (related.pk if related is not None else None):
                field.set_cached_value(written, related)
    return written


class SignalementSerializer(SignalementStatusFields, SignalementInputSerializer):
    """Un signalement tel que l'organisation déclarante le lit : son état, sa référence et son contenu.
    Il lit un signalement annoté par `with_codes`."""

    class Meta(SignalementInputSerializer.Meta):
        fields = SignalementStatusFields.STATUS_FIELDS + WRITABLE_FIELDS

    def to_representation(self, instance):
        """L'identité scellée (`signalements.presentation.identity_access`) et le récit d'accès restreint valent
        `null` pour qui ne peut pas les lire : le même présentateur que les pages décide. Sans requête : scellés."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not identity_access(user, instance).is_open:
            data.update(dict.fromkeys(IDENTITY_FIELDS))
        if user is None or not can_read_account(user, instance):
            data["account"] = None
        return data

    def get_fields(self):
        fields = super().get_fields()
        for name in [*DRAFT_MANY_FIELDS, *DEPARTEMENT_MANY_FIELDS]:
            fields[name] = serializers.ListField(
                child=serializers.CharField(),
                source=codes_attribute(name),
                read_only=True,
                label=fields[name].label,
                help_text=fields[name].help_text,
            )
        return fields


class SignalementSummarySerializer(SignalementStatusFields, serializers.ModelSerializer):
    """Une ligne de la liste des signalements : de quoi suivre leur état, sans leur contenu."""

    urgent = serializers.BooleanField(read_only=True, help_text="Signalement urgent.")

    class Meta:
        model = Signalement
        fields = [*SignalementStatusFields.STATUS_FIELDS, "urgent"]


class AnonymousNotificationInputSerializer(serializers.ModelSerializer):
    """Une notification statistique anonyme : des catégories, aucun élément d'identité (un champ inconnu, un nom ou
    une date de naissance par exemple, est refusé)."""

    class Meta:
        model = AnonymousNotification
        fields = list(NOTIFICATION_FIELDS)

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [NOT_IN_A_NOTIFICATION] for name in unknown})
        return super().to_internal_value(data)

    def get_fields(self):
        fields = super().get_fields()
        fields["exploitation_forms"] = reference_field(
            ReferenceCategory.EXPLOITATION_FORM,
            many=True,
            required=False,
            help_text="Formes d'exploitation : codes de valeurs de la liste de référence.",
        )
        fields["identifying_body"] = reference_field(
            ReferenceCategory.IDENTIFYING_BODY,
            allow_null=True,
            required=False,
            help_text="Organisme ayant procédé à l'identification : code d'une valeur de la liste de référence.",
        )
        fields["departement"] = departement_field(help_text="Département de la notification : code INSEE.")
        return fields


class AnonymousNotificationSerializer(serializers.ModelSerializer):
    """Une notification statistique anonyme telle que l'API la montre (codes, jamais d'identité)."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Identifiant public.")
    exploitation_forms = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Formes d'exploitation (codes)."
    )
    identifying_body = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Organisme ayant procédé à l'identification (code)."
    )
    departement = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="Département (INSEE).")

    class Meta:
        model = AnonymousNotification
        fields = ["id", "created_at", *NOTIFICATION_FIELDS]
        read_only_fields = fields
