"""Champs de modèle chiffrés (`mniop.encryption`) : la base ne range que `<clé>:<jeton Fernet>`, Python lit la valeur.

Une colonne chiffrée ne se compare pas en SQL (le jeton change à chaque chiffrement) : seule `isnull` est permise ;
la recherche et les doublons passent par les empreintes HMAC (`signalements/duplicates.py`). La chaîne vide reste
vide (elle ne dit rien de la personne), `None` reste `NULL`. Les copies de django-pghistory héritent du champ : le
déclencheur y recopie le texte chiffré, jamais la valeur en clair.
"""

import datetime

from django.core.exceptions import FieldError
from django.db import models

from mniop.encryption import keyring

ALLOWED_LOOKUPS = {"isnull"}


class EncryptedMixin:
    """Chiffre à l'écriture, déchiffre à la lecture. `to_text` / `from_text` passent du type Python au texte."""

    def db_type(self, connection):
        return "text"

    def rel_db_type(self, connection):
        return "text"

    def cast_db_type(self, connection):
        return "text"

    def to_text(self, value):
        return str(value)

    def from_text(self, text):
        return text

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return keyring().encrypt(self.to_text(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return self.empty_value(value)
        return self.from_text(keyring().decrypt(value))

    def empty_value(self, value):
        return value

    def get_lookup(self, lookup_name):
        if lookup_name not in ALLOWED_LOOKUPS:
            raise FieldError(f"Le champ chiffré « {self.name} » ne se compare pas en SQL ({lookup_name}).")
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedMixin, models.CharField):
    """Un texte court chiffré ; `max_length` s'applique au texte en clair (formulaires, validation)."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Un texte libre chiffré."""


class EncryptedDateField(EncryptedMixin, models.DateField):
    """Une date chiffrée (rangée au format ISO avant chiffrement)."""

    def to_text(self, value):
        return value.isoformat()

    def from_text(self, text):
        return datetime.date.fromisoformat(text)

    def empty_value(self, value):
        return None
