"""Échanges de fiches : export CSV (même format que l'import), vCard d'une fiche, lecture d'un CSV à importer.

La lecture ne fait qu'analyser : chaque ligne reçoit ses erreurs, en français, avec son numéro ; l'écriture est
`directory.services.import_entries`, qui n'écrit rien si une seule ligne est en erreur.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from mniop.spreadsheet import SafeWriter, restore_cell
from referents.enums import Language, ReferentCategory, Speciality, Theme
from referents.models import DirectoryEntry, Territory

#: (colonne du CSV, champ de la fiche). Les listes (territoires, thématiques…) sont des codes séparés par « | ».
COLUMNS = [
    ("organisation", "organisation"),
    ("categorie", "category"),
    ("intitule", "title"),
    ("territoires", "territories"),
    ("thematiques", "themes"),
    ("specialites", "specialities"),
    ("langues", "languages"),
    ("email_generique", "public_email"),
    ("telephone_generique", "public_phone"),
    ("adresse", "public_address"),
    ("horaires", "public_hours"),
    ("email_reserve", "restricted_email"),
    ("telephone_reserve", "restricted_phone"),
    ("titulaire", "holder_name"),
    ("email_titulaire", "holder_email"),
    ("telephone_titulaire", "holder_phone"),
    ("suppleant", "deputy_name"),
    ("email_suppleant", "deputy_email"),
    ("telephone_suppleant", "deputy_phone"),
    ("astreinte", "on_call_phone"),
    ("publiee", "is_public"),
    ("contact_public", "is_contact_public"),
    ("titulaire_public", "is_holder_public"),
    ("astreinte_publique", "is_on_call_public"),
    ("verifiee_le", "last_verified_on"),
    ("description", "description"),
]
#: Les colonnes de codes et, pour les personnes qui lisent l'export, la colonne de leurs libellés, écrite juste avant
#: elles (« Traite des êtres humains, Proxénétisme » avant « teh|proxenetisme ») ; l'import ignore les libellés.
LABEL_COLUMNS = {
    "categorie": "categorie_libelle",
    "territoires": "territoires_libelles",
    "thematiques": "thematiques_libelles",
    "specialites": "specialites_libelles",
    "langues": "langues_libelles",
}
REQUIRED_COLUMNS = ("organisation", "categorie", "intitule", "territoires")
LIST_FIELDS = {"themes": Theme, "specialities": Speciality, "languages": Language}
BOOLEAN_FIELDS = ("is_public", "is_contact_public", "is_holder_public", "is_on_call_public")
_TRUE, _FALSE = {"oui", "o", "vrai", "1", "x", "yes"}, {"non", "n", "faux", "0", "", "no"}
_SEPARATORS = re.compile(r"[|,\s]+")


def _split(value):
    return [part for part in _SEPARATORS.split(value or "") if part]


# --- Export ---------------------------------------------------------------------------------------------------


def export_header():
    """L'en-tête de l'export : les colonnes de l'import, chaque colonne de codes précédée de ses libellés."""
    header = []
    for column, _ in COLUMNS:
        if column in LABEL_COLUMNS:
            header.append(LABEL_COLUMNS[column])
        header.append(column)
    return header


def _labels(enum, codes):
    return ", ".join(str(enum(code).label) if code in enum.values else code for code in codes)


def entry_row(entry):
    """Une ligne du CSV ; `entry.territories` doit être préchargé (prefetch_related)."""
    values = []
    for _, name in COLUMNS:
        if name == "organisation":
            value = entry.organisation.name
        elif name == "category":
            values.append(_labels(ReferentCategory, [entry.category]))
            value = entry.category
        elif name == "territories":
            territories = sorted(entry.territories.all(), key=lambda territory: territory.code)
            values.append(", ".join(str(territory) for territory in territories))
            value = "|".join(territory.code for territory in territories)
        elif name in LIST_FIELDS:
            values.append(_labels(LIST_FIELDS[name], getattr(entry, name)))
            value = "|".join(getattr(entry, name))
        elif name in BOOLEAN_FIELDS:
            value = "oui" if getattr(entry, name) else "non"
        elif name == "last_verified_on":
            value = entry.last_verified_on.strftime("%d/%m/%Y")
        else:
            value = getattr(entry, name)
        values.append(value)
    return values


def write_csv(entries, stream):
    """Écrit l'en-tête et une ligne par fiche (séparateur « ; », UTF-8 avec BOM pour les tableurs)."""
    stream.write("\ufeff")
    writer = SafeWriter(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(export_header())
    for entry in entries:
        writer.writerow(entry_row(entry))


# --- vCard ----------------------------------------------------------------------------------------------------


def _escape(value):
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def vcard_for(entry):
    """vCard 4.0 (RFC 6350) d'une fiche, pour un professionnel : contacts générique et réservé, astreinte."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:org" if not entry.holder_name else "KIND:individual",
        f"FN:{_escape(entry.holder_name or entry.title)}",
        f"ORG:{_escape(entry.organisation.name)}",
        f"TITLE:{_escape(entry.title)}",
        f"CATEGORIES:{_escape(entry.get_category_display())}",
    ]
    for email, kind in ((entry.public_email, "work"), (entry.restricted_email, "work"), (entry.holder_email, "home")):
        if email:
            lines.append(f"EMAIL;TYPE={kind}:{email}")
    phones = [
        (entry.public_phone, "work,voice"),
        (entry.restricted_phone, "work,voice"),
        (entry.holder_phone, "cell"),
        (entry.on_call_phone, "work,voice"),
    ]
    for phone, kind in phones:
        if phone:
            lines.append(f"TEL;TYPE={kind};VALUE=uri:tel:{phone.replace(' ', '')}")
    if entry.public_address:
        lines.append(f"ADR;TYPE=work:;;{_escape(entry.public_address)};;;;France")
    notes = []
    if entry.on_call_phone:
        notes.append(f"Astreinte 24 h/24 : {entry.on_call_phone}")
    if entry.deputy_name:
        notes.append(f"Suppléant·e : {entry.deputy_name} {entry.deputy_phone}".strip())
    if entry.description:
        notes.append(entry.description)
    if notes:
        lines.append(f"NOTE:{_escape(chr(10).join(notes))}")
    lines.append(f"REV:{entry.last_verified_on:%Y%m%d}")
    lines.append(f"UID:urn:uuid:{entry.public_id}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


# --- Import ---------------------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    organisation: object = None
    territories: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)


@dataclass
class ImportPreview:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    created: int = 0

    @property
    def has_errors(self):
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]


def _decode(content):
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Le fichier doit être encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »).") from None


def _boolean(value, column, errors):
    value = (value or "").strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        errors.append(f"« {column} » : « {value} » n'est ni « oui » ni « non ».")
    return False


def _date(value, errors):
    value = (value or "").strip()
    if not value:
        return timezone.localdate()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if parsed > timezone.localdate():
            errors.append(f"« verifiee_le » : la date {value} est dans le futur.")
        return parsed
    errors.append(f"« verifiee_le » : « {value} » n'est pas une date JJ/MM/AAAA.")
    return date.today()


def _category(value, errors):
    value = (value or "").strip()
    for code, label in ReferentCategory.choices:
        if value.lower() in (code, label.lower()):
            return code
    errors.append(f"« categorie » : « {value} » n'est pas une catégorie de l'annuaire (voir la liste des codes).")
    return ""


def _codes(value, enum, column, errors):
    codes = _split(value)
    unknown = [code for code in codes if code not in enum.values]
    if unknown:
        errors.append(f"« {column} » : code(s) inconnu(s) {', '.join(unknown)}.")
    return [code for code in codes if code in enum.values]


def parse_import(content, *, organisations):
    """Analyse un CSV : renvoie un `ImportPreview` dont chaque ligne porte ses erreurs. N'écrit rien."""
    preview = ImportPreview()
    try:
        text = _decode(content)
    except ValidationError as error:
        preview.file_errors.extend(error.messages)
        return preview
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        preview.file_errors.append(f"Colonne(s) obligatoire(s) absente(s) de l’en-tête : {', '.join(missing)}.")
        return preview
    unknown = [name for name in header if name not in dict(COLUMNS) and name not in LABEL_COLUMNS.values()]
    if unknown:
        preview.file_errors.append(f"Colonne(s) inconnue(s) : {', '.join(unknown)}.")
        return preview

    by_name = {}
    for organisation in organisations:
        by_name.setdefault(organisation.name.lower(), []).append(organisation)
    territories = {territory.code: territory for territory in Territory.objects.all()}
    try:
        for line, raw in enumerate(reader, start=2):
            values = {
                (key or "").strip(): restore_cell((value or "").strip()).strip() for key, value in raw.items() if key
            }
            if not any(values.values()):
                continue
            row = ImportRow(line=line, values=values)
            _parse_row(row, by_name, territories)
            preview.rows.append(row)
    except csv.Error:
        # Un champ au-delà de `csv.field_size_limit()` (131 072 caractères) ou un guillemet jamais refermé.
        preview.file_errors.append(
            f"Ligne {reader.line_num} : un champ est trop long ou mal délimité (guillemet non refermé) ; "
            "vérifiez le fichier."
        )
        return preview
    if not preview.rows:
        preview.file_errors.append("Le fichier ne contient aucune fiche.")
    return preview


def _parse_row(row, by_name, territories):
    values, errors = row.values, row.errors
    matches = by_name.get(values.get("organisation", "").lower(), [])
    if not matches:
        errors.append(
            f"« organisation » : « {values.get('organisation', '')} » est inconnue ou vous n'en gérez pas les fiches."
        )
    elif len(matches) > 1:
        errors.append(f"« organisation » : plusieurs organisations s'appellent « {values['organisation']} ».")
    else:
        row.organisation = matches[0]
    codes = _split(values.get("territoires"))
    if not codes:
        errors.append("« territoires » : indiquez au moins un code de territoire (ex. 75 ou 971).")
    unknown = [code for code in codes if code not in territories]
    if unknown:
        errors.append(f"« territoires » : territoire(s) inconnu(s) {', '.join(unknown)}.")
    row.territories = [territories[code] for code in codes if code in territories]

    fields = {"category": _category(values.get("categorie"), errors)}
    for column, name in COLUMNS:
        if column not in values or name in ("organisation", "category", "territories", "last_verified_on"):
            continue
        if name in LIST_FIELDS:
            fields[name] = _codes(values[column], LIST_FIELDS[name], column, errors)
        elif name in BOOLEAN_FIELDS:
            fields[name] = _boolean(values[column], column, errors)
        else:
            fields[name] = values[column]
    fields["last_verified_on"] = _date(values.get("verifiee_le"), errors)
    row.fields = fields
    if not errors:
        entry = DirectoryEntry(organisation=row.organisation, **fields)
        try:
            entry.full_clean(exclude=["search_vector", "organisation", "main_territory"], validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = DirectoryEntry._meta.get_field(name).verbose_name if name != "__all__" else "fiche"
                errors.extend(f"« {label} » : {message}" for message in messages)
