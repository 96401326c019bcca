import time

from django import forms
from django.utils.html import format_html


def add_service_errors(form, error):
    """Reporte sur le formulaire les erreurs d'une `ValidationError` levée par un service : chacune à côté de son
    champ quand le formulaire l'a, en tête du formulaire sinon."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


#: Durée pendant laquelle un processus garde les choix d'une liste déroulante (voir `CachedModelChoiceIterator`).
CHOICES_TTL_SECONDS = 60
_choices_cache = {}


class CachedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Les choix d'une liste déroulante lue en base (formes d'exploitation, agents...) gardés une minute par processus.

    Afficher un filtre de file coûtait une requête par liste à chaque page. Les choix affichés peuvent avoir une minute
    de retard sur la base (une valeur de référence ajoutée, un agent arrivé) ; la **validation** d'une valeur envoyée
    lit toujours la base (`ModelChoiceField.to_python`), si bien qu'une valeur retirée n'est jamais acceptée. La clé
    est la requête SQL elle-même : deux listes qui ne montrent pas les mêmes lignes ne partagent jamais leurs choix.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.cached_choices()

    def __len__(self):
        return len(self.cached_choices()) + (1 if self.field.empty_label is not None else 0)

    def cached_choices(self):
        sql, params = self.queryset.query.sql_with_params()
        key = (self.field.to_field_name, type(self.field).label_from_instance, sql, tuple(map(str, params)))
        now = time.monotonic()
        cached = _choices_cache.get(key)
        if cached is None or now - cached[0] > CHOICES_TTL_SECONDS:
            # Les valeurs sont des chaînes, pas des ModelChoiceIteratorValue : rien de la base n'est gardé.
            choices = [(str(value.value), label) for value, label in (self.choice(obj) for obj in self.queryset)]
            cached = _choices_cache[key] = (now, choices)
        return cached[1]


class CachedModelChoiceField(forms.ModelChoiceField):
    iterator = CachedModelChoiceIterator


class ComboboxSelect(forms.Select):
    """Une longue liste à choix unique (pays, langues, départements), que `static/js/combobox.js` transforme en champ
    à saisie assistée ; sans JavaScript, la liste déroulante reste."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-combobox": "", **(attrs or {})}, choices)


class ComboboxSelectMultiple(forms.SelectMultiple):
    """Une longue liste à choix multiples, même amélioration : les valeurs choisies deviennent des étiquettes avec un
    bouton « Retirer ». Sans JavaScript, la liste à sélection multiple reste (Ctrl + clic, `NO_SCRIPT_HINT`)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-combobox": "", "size": 8, **(attrs or {})}, choices)


def no_script_hint(text):
    """Une aide qui ne vaut que sans JavaScript (la liste déroulante de secours) : `combobox.js` la retire."""
    return format_html('<span class="mniop-nojs-hint">{}</span>', text)


NO_SCRIPT_HINT = no_script_hint("Plusieurs choix possibles : Ctrl (ou Cmd) + clic.")
