"""Les champs d'entrée que toute l'API partage."""

from rest_framework import serializers


class CodeField(serializers.SlugRelatedField):
    """Une valeur de référence, un territoire… désigné par son code ; un code illisible (caractère NUL) est refusé
    avant toute requête à la base."""

    def __init__(self, *, unknown_message, **kwargs):
        super().__init__(slug_field="code", **kwargs)
        self.error_messages["does_not_exist"] = unknown_message
        self.error_messages["invalid"] = "Indiquez un code sous forme de texte."

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class LabelField(serializers.CharField):
    """Le libellé d'un code (`labels` : `dict(Enum.choices)`), lu dans une table, sans appeler
    `get_<champ>_display` pour chaque ligne : DRF inspecte la signature d'une méthode à chaque appel, ce qui coûtait
    plus que tout le reste de la ligne."""

    def __init__(self, *, labels, **kwargs):
        self.labels = labels
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))
