"""Recherche dans l'annuaire : plein texte PostgreSQL (français, sans accents, racinisation) et filtres.

Une commune nommée dans la recherche (`referents.communes`) trouve aussi les fiches qui couvrent son département :
« traite Lyon » classe par pertinence les fiches du Rhône (et celles dont le texte dit « Lyon ») ; toutes les
communes de France y sont (`referents/data/communes.csv`, Code officiel géographique de l'Insee).

Les mots du domaine (« traite », « TEH », « victime ») figurent dans presque toutes les fiches : ils ne filtrent pas,
ils classent ; seuls, ils rendent une recherche « trop large » et la page demande de préciser un territoire, une
commune ou une catégorie.

Le vecteur `DirectoryEntry.search_vector` est une colonne générée indexée (GIN), racinisée avec et sans accents
(voir `referents.models.SEARCH_CONFIG`) : « exploitée » trouve « exploitation », « prefecture » « préfecture ».
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, Q

from referents.communes import find_towns, normalise
from referents.models import SEARCH_CONFIG, STEM_CONFIG, DirectoryEntry

_WORDS = re.compile(r"[\w'’-]+", re.UNICODE)

#: Les mots du domaine : presque toutes les fiches de l'annuaire les contiennent (« traite », « TEH », « victime »,
#: « êtres humains »). Ils ne filtrent pas (« traite » seul rendrait tout l'annuaire) mais servent au classement ;
#: une recherche qui n'a qu'eux, sans territoire ni catégorie, est dite trop large (`SearchResult.is_too_broad`).
#: Ils ne sont jamais pris pour des communes.
DOMAIN_WORDS = frozenset(
    {"traite", "traites", "teh", "victime", "victimes", "etre", "etres", "humain", "humains", "trafic", "traffic"}
)


#: Des mots courants d'une recherche qui sont aussi des noms de communes (Force, Hommes, Mer, Y) : jamais des communes.
NOT_TOWNS = DOMAIN_WORDS | {"force", "forces", "forcee", "hommes", "mer", "y"}


def words_of(q):
    return _WORDS.findall(q)[:12]


def text_query(q):
    """Chaque mot doit être trouvé, avec ou sans ses accents : (french(m1) | mniop_french(m1)) & (… m2 …)."""
    return _words_query(words_of(q))


def _either(word):
    return SearchQuery(word, config=STEM_CONFIG) | SearchQuery(word, config=SEARCH_CONFIG)


def _words_query(words, *, any_word=False):
    """Tous les mots (`&`), ou l'un d'eux (`|`, pour le classement)."""
    query = None
    for word in words:
        either = _either(word)
        if query is None:
            query = either
        else:
            query = (query | either) if any_word else (query & either)
    return query


@dataclass(frozen=True)
class ParsedQuery:
    """Une recherche lue : les communes qu'elle nomme, les mots qui filtrent, les mots du domaine (qui classent)."""

    towns: tuple
    words: tuple
    domain_words: tuple

    @classmethod
    def of(cls, q):
        towns, rest = find_towns(words_of(q or ""), not_towns=NOT_TOWNS)
        words = tuple(word for word in rest if normalise(word) not in DOMAIN_WORDS)
        domain_words = tuple(word for word in rest if normalise(word) in DOMAIN_WORDS)
        return cls(towns=tuple(towns), words=words, domain_words=domain_words)

    def ranking_query(self):
        """Une fiche qui contient plus de mots de la recherche (communes et mots du domaine compris) passe devant."""
        town_words = [word for town in self.towns for word in town.words]
        return _words_query([*self.words, *self.domain_words, *town_words], any_word=True)


#: Au-delà de ce nombre de résultats, le tri par pertinence coûte plus qu'il n'aide (une requête aussi large que
#: « exploitation » sur tout le pays) : les résultats sont alors triés par territoire, comme sans texte.
RANK_LIMIT = 2000


@dataclass
class SearchResult:
    entries: object
    count: int
    is_ranked: bool
    #: La recherche n'a que des mots du domaine (« traite »), sans commune, territoire ni catégorie : la page
    #: demande de la préciser.
    is_too_broad: bool = False


def search_directory(entries, **arguments):
    """La recherche de la page : un comptage, puis le tri par pertinence seulement sous RANK_LIMIT résultats."""
    parsed = ParsedQuery.of(arguments.get("q") or "")
    count = search_entries(entries, ranked=False, **arguments).count()
    is_ranked = parsed.ranking_query() is not None and count <= RANK_LIMIT
    is_too_broad = bool(parsed.domain_words) and not (
        parsed.words or parsed.towns or arguments.get("territory") or arguments.get("category")
    )
    return SearchResult(search_entries(entries, ranked=is_ranked, **arguments), count, is_ranked, is_too_broad)


def search_entries(entries, *, q="", territory=None, category="", theme="", speciality="", language="", ranked=True):
    """Filtre un QuerySet de fiches (déjà borné par `visible_to`) ; trié par pertinence quand `q` est donné et
    `ranked`, par territoire principal sinon. Les mots du domaine ne filtrent pas, ils classent."""
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
    parsed = ParsedQuery.of(q)
    for town in parsed.towns:
        entries = entries.filter(_in_town(town))
    query = _words_query(parsed.words)
    if query is not None:
        entries = entries.filter(search_vector=query)
    ranking = parsed.ranking_query()
    if ranking is None or not ranked:
        # Code du territoire principal dénormalisé : l'index `directory_entry_browse` sert ce tri.
        return entries.order_by("main_territory_code", "category", "title", "pk")
    return entries.annotate(rank=SearchRank(F("search_vector"), ranking)).order_by("-rank", "title", "pk")


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
