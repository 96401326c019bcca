"""Doublons possibles : des empreintes à clé secrète (HMAC-SHA256) d'éléments d'identité normalisés.

Deux signalements de la même personne, saisis par deux structures avec des accents, une casse ou un ordre des noms
différents, partagent au moins une empreinte. L'empreinte ne révèle pas l'identité : sans la clé du serveur
(`settings.MNIOP["DUPLICATE_HMAC_KEY"]`), on ne peut pas la recalculer depuis une liste de noms. Seule la Miprof voit
le rapprochement (`can_view_possible_duplicates`) : une structure n'apprend rien des signalements des autres.

Combinaisons (une empreinte chacune), pour le nom et le prénom puis pour chacun des autres noms connus (`aliases`,
un par ligne : une personne connue sous un autre nom est retrouvée) :
- noms + date de naissance ;
- noms + année de naissance + nationalité (une par nationalité) ;
- quand seul un âge estimé est connu : noms + année de naissance estimée (à un an près) + nationalité.
Et le téléphone seul, normalisé en E.164 par `phonenumbers` (`normalise_phone`, région par défaut : la France).
Pas d'empreinte de noms sans nom ni prénom ;
aucune empreinte pour un signalement anonyme.
"""

import hashlib
import hmac
import re
import unicodedata

import phonenumbers
from django.conf import settings

from mniop.roles import NATIONAL_CASE_ROLES, current_role
from signalements.enums import SignalementStatus
from signalements.models import Signalement

#: Version du format des empreintes : la changer impose de recalculer celles des signalements existants.
KEY_VERSION = "v1"
NON_LETTERS = re.compile(r"[^0-9a-z]+")


def hmac_key():
    """La clé secrète des empreintes : `DUPLICATE_HMAC_KEY` (obligatoire en production), sinon dérivée de
    `SECRET_KEY` (développement, tests)."""
    configured = settings.MNIOP.get("DUPLICATE_HMAC_KEY")
    if configured:
        return configured.encode()
    return hashlib.sha256(f"mniop.signalements.duplicates:{settings.SECRET_KEY}".encode()).digest()


def normalise_name(value):
    """Sans accents, en minuscules, la ponctuation (traits d'union, apostrophes) et les espaces réduits à un
    espace : « Ana-María  DE LA Cruz » devient « ana maria de la cruz »."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(NON_LETTERS.sub(" ", ascii_only).split())


def name_tokens(first_name, last_name):
    """Les mots du prénom et du nom, triés : un prénom et un nom inversés donnent la même suite."""
    return " ".join(sorted(f"{normalise_name(first_name)} {normalise_name(last_name)}".split()))


#: Ce qu'un numéro de téléphone saisi peut contenir : des chiffres, « + », des espaces et des séparateurs usuels.
PHONE_CHARACTERS = re.compile(r"^[0-9+\s().\-/]*$")
#: La région d'un numéro saisi sans indicatif : un numéro à dix chiffres commençant par 0 est français.
DEFAULT_PHONE_REGION = "FR"
INVALID_PHONE = (
    "Ce numéro de téléphone n'est pas valide : saisissez un numéro français (06 12 34 56 78) ou un numéro étranger "
    "avec son indicatif (+234 803 123 4567 ou 00 40 721 234 567)."
)


def parse_phone(value):
    """Le numéro lu par `phonenumbers` (région par défaut : la France), ou `None` s'il n'a pas la forme d'un numéro
    possible (longueur, indicatif de pays). La validité fine (plages attribuées) n'est pas exigée : un numéro
    étranger récent ou une plage mal connue des métadonnées ne doit pas bloquer une saisie de terrain."""
    raw = (value or "").strip()
    if not raw or not PHONE_CHARACTERS.match(raw):
        return None
    try:
        number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def phone_error(value):
    """Le message d'erreur en français si `value` n'est pas vide et n'est pas un numéro de téléphone possible."""
    if (value or "").strip() and parse_phone(value) is None:
        return INVALID_PHONE
    return None


def normalise_phone(value):
    """Le numéro au format E.164 : « 06 12 34 56 78 », « +33 6 12-34-56-78 » et « 0033 6 12 34 56 78 » deviennent
    « +33612345678 » ; « +234 803 123 4567 » devient « +2348031234567 ». Vide si le numéro n'est pas possible."""
    number = parse_phone(value)
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def alias_tokens(aliases):
    """Les mots de chaque autre nom connu (un par ligne), triés comme `name_tokens`."""
    return [tokens for line in (aliases or "").splitlines() if (tokens := name_tokens(line, ""))]


def _digest(*parts):
    message = "|".join([KEY_VERSION, *parts]).encode()
    return hmac.new(hmac_key(), message, hashlib.sha256).hexdigest()


def compute_duplicate_keys(signalement):
    """Les empreintes d'un signalement, triées et sans doublon. Jamais l'identité en clair."""
    if signalement.is_anonymous:
        return []
    keys = set()
    phone = normalise_phone(signalement.phone)
    if phone:
        keys.add(_digest("phone", phone))
    names = name_tokens(signalement.first_name, signalement.last_name)
    all_names = {names, *alias_tokens(signalement.aliases)} - {""}
    nationalities = sorted({code.upper() for code in signalement.nationalities or []})
    if signalement.birth_date is not None:
        keys.update(_digest("date", name, signalement.birth_date.isoformat()) for name in all_names)
        years = [signalement.birth_date.year]
    elif signalement.estimated_age is not None and signalement.spotted_on is not None:
        estimated = signalement.spotted_on.year - signalement.estimated_age
        years = [estimated - 1, estimated, estimated + 1]
    else:
        years = []
    for name in all_names:
        for year in years:
            for nationality in nationalities:
                keys.add(_digest("year-nationality", name, str(year), nationality))
    return sorted(keys)


def can_view_possible_duplicates(user):
    """Le rapprochement des doublons est réservé à la Miprof, qui instruit tous les signalements."""
    return current_role(user) in NATIONAL_CASE_ROLES


def possible_duplicates(signalement, *, user):
    """Les autres signalements déposés qui partagent une empreinte, pour la Miprof seulement (aucun sinon)."""
    if not can_view_possible_duplicates(user) or not signalement.duplicate_keys:
        return Signalement.objects.none()
    return (
        Signalement.objects.visible_to(user)
        .exclude(pk=signalement.pk)
        .exclude(status=SignalementStatus.DRAFT)
        .filter(duplicate_keys__overlap=signalement.duplicate_keys)
        .only("public_id", "reference", "submitted_at", "status")
        .order_by("submitted_at", "pk")
    )


def probably_filed_already(signalement):
    """Chercher avant de créer (issue 16) : vrai si un signalement déposé, de n'importe quelle organisation, partage
    une empreinte avec ce brouillon. Seulement un booléen : ni lequel, ni par qui, ni pour qui (l'organisation qui
    rédige ne voit pas les dossiers des autres) ; la Miprof rapproche ensuite les deux (`possible_duplicates`)."""
    keys = compute_duplicate_keys(signalement)
    if not keys:
        return False
    return (
        Signalement.objects.exclude(pk=signalement.pk)
        .exclude(status=SignalementStatus.DRAFT)
        .filter(duplicate_keys__overlap=keys)
        .exists()
    )
