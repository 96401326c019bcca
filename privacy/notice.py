"""La notice d'information remise à la personne, dans les sept langues de la fiche des droits de l'OCRTEH (domaine
§10.2) : français, anglais, espagnol, chinois, ukrainien, roumain, portugais. Elle dit qui est responsable du
traitement (réglage `MNIOP["DATA_CONTROLLER"]`), quelle organisation a enregistré le dossier, à quoi servent les
données, le consentement par finalité et son retrait, la durée de conservation et les droits de la personne.

Comme la fiche des droits (`orientation/rights_sheet.py`) : les textes sont écrits ici en français (les `msgid`),
traduits dans `locale/<langue>/LC_MESSAGES/privacy_notice.po`, compilés par `make messages`. Gabarit :
`templates/pdf/privacy/notice.html`. Aucun élément d'identité de la personne n'y figure."""

import gettext

from django.conf import settings
from django.utils import timezone

from mniop.pdf import render_document
from orientation.rights_sheet import LANGUAGES, N_, MissingCatalog, locale_dir

DOMAIN = "privacy_notice"
LANGUAGE_CODES = [code for code, _ in LANGUAGES]

TITLE = N_("Vos données personnelles")
SUBTITLE = N_("Notice d'information sur le traitement de vos données par le MNIOP")
INTRO = N_(
    "Une association vous a aidé·e et a enregistré votre situation sur le MNIOP, la plateforme de l'État pour la "
    "protection des victimes de traite des êtres humains. Voici ce que nous faisons de vos données, et vos droits."
)
CONTROLLER_TITLE = N_("Qui est responsable de vos données")
CONTROLLER = N_(
    "Le responsable du traitement est : %(controller)s. Votre dossier a été enregistré par : %(organisation)s."
)
PURPOSES_TITLE = N_("À quoi servent vos données")
PURPOSES = N_(
    "À organiser votre protection et votre prise en charge : hébergement, soins, droits. Chaque partage demande "
    "votre accord, pour chaque usage : avec l'autorité du département et une structure d'hébergement ou le "
    "dispositif Ac.Sé ; avec la police, la gendarmerie ou la justice ; avec une autre association ; pour les "
    "statistiques. Sans votre accord, un partage n'est possible que si vous êtes mineur·e ou si votre vie est en "
    "danger ; il est alors inscrit dans votre dossier avec son motif."
)
WITHDRAW_TITLE = N_("Vous pouvez changer d'avis")
WITHDRAW = N_(
    "Vous pouvez retirer votre accord à tout moment, pour un usage ou pour tous, auprès de l'association qui vous "
    "suit. Les partages s'arrêtent ; ce qui a été partagé avant le retrait reste valable."
)
KEEP_TITLE = N_("Combien de temps")
KEEP = N_(
    "Votre identité est effacée %(years)s ans après la fermeture de votre dossier. Seules restent des "
    "informations qui ne permettent pas de vous reconnaître, pour les statistiques."
)
RIGHTS_TITLE = N_("Vos droits")
RIGHTS = N_(
    "Vous pouvez demander une copie de vos données et la liste des personnes qui ont consulté votre dossier, faire "
    "corriger une erreur, vous opposer à un usage ou demander l'effacement de vos données quand la loi le permet. "
    "Écrivez au délégué à la protection des données : %(dpo)s. Vous pouvez aussi adresser une réclamation à la "
    "CNIL (www.cnil.fr)."
)
FOOTER = N_("Notice remise le %(date)s. Gratuit et confidentiel.")


def catalog(language):
    if language == "fr":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, localedir=locale_dir(), languages=[language])
    except FileNotFoundError as error:
        raise MissingCatalog(
            f"Catalogue « {DOMAIN} » non compilé pour « {language} » : lancez `make messages`."
        ) from error


def notice_context(signalement, language):
    translate = catalog(language).gettext
    retention_days = settings.MNIOP["RETENTION"]["CLOSED_CASE_DAYS"]
    sections = [
        (
            CONTROLLER_TITLE,
            CONTROLLER,
            {"controller": settings.MNIOP["DATA_CONTROLLER"], "organisation": signalement.organisation.name},
        ),
        (PURPOSES_TITLE, PURPOSES, {}),
        (WITHDRAW_TITLE, WITHDRAW, {}),
        (KEEP_TITLE, KEEP, {"years": round(retention_days / 365)}),
        (RIGHTS_TITLE, RIGHTS, {"dpo": settings.MNIOP["DPO_CONTACT"]}),
    ]
    return {
        "language": language,
        "title": translate(TITLE),
        "subtitle": translate(SUBTITLE),
        "intro": translate(INTRO),
        "sections": [(translate(title), translate(body) % values) for title, body, values in sections],
        "reference": signalement.reference or "",
        "footer": translate(FOOTER) % {"date": timezone.localdate().strftime("%d/%m/%Y")},
    }


def render_notice(signalement, language):
    return render_document(
        "pdf/privacy/notice.html", notice_context(signalement, language), stylesheets=["pdf/rights_sheet.css"]
    )
