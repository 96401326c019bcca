"""Des mots, pas des codes, dans les gabarits : `{{ signalement|displayed:"languages" }}` (« Anglais, Français »),
`{{ consent.notice_language|language_name }}` (« Anglais »). Lecture seule : `signalements.presentation`."""

from django import template

from signalements.iso_codes import languages
from signalements.presentation import display

register = template.Library()


@register.filter
def displayed(signalement, name):
    """La valeur lisible d'un champ du signalement, comme sur le récapitulatif."""
    return display(signalement, name)


@register.filter
def language_name(code):
    """Le nom français d'une langue à partir de son code ISO 639 (le code s'il est inconnu)."""
    return languages().get(code, code)
