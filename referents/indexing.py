"""Les textes indexés d'une fiche de l'annuaire (colonne générée `search_vector`, voir `DirectoryEntry`) : ce que
la recherche plein texte de `directory/search.py` interroge. Ils vivent avec le modèle, en bas : les services de
l'annuaire les tiennent à chaque écriture, `update_organisation` les recalcule quand une organisation change de nom.
"""

from referents.enums import Language, ReferentCategory, Speciality, Theme
from referents.models import DirectoryEntry

#: Chaque fiche de l'annuaire est un contact de la lutte contre la traite : « traite » ou « TEH » dans une recherche
#: n'en écarte aucune (« traite Lyon » trouve toutes les fiches du Rhône, l'OFII compris).
DOMAIN_TERMS = "traite des êtres humains TEH"


def search_texts(*, entry, organisation, territories):
    """Les deux textes indexés : noms (poids A) et termes (poids B). Tenus à jour à chaque écriture."""
    names = [entry.title, organisation.name, entry.holder_name, entry.deputy_name]
    terms = [
        DOMAIN_TERMS,
        ReferentCategory(entry.category).label,
        *(Theme(value).label for value in entry.themes),
        *(Speciality(value).label for value in entry.specialities),
        *(Language(value).label for value in entry.languages),
        *(f"{territory.name} {territory.code}" for territory in territories),
        entry.description,
    ]
    return " ".join(filter(None, names)), " ".join(filter(None, terms))


def refresh_search_texts(*, organisation):
    """Après le renommage d'une organisation : recalcule les textes indexés de ses fiches (nom de l'organisation)."""
    entries = list(
        DirectoryEntry.objects.filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related("territories")
    )
    for entry in entries:
        entry.search_names, entry.search_terms = search_texts(
            entry=entry, organisation=organisation, territories=list(entry.territories.all())
        )
    DirectoryEntry.objects.bulk_update(entries, ["search_names", "search_terms"], batch_size=500)
    return len(entries)
