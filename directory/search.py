"""Recherche dans l'annuaire : plein texte PostgreSQL (français, sans accents, racinisation) et filtres.

Une commune nommée dans la recherche (`referents.communes`) trouve aussi les fiches qui couvrent son département :
« traite Lyon » cherche « traite » dans les fiches du Rhône (et celles dont le texte dit « Lyon »).

Le vecteur `DirectoryEntry.search_vector` est une colonne générée indexée (GIN), racinisée avec et sans accents
(voir `referents.models.SEARCH_CONFIG`) : « exploitée » trouve « exploitation », « prefecture » « préfecture ».
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, Q

from referents.communes import find_towns
from referents.models import SEARCH_CONFIG, STEM_CONFIG, DirectoryEntry

_WORDS = re.compile(r"[\w'’-]+", re.UNICODE)


def words_of(q):
    return _WORDS.findall(q)[:12]


def text_query(q):
    """Chaque mot doit être trouvé, avec ou sans ses accents : (french(m1) | mniop_french(m1)) & (… m2 …)."""
    return _words_query(words_of(q))


def _words_query(words):
    query = None
    for word in words:
        either = SearchQuery(word, config=STEM_CONFIG) | SearchQuery(word, config=SEARCH_CONFIG)
        query = either if query is None else query & either
    return query


#: Au-delà de ce nombre de résultats, le tri par pertinence coûte plus qu'il n'aide (une requête aussi large que
#: « exploitation » sur tout le pays) : les résultats sont alors triés par territoire, comme sans texte.
RANK_LIMIT = 2000


@dataclass
class SearchResult:
    entries: object
    count: int
    is_ranked: bool


def search_directory(entries, **arguments):
    """La recherche de la page : un comptage, puis le tri par pertinence seulement sous RANK_LIMIT résultats."""
    count = search_entries(entries, ranked=False, **arguments).count()
    is_ranked = bool(text_query(arguments.get("q") or "")) and count <= RANK_LIMIT
    return SearchResult(search_entries(entries, ranked=is_ranked, **arguments), count, is_ranked)


def search_entries(entries, *, q="", territory=None, category="", theme="", speciality="", language="", ranked=True):
    """Filtre un QuerySet de fiches (déjà borné par `visible_to`) ; trié par pertinence quand `q` est donné et
    `ranked`, par territoire principal sinon."""
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
    towns, rest = find_towns(words_of(q or ""))
    for town in towns:
        entries = entries.filter(_in_town(town))
    query = _words_query(rest)
    if query is not None:
        entries = entries.filter(search_vector=query)
    if query is None or not ranked:
        # Code du territoire principal dénormalisé : l'index `directory_entry_browse` sert ce tri.
        return entries.order_by("main_territory_code", "category", "title", "pk")
    return entries.annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "title", "pk")


def _in_town(town):
    """Les fiches qui couvrent le département de la commune, ou dont le texte la nomme."""
    through = DirectoryEntry.territories.through
    covering = through.objects.filter(directoryentry_id=OuterRef("pk"), territory__code__in=town.departement_codes)
    return Q(Exists(covering)) | Q(search_vector=_words_query(list(town.words)))


def group_by_territory(entries):
    """[(territoire principal, [fiches])] dans l'ordre du premier résultat de chaque territoire."""
    groups = {}
    for entry in entries:
        groups.setdefault(entry.main_territory, []).append(entry)
    return list(groups.items())
