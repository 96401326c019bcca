"""La fiche d'information des droits remise à la victime, dans les sept langues de la fiche de l'OCRTEH (domaine
§10.2) : français, anglais, espagnol, chinois, ukrainien, roumain, portugais.

Les textes sont écrits ici en français (les `msgid`) et traduits dans des catalogues gettext qu'un·e traducteur·rice
modifie sans toucher au code : `locale/<langue>/LC_MESSAGES/rights_sheet.po`. Les `.mo` se compilent au build
(`make messages`, lancé par `make run` et `make test`), ils ne sont pas versionnés. Gabarit :
`templates/pdf/orientation/rights_sheet.html` ; polices : Marianne, puis « Noto Sans CJK SC » pour le chinois
(fontconfig, sans réseau)."""

import gettext
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mniop.pdf import render_document
from referents.enums import ReferentCategory
from referents.models import DirectoryEntry

DOMAIN = "rights_sheet"
LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("es", "Español"),
    ("zh", "中文"),
    ("uk", "Українська"),
    ("ro", "Română"),
    ("pt", "Português"),
]
ASSOCIATION_CATEGORIES = (ReferentCategory.ASSOCIATION, ReferentCategory.ASSOCIATION_AGREEE_PSP)
MAX_CONTACTS = 8


def N_(text):
    """Marque un texte à traduire (extrait par `xgettext --keyword=N_`), traduit au rendu dans la langue choisie."""
    return text


TITLE = N_("Vos droits en France")
SUBTITLE = N_("Information pour les personnes victimes de traite des êtres humains")
INTRO = N_(
    "Vous êtes peut-être victime de traite des êtres humains. En France, la loi vous protège, "
    "que vous ayez des papiers ou non. Ces droits sont les vôtres."
)
SECTIONS = [
    (
        N_("Être à l'abri"),
        N_(
            "Vous pouvez être hébergé·e dans un lieu sûr, même sans papiers et sans avoir porté plainte. "
            "Si vous êtes en danger, vous pouvez être accueilli·e loin de l'endroit où vous avez été exploité·e."
        ),
    ),
    (
        N_("Vous soigner"),
        N_("Vous avez droit aux soins : médecin, hôpital, soutien psychologique."),
    ),
    (
        N_("Un temps pour réfléchir"),
        N_(
            "Si vous êtes de nationalité étrangère, vous pouvez obtenir un délai de réflexion de 30 jours pour "
            "décider librement si vous portez plainte ou témoignez. Pendant ce délai, vous pouvez travailler."
        ),
    ),
    (
        N_("Un titre de séjour"),
        N_(
            "Si vous portez plainte ou témoignez, et si vous avez rompu tout lien avec les auteurs, vous pouvez "
            "recevoir une carte de séjour d'un an, renouvelée pendant la procédure, qui vous permet de travailler. "
            "Si les auteurs sont condamnés définitivement, vous pouvez recevoir une carte de résident de dix ans. "
            "Dans d'autres situations (sortie de la prostitution, peur de représailles, motif humanitaire), "
            "un titre de séjour peut aussi vous être délivré."
        ),
    ),
    (
        N_("Porter plainte ou témoigner"),
        N_(
            "Vous pouvez porter plainte ou témoigner auprès de la police, de la gendarmerie ou du procureur de la "
            "République. C'est votre choix. Vous pouvez donner l'adresse d'un·e avocat·e ou d'une association "
            "au lieu de la vôtre."
        ),
    ),
    (
        N_("Un·e avocat·e gratuit·e"),
        N_(
            "Vous pouvez demander l'aide juridictionnelle : l'État paie votre avocat·e, selon vos ressources. "
            "Si vous êtes partie civile, vous n'avez pas besoin de titre de séjour pour l'obtenir."
        ),
    ),
    (
        N_("Être indemnisé·e"),
        N_(
            "Si les faits ont eu lieu en France, vous pouvez demander réparation à la commission d'indemnisation "
            "des victimes d'infractions (CIVI), quelle que soit votre nationalité."
        ),
    ),
    (
        N_("Demander l'asile"),
        N_(
            "Si vous avez peur de rentrer dans votre pays, vous pouvez demander l'asile. "
            "Cette demande ne dépend ni d'une plainte ni d'un titre de séjour."
        ),
    ),
]
CONTACTS_TITLE = N_("Associations à contacter dans votre département : %(departement)s")
#: Les fiches de l'annuaire sont écrites en français : la fiche le dit dans la langue choisie, au-dessus d'elles.
CONTACTS_IN_FRENCH = N_("Les noms et les descriptions des associations ci-dessous sont écrits en français.")
NO_CONTACT = N_("Demandez la liste des associations à la personne qui vous remet cette fiche.")
EMERGENCY = N_("En cas de danger, appelez le 17 ou le 112. Pour un enfant en danger, appelez le 119.")
FOOTER = N_("Fiche remise le %(date)s. Gratuit et confidentiel.")


class MissingCatalog(RuntimeError):
    pass


def locale_dir():
    return Path(settings.LOCALE_PATHS[0])


def catalog(language):
    """Les traductions d'une langue ; le français est la langue des textes. Un catalogue absent est une erreur
    claire (le build compile les `.mo`), jamais une fiche en français sous un autre nom."""
    if language == "fr":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, localedir=locale_dir(), languages=[language])
    except FileNotFoundError as error:
        raise MissingCatalog(
            f"Catalogue « {DOMAIN} » non compilé pour « {language} » : lancez `make messages`."
        ) from error


def association_contacts(departement):
    """Les associations de l'annuaire pour ce département, avec leur seul contact public."""
    if departement is None:
        return []
    entries = (
        DirectoryEntry.objects.published()
        .covering(departement)
        .filter(category__in=ASSOCIATION_CATEGORIES)
        .select_related("organisation")
        .order_by("title")[:MAX_CONTACTS]
    )
    return [entry.public_fields() for entry in entries]


def sheet_context(signalement, language):
    translate = catalog(language).gettext
    departement = signalement.responsible_departement
    name = f"{departement.name} ({departement.code})" if departement else ""
    return {
        "language": language,
        "title": translate(TITLE),
        "subtitle": translate(SUBTITLE),
        "intro": translate(INTRO),
        "sections": [(translate(title), translate(body)) for title, body in SECTIONS],
        "contacts_title": translate(CONTACTS_TITLE) % {"departement": name},
        "contacts": association_contacts(departement),
        "contacts_in_french": translate(CONTACTS_IN_FRENCH) if language != "fr" else "",
        "no_contact": translate(NO_CONTACT),
        "emergency": translate(EMERGENCY),
        "footer": translate(FOOTER) % {"date": timezone.localdate().strftime("%d/%m/%Y")},
    }


def render_rights_sheet(signalement, language):
    """Le PDF de la fiche : aucun élément d'identité de la victime, seulement ses droits et des contacts publics."""
    return render_document(
        "pdf/orientation/rights_sheet.html", sheet_context(signalement, language), stylesheets=["pdf/rights_sheet.css"]
    )
