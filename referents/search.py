"""Recherche dans l'annuaire : plein texte PostgreSQL (français, sans accents, racinisation) et filtres.

Le vecteur `DirectoryEntry.search_vector` est une colonne générée indexée (GIN), racinisée avec et sans accents
(voir `referents.models.SEARCH_CONFIG`) : « exploitée » trouve « exploitation », « prefecture » « préfecture ».
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef

from referents.models import SEARCH_CONFIG, STEM_CONFIG, DirectoryEntry

_WORDS = re.compile(r"[\w'’-]+", re.UNICODE)


def text_query(q):
    """Chaque mot doit être trouvé, avec ou sans ses accents : (french(m1) | mniop_french(m1)) & (… m2 …)."""
    query = None
    for word in _WORDS.findall(q)[:12]:
        either = SearchQuery(word, config=STEM_CONFIG) | SearchQuery(word, config=SEARCH_CONFIG)
        query = either if query is None else query & either
    return query


def search_entries(entries, *, q="", territory=None, category="", theme="", speciality="", language=""):
    """Filtre un QuerySet de fiches (déjà borné par `visible_to`) ; trié par pertinence quand `q` est donné."""
    if territory is not None:
        through = DirectoryEntry.territories.through
        entries = entries.filter(
            Exists(through.objects.filter(directoryentry_id=OuterRef("pk"), territory_id=territory.pk))
        )
    if category:
        entries = entries.filter(category=category)
    if theme:
        entries = entries.filter(themes__contains=[theme])
    if speciality:
        entries = entries.filter(specialities__contains=[speciality])
    if language:
        entries = entries.filter(languages__contains=[language])
    query = text_query(q or "")
    if query is None:
        return entries.order_by("main_territory__code", "category", "title", "pk")
    return (
        entries.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title", "pk")
    )


def group_by_territory(entries):
    """[(territoire principal, [fiches])] dans l'ordre du premier résultat de chaque territoire."""
    groups = {}
    for entry in entries:
        groups.setdefault(entry.main_territory, []).append(entry)
    return list(groups.items())
