"""L'attestation de décision (prise en charge) en PDF, par WeasyPrint, sans aucun accès réseau ; téléchargée par un
lien signé qui expire (`TimestampSigner`)."""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mniop.pdf import render_pdf
from mniop.time_zones import current_zone_name

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


def render_decision_letter(decision):
    """Le PDF : référence, décision, date, autorité, droits ouverts. Jamais le récit ni l'identité."""
    html = render_to_string(
        "pdf/orientation/decision_letter.html",
        {
            "decision": decision,
            "signalement": decision.signalement,
            "generated_at": timezone.localtime(),
            "time_zone_name": current_zone_name(),
        },
    )
    return render_pdf(html)
