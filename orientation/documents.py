"""L'attestation de décision (prise en charge) en PDF, par WeasyPrint, sans aucun accès réseau ; téléchargée par un
lien signé qui expire (`TimestampSigner`).

Elle nomme l'autorité qui l'émet (l'autorité départementale et la fonction de qui a décidé, jamais son nom) et porte
un code de vérification (`Decision.verification_code`, tiré au hasard) et son QR code : la page publique
`/verifier-une-attestation/<code>/` dit seulement si l'attestation est valide, révoquée ou inconnue, et sa date."""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from mniop.pdf import render_document
from mniop.time_zones import current_zone_name
from orientation.models import Decision
from orientation.models.triage import normalise_verification_code

LETTER_SALT = "orientation.decision_letter"
#: Durée de validité d'un lien d'attestation, en secondes.
LETTER_LINK_MAX_AGE = getattr(settings, "ORIENTATION_LETTER_LINK_MAX_AGE", 15 * 60)


def letter_token(decision, user):
    """Le lien est lié à la personne à qui la page du dossier l'a donné : signé avec son identifiant public."""
    return signing.TimestampSigner(salt=LETTER_SALT).sign(f"{decision.public_id}:{user.public_id}")


def letter_url(decision, user):
    return reverse("orientation:decision_letter", args=[letter_token(decision, user)])


def letter_from_token(token, max_age=None):
    """(identifiant public de la décision, identifiant public de la personne), ou None si le lien est faux, a expiré,
    ou n'est lié à personne (ancien format)."""
    try:
        value = signing.TimestampSigner(salt=LETTER_SALT).unsign(
            token, max_age=LETTER_LINK_MAX_AGE if max_age is None else max_age
        )
    except signing.BadSignature:
        return None
    decision_id, _, user_id = value.partition(":")
    return (decision_id, user_id) if user_id else None


def issuing_authority(decision):
    """(autorité, fonction de qui a décidé) : « Autorité départementale de Paris (75) » et, par exemple,
    « Valideur·se départemental·e, Préfecture de Paris » ; jamais le nom de la personne."""
    departement = decision.departement
    authority = f"Autorité départementale de {departement.name} ({departement.code})"
    if not decision.decided_by_role:
        return authority, ""
    function = decision.get_decided_by_role_display()
    if decision.decided_by_organisation is not None:
        function = f"{function}, {decision.decided_by_organisation.name}"
    return authority, function


def verification_url(decision):
    """L'adresse absolue de la page publique de vérification de cette attestation (celle du QR code)."""
    path = reverse("orientation:attestation_verify", args=[decision.verification_code])
    return settings.SITE_URL.rstrip("/") + path


def verification_qr_code(url):
    """Le QR code de l'adresse de vérification, en image SVG (URI `data:`, lue sans réseau par le rendu PDF)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def render_decision_letter(decision):
    """Le PDF : référence, décision, date, autorité qui l'émet, droits ouverts, code et QR code de vérification.
    Jamais le récit ni l'identité."""
    authority, function = issuing_authority(decision)
    url = verification_url(decision)
    return render_document(
        "pdf/orientation/decision_letter.html",
        {
            "decision": decision,
            "signalement": decision.signalement,
            "authority": authority,
            "function": function,
            "verification_url": url,
            "verification_qr_code": verification_qr_code(url),
            "generated_at": timezone.localtime(),
            "time_zone_name": current_zone_name(),
        },
        stylesheets=["pdf/decision_letter.css"],
    )


VALID, REVOKED, UNKNOWN = "valid", "revoked", "unknown"


@dataclass(frozen=True)
class AttestationStatus:
    """Ce que la page publique peut dire d'un code : l'état et des dates, rien du dossier."""

    status: str
    issued_on: object = None
    revoked_on: object = None
    decision_public_id: str = ""


def attestation_status(code):
    """Valide : la décision est la dernière de son dossier ; révoquée : une décision plus récente (réexamen,
    réorientation) l'a remplacée ; inconnue : aucun code ne correspond (ou le code est mal formé)."""
    code = normalise_verification_code(code)
    decision = Decision.objects.filter(verification_code=code).only("pk", "public_id", "signalement_id", "decided_at")
    decision = decision.first() if code else None
    if decision is None:
        return AttestationStatus(UNKNOWN)
    later = (
        Decision.objects.filter(signalement_id=decision.signalement_id, decided_at__gt=decision.decided_at)
        .order_by("decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    return AttestationStatus(
        REVOKED if later else VALID,
        issued_on=timezone.localdate(decision.decided_at),
        revoked_on=timezone.localdate(later) if later else None,
        decision_public_id=str(decision.public_id),
    )
