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


def letter_token(decision):
    return signing.TimestampSigner(salt=LETTER_SALT).sign(str(decision.public_id))


def letter_url(decision):
    return reverse("orientation:decision_letter", args=[letter_token(decision)])


def decision_id_from_token(token, max_age=None):
    """L'identifiant public de la décision, ou None si le lien est faux ou a expiré."""
    try:
        return signing.TimestampSigner(salt=LETTER_SALT).unsign(
            token, max_age=LETTER_LINK_MAX_AGE if max_age is None else max_age
        )
    except signing.BadSignature:
        return None


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
