"""Les règles écrites qui classent un signalement pour les statistiques. Fonctions pures : elles lisent des valeurs,
jamais la base ; `observatoire.services` les applique à chaque signalement pour écrire sa fiche statistique."""

from observatoire.enums import AgeBand, AgeGroup, EurostatForm, NationalityGroup, TraffickingScope

EU = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
EUROPE_OTHER = frozenset("AL AD BA BY CH GB IS LI MC MD ME MK NO RS RU SM TR UA VA XK GE AM AZ".split())
MAGHREB = frozenset("DZ MA TN LY MR".split())
LATIN_AMERICA = frozenset(
    "AR BO BR CL CO CR CU DO EC GT HN HT JM MX NI PA PE PY SV UY VE TT BB BS GY SR BZ LC VC GD DM KN AG".split()
)
ASIA = frozenset(
    "AF BD BT BN KH CN IN ID IR IQ IL JP JO KZ KG KP KR KW LA LB MY MV MN MM NP OM PK PH QA SA SG LK SY TW TJ TH TL "
    "TM AE UZ VN YE PS BH".split()
)
AFRICA = frozenset(
    "AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR MG MW ML MU MZ NA NE NG RW ST "
    "SN SC SL SO ZA SS SD TZ TG UG ZM ZW EH".split()
)


def trafficking_scope(
    *, place_of_exploitation, exploitation_countries, transit_countries, recruitment_country, nationalities
):
    """Traite interne ou transnationale, la règle écrite (docs/glossaire.md, « traite interne ») :

    - **transnationale** si l'exploitation a eu lieu (au moins en partie) à l'étranger, si un pays de transit est
      connu, ou si le pays de recrutement connu n'est pas la France ;
    - **interne** si l'exploitation a eu lieu en France uniquement, sans pays de transit, et que le recrutement a
      eu lieu en France (ou, recrutement inconnu, que la personne n'a que la nationalité française) ;
    - **non déterminée** sinon (rien n'est deviné).
    """
    if place_of_exploitation in ("abroad_only", "france_and_abroad") or exploitation_countries or transit_countries:
        return TraffickingScope.TRANSNATIONAL
    if recruitment_country and recruitment_country != "FR":
        return TraffickingScope.TRANSNATIONAL
    if place_of_exploitation == "france_only":
        if recruitment_country == "FR" or (not recruitment_country and list(nationalities) == ["FR"]):
            return TraffickingScope.INTERNAL
    return TraffickingScope.UNKNOWN


def eurostat_form(categories):
    """La catégorie Eurostat d'une victime depuis les catégories Eurostat de ses formes d'exploitation (domaine §4.3) :
    une seule catégorie connue la donne ; plusieurs donnent une catégorie multiple ; aucune : « inconnue »."""
    labels = {
        "Sexual exploitation": EurostatForm.SEXUAL,
        "Forced labour, including domestic servitude": EurostatForm.LABOUR,
        "Criminal activities": EurostatForm.CRIMINAL,
        "Forced begging/use for begging": EurostatForm.BEGGING,
        "Removal of organs": EurostatForm.ORGANS,
        "Benefit fraud": EurostatForm.BENEFIT_FRAUD,
        "Other form of exploitation": EurostatForm.OTHER,
        "Unknown form of exploitation": EurostatForm.UNKNOWN,
    }
    known = {labels[label] for label in categories if label in labels} - {EurostatForm.UNKNOWN}
    if not known:
        return EurostatForm.UNKNOWN
    if len(known) == 1:
        return known.pop()
    if known == {EurostatForm.SEXUAL, EurostatForm.LABOUR}:
        return EurostatForm.SEXUAL_AND_LABOUR
    if EurostatForm.SEXUAL in known and EurostatForm.LABOUR not in known:
        return EurostatForm.SEXUAL_AND_OTHER
    if EurostatForm.LABOUR in known and EurostatForm.SEXUAL not in known:
        return EurostatForm.LABOUR_AND_OTHER
    return EurostatForm.MULTIPLE_OTHER


def nationality_group(nationalities, residual=""):
    """Le groupe de la première nationalité (la française d'abord si la personne l'a) ; sinon le code résiduel."""
    codes = sorted(nationalities, key=lambda code: (code != "FR", code))
    if not codes:
        return {
            "unknown_eu": NationalityGroup.UNKNOWN_EU,
            "unknown_non_eu": NationalityGroup.UNKNOWN_NON_EU,
        }.get(residual, NationalityGroup.UNKNOWN)
    code = codes[0]
    for group, members in [
        (NationalityGroup.FRANCE, {"FR"}),
        (NationalityGroup.EU, EU),
        (NationalityGroup.EUROPE_OTHER, EUROPE_OTHER),
        (NationalityGroup.MAGHREB, MAGHREB),
        (NationalityGroup.AFRICA_OTHER, AFRICA),
        (NationalityGroup.LATIN_AMERICA, LATIN_AMERICA),
        (NationalityGroup.ASIA, ASIA),
    ]:
        if code in members:
            return group
    return NationalityGroup.OTHER


def age_group(*, is_minor, is_mna):
    if is_mna:
        return AgeGroup.MNA
    return AgeGroup.MINOR if is_minor else AgeGroup.ADULT


def age_band(age, *, is_minor):
    if age is None:
        return AgeBand.UNDER_18 if is_minor else AgeBand.UNKNOWN
    for band, upper in [
        (AgeBand.UNDER_18, 18),
        (AgeBand.FROM_18, 25),
        (AgeBand.FROM_25, 35),
        (AgeBand.FROM_35, 45),
    ]:
        if age < upper:
            return band
    return AgeBand.FROM_45
