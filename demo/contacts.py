"""Coordonnées fictives des organisations : adresse sur un domaine réservé, numéro dans une tranche de fiction.

Les numéros sont pris dans les tranches réservées à la fiction par l'Arcep (01 99 00, 02 61 91, 03 53 01,
04 65 71, 05 36 49), selon la région du premier territoire de l'organisation.
"""

import zlib

from django.utils.text import slugify

ORGANISATION_EMAIL_DOMAIN = "example.org"

#: Tranches de numéros réservées à la fiction par l'Arcep, par grande zone du plan de numérotation.
_PHONE_PREFIX_BY_REGION = {
    "11": "01 99 00",  # Île-de-France
    "24": "02 61 91",
    "28": "02 61 91",
    "52": "02 61 91",
    "53": "02 61 91",
    "27": "03 53 01",
    "32": "03 53 01",
    "44": "03 53 01",
    "84": "04 65 71",
    "93": "04 65 71",
    "94": "04 65 71",
    "75": "05 36 49",
    "76": "05 36 49",
}
FICTION_PHONE_PREFIXES = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49")


def _email_for(name):
    label = slugify(name.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"))[:60].strip("-")
    return f"contact@{label}.{ORGANISATION_EMAIL_DOMAIN}"


def _phone_for(name, region_code):
    prefix = _PHONE_PREFIX_BY_REGION.get(region_code, "01 99 00")
    number = zlib.crc32(name.encode()) % 10_000
    return f"{prefix} {number // 100:02d} {number % 100:02d}"
