"""Le lecteur de corps JSON de toute l'API : un objet JSON, sans caractère nul, sinon une erreur 400 en français.

Chaque écriture de l'API attend un objet (`{…}`) : un tableau, une chaîne, un nombre ou `null` en corps ne doivent
atteindre ni un sérialiseur (qui les laisserait passer pour un corps vide) ni un service. PostgreSQL refuse le
caractère nul (U+0000) dans un texte : il est refusé ici, à l'entrée, plutôt qu'en `DataError` (500) à l'écriture.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

NOT_AN_OBJECT = "Le corps de la requête doit être un objet JSON ({{…}}), pas {kind}."
NUL_CHARACTER = "Le corps de la requête contient un caractère nul (\\u0000), refusé dans tout champ."
KINDS = {list: "un tableau", str: "une chaîne", int: "un nombre", float: "un nombre", bool: "un booléen"}


def contains_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


class BodyShapeError(ParseError):
    """Un JSON valide mais refusé : son message en français est gardé tel quel dans le problème."""

    is_body_shape_error = True


class ObjectJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise BodyShapeError(NOT_AN_OBJECT.format(kind=KINDS.get(type(data), "null")))
        if contains_nul(data):
            raise BodyShapeError(NUL_CHARACTER)
        return data
