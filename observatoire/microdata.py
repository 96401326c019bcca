"""Les microdonnées pour la recherche : une ligne par victime, généralisée jusqu'à ce que chaque combinaison de
valeurs apparaisse au moins k fois (k = 11, le seuil du CTDC ; réglage `MNIOP["MICRODATA_K"]`), dans les noms de
champs du standard HTCDS. Toutes les colonnes exportées sont des quasi-identifiants : la k-anonymité vaut pour la
ligne entière.

Généralisation par niveaux (le premier qui ne supprime pas plus de 5 % des lignes est retenu, à défaut le dernier) :

0. année, sexe, tranche d'âge, groupe de nationalités, catégorie Eurostat, zone (hexagone / outre-mer) ;
1. âge en majeur·e / mineur·e, nationalité en France / Union européenne / hors Union européenne / inconnue ;
2. forme en sexuelle / travail / autre ;
3. l'année devient la période entière.

Les lignes dont la combinaison reste rare au dernier niveau retenu sont supprimées et comptées."""

from collections import Counter

from django.conf import settings

from observatoire.enums import AgeBand, EurostatForm, NationalityGroup
from observatoire.models import CaseStatistic
from referents.enums import Zone
from referents.models import Territory
from signalements.enums import Sex

HTCDS_FIELDS = ["yearOfRegistration", "gender", "ageBroad", "citizenship", "typeOfExploitation", "zone"]
MAX_SUPPRESSED_SHARE = 0.05
CHUNK = 20_000

_EU_GROUPS = {NationalityGroup.EU, NationalityGroup.UNKNOWN_EU}
_LABOUR = {EurostatForm.LABOUR}


def _citizenship(group, level):
    if level == 0:
        return group
    if group == NationalityGroup.FRANCE:
        return "france"
    if group in _EU_GROUPS:
        return "eu"
    if group == NationalityGroup.UNKNOWN:
        return "unknown"
    return "non_eu"


def _age(band, level):
    if level == 0:
        return band
    if band == AgeBand.UNKNOWN:
        return "unknown"
    return "minor" if band == AgeBand.UNDER_18 else "adult"


def _form(form, level):
    if level < 2:
        return form
    if form == EurostatForm.SEXUAL:
        return "sexual"
    if form in _LABOUR:
        return "labour"
    return "other"


def generalise(record, level, zones):
    year, sex, band, group, form, departement = record
    return (
        "all" if level >= 3 else str(year),
        sex,
        _age(band, level),
        _citizenship(group, level),
        _form(form, level),
        zones.get(departement, "unknown"),
    )


def k_anonymous_rows(records, k, zones):
    """(niveau retenu, lignes gardées, nombre de lignes supprimées) pour ces fiches."""
    chosen = None
    for level in range(4):
        rows = [generalise(record, level, zones) for record in records]
        counts = Counter(rows)
        kept = [row for row in rows if counts[row] >= k]
        suppressed = len(rows) - len(kept)
        chosen = (level, kept, suppressed)
        if not rows or suppressed <= MAX_SUPPRESSED_SHARE * len(rows):
            break
    return chosen


#: Pour les personnes qui lisent l'export : le libellé français de chaque valeur codée, par colonne HTCDS (valeurs
#: de chaque niveau de généralisation). Chaque colonne codée est précédée à l'export de sa colonne « <nom>_libelle ».
VALUE_LABELS = {
    "gender": dict(Sex.choices),
    "ageBroad": {**dict(AgeBand.choices), "minor": "Mineur·e", "adult": "Majeur·e"},
    "citizenship": {**dict(NationalityGroup.choices), "non_eu": "Hors Union européenne"},
    "typeOfExploitation": dict(EurostatForm.choices),
    "zone": {**dict(Zone.choices), "unknown": "Inconnue"},
}


def with_labels(header, rows):
    """L'en-tête et les lignes, chaque colonne codée précédée de la colonne de ses libellés (le code reste à côté)."""
    labelled = [(index, VALUE_LABELS.get(name)) for index, name in enumerate(header)]
    new_header = []
    for name in header:
        if name in VALUE_LABELS:
            new_header.append(f"{name}_libelle")
        new_header.append(name)
    new_rows = []
    for row in rows:
        new_row = []
        for index, labels in labelled:
            if labels is not None:
                new_row.append(str(labels.get(row[index], row[index])))
            new_row.append(row[index])
        new_rows.append(new_row)
    return new_header, new_rows


def microdata(*, k=None, progress=None):
    """Les microdonnées nationales : (en-tête HTCDS, lignes triées, niveau, lignes supprimées). `progress(fait, total)`
    est appelé pendant la lecture des fiches (la tâche d'export y met à jour son avancement)."""
    k = k or settings.MNIOP.get("MICRODATA_K", 11)
    zones = {
        code: ("outre_mer" if zone == Zone.OUTRE_MER else "hexagone")
        for code, zone in Territory.objects.values_list("code", "zone")
    }
    total = CaseStatistic.objects.count()
    records = []
    for record in CaseStatistic.objects.values_list(
        "year", "sex", "age_band", "nationality_group", "eurostat_form", "departement_code"
    ).iterator(chunk_size=CHUNK):
        records.append(record)
        if progress is not None and len(records) % CHUNK == 0:
            progress(len(records), total)
    level, rows, suppressed = k_anonymous_rows(records, k, zones)
    return HTCDS_FIELDS, sorted(rows), level, suppressed
