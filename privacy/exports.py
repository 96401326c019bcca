"""Le droit d'accès de la personne (RGPD, art. 15) : tout ce que la plateforme garde sur elle, y compris **qui a
consulté son dossier et quand** (le journal d'accès). Une seule source, `access_export`, deux formes : le JSON pour
le ou la délégué·e à la protection des données, le PDF remis à la personne.

Le lieu d'hébergement reste scellé : l'export dit qu'une orientation a eu lieu, jamais où."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.models import AccessLog
from mniop.pdf import render_document
from privacy.models import RightsRequest
from signalements.models import Signalement
from signalements.presentation import consent_line, signalement_groups

#: Les champs d'identité et de contact, montrés en tête de l'export.
IDENTITY_FIELDS = [
    "pseudonym",
    "first_name",
    "last_name",
    "aliases",
    "birth_date",
    "estimated_age",
    "sex",
    "phone",
    "address",
]


def _when(value):
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def related_public_ids(signalement):
    """Les identifiants publics que le journal d'accès inscrit pour ce dossier : le signalement et ses objets."""
    ids = [str(signalement.public_id)]
    for manager in ("information_requests", "referrals", "measures", "decisions", "rights_requests", "attachments"):
        related = getattr(signalement, manager, None)
        if related is not None:
            ids += [str(public_id) for public_id in related.values_list("public_id", flat=True)]
    return ids


def accesses(signalement):
    """Chaque ligne du journal d'accès qui touche le dossier : qui (personne, organisation, rôle), quand, quoi."""
    rows = (
        AccessLog.objects.filter(object_id__in=related_public_ids(signalement))
        .select_related("user", "organisation")
        .order_by("at", "id")
    )
    return [
        {
            "at": _when(row.at),
            "person": row.user.get_full_name() if row.user else "",
            "organisation": row.organisation.name if row.organisation else "",
            "role": row.role,
            "action": row.get_action_display(),
            "view": row.view_name,
        }
        for row in rows
    ]


def access_export(signalement):
    """Tout ce que la plateforme garde sur la personne de ce dossier, en valeurs lisibles (français)."""
    signalement = Signalement.objects.select_related("organisation").get(pk=signalement.pk)
    identity = {
        str(Signalement._meta.get_field(name).verbose_name): (
            str(getattr(signalement, f"get_{name}_display")()) if name == "sex" else getattr(signalement, name)
        )
        for name in IDENTITY_FIELDS
    }
    return {
        "generated_at": _when(timezone.now()),
        "reference": signalement.reference,
        "public_id": str(signalement.public_id),
        "status": signalement.get_status_display(),
        "filing_organisation": signalement.organisation.name,
        "submitted_at": _when(signalement.submitted_at),
        "identity": identity,
        "account": signalement.account,
        "content": [
            {"group": title, "fields": [{"label": label, "values": values} for label, values in rows]}
            for title, rows in signalement_groups(signalement)
        ],
        "consents": [
            {"purpose": consent.get_purpose_display(), "state": consent_line(consent)}
            for consent in signalement.consents.all()
        ],
        "shared_without_consent": [
            {
                "at": _when(override.decided_at),
                "purpose": override.get_purpose_display(),
                "ground": override.get_ground_display(),
                "reason": override.reason,
            }
            for override in signalement.consent_overrides.all()
        ],
        "journal": [
            {
                "at": _when(event.at),
                "event": event.get_kind_display(),
                "organisation": event.organisation.name if event.organisation else "",
            }
            for event in signalement.events.select_related("organisation").order_by("at", "id")
        ],
        "information_requests": [
            {"asked_at": _when(request.requested_at), "question": request.question, "answer": request.answer}
            for request in signalement.information_requests.all()
        ],
        "referrals": [
            {"requested_at": _when(referral.requested_at), "status": referral.get_status_display()}
            for referral in signalement.referrals.all()
        ],
        "measures": [
            {"measure": measure.get_kind_display(), "status": measure.get_status_display()}
            for measure in signalement.measures.all()
        ],
        # Les documents joints : la liste (type, date, organisation, taille, analyse), jamais leur contenu.
        "documents": [
            {
                "kind": attachment.get_kind_display(),
                "uploaded_at": _when(attachment.uploaded_at),
                "organisation": attachment.uploaded_by_organisation.name
                if attachment.uploaded_by_organisation
                else "",
                "content_type": attachment.content_type,
                "size": attachment.size,
                "scan": attachment.get_scan_status_display(),
            }
            for attachment in signalement.attachments.select_related("uploaded_by_organisation")
        ],
        "decisions": [
            {"decision": decision.get_kind_display(), "comment": decision.comment}
            for decision in signalement.decisions.all()
        ],
        "rights_requests": [
            {
                "at": _when(request.decided_at),
                "right": request.get_kind_display(),
                "decision": request.get_decision_display(),
                "reason": request.reason,
            }
            for request in RightsRequest.objects.filter(signalement=signalement)
        ],
        "accesses": accesses(signalement),
    }


def access_export_json(signalement):
    return json.dumps(access_export(signalement), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def access_export_pdf(signalement):
    return render_document(
        "pdf/privacy/access_export.html", {"export": access_export(signalement)}, stylesheets=["pdf/receipt.css"]
    )
