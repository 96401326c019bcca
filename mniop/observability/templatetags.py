"""`{% load observability %}{% current_request_id as reference %}` : l'identifiant de la requête en cours, pour les
pages d'erreur (même la page 500, que Django rend sans contexte)."""

from django import template

from mniop.observability.context import current_request_id as _current_request_id

register = template.Library()


@register.simple_tag
def current_request_id():
    return _current_request_id()
