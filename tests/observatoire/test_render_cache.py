"""Le cache de rendu des pages de statistiques : partagé par les personnes de même portée, jamais servi à une autre
portée, invalidé dès que les cumuls sont recalculés ; la date des cumuls et le journal d'accès restent ceux de chaque
consultation."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from accounts.models import AccessLog
from observatoire import services
from observatoire.models import RollupState

DASHBOARD = reverse("observatoire:statistics_dashboard")
SURVEY = reverse("observatoire:statistics_survey")
GRETA = reverse("observatoire:statistics_greta")
#: Le gabarit des tableaux et graphiques de chaque page : rendu seulement quand le cache n'a pas la page.
FIGURES = {
    DASHBOARD: "observatoire/includes/dashboard_figures.html",
    SURVEY: "observatoire/includes/survey_figures.html",
    GRETA: "observatoire/includes/greta_figures.html",
}
VIEW_NAMES = {
    DASHBOARD: "observatoire:statistics_dashboard",
    SURVEY: "observatoire:statistics_survey",
    GRETA: "observatoire:statistics_greta",
}
#: Des paires de personnes dont les portées diffèrent ; la seconde consulte juste après la première.
DIFFERENT_SCOPES = [
    ("departmental_validator", "departmental_validator_other_departement"),  # 75 puis 59
    ("departmental_validator_other_departement", "departmental_validator"),
    ("association_admin", "association_admin_other_org"),
    ("association_admin_other_org", "association_admin"),
    ("miprof_agent", "statistician"),  # national, mais la Miprof voit les dossiers (liens vers la file)
    ("statistician", "miprof_agent"),
]


def rendered_figures(response, url):
    """Vrai si la requête a calculé ses tableaux (le cache ne les avait pas)."""
    return FIGURES[url] in [template.name for template in response.templates]


def figures(response):
    """Le HTML des tableaux et graphiques de la page, sans l'en-tête (nom de la personne, jetons)."""
    body = response.content.decode()
    return body[body.index('<section class="fr-mb-5w"') : body.rindex("</section>")]


@pytest.fixture
def two_departements(world, paris_cases, file_signalement):
    """Les neuf victimes de Paris (association A) et six dans le Nord (association B)."""
    for _ in range(6):
        file_signalement(persona="association_agent_other_org", departement=world.nord)
    services.refresh_statistics()


@pytest.mark.parametrize("url", [DASHBOARD, SURVEY, GRETA])
def test_two_viewers_of_the_same_scope_share_one_rendering(client_as, paris_cases, url):
    first = client_as("miprof_agent").get(url)
    second = client_as("miprof_admin").get(url)

    assert rendered_figures(first, url)
    assert not rendered_figures(second, url)
    assert figures(second) == figures(first)


@pytest.mark.parametrize(("first_persona", "second_persona"), DIFFERENT_SCOPES)
@pytest.mark.parametrize("url", [DASHBOARD, SURVEY, GRETA])
def test_figures_of_one_scope_are_never_served_to_another(
    client_as, two_departements, url, first_persona, second_persona
):
    first = client_as(first_persona).get(url)
    second = client_as(second_persona).get(url)
    again = client_as(second_persona).get(url)

    assert rendered_figures(first, url)
    assert rendered_figures(second, url)  # jamais le rendu de la première portée
    assert not rendered_figures(again, url)  # mais bien gardé pour sa propre portée
    assert figures(again) == figures(second)


@pytest.mark.parametrize(
    ("persona", "before", "champ", "total", "other_champ"),
    [
        ("departmental_validator", "departmental_validator_other_departement", "Paris (75)", 9, "Nord (59)"),
        ("departmental_validator_other_departement", "departmental_validator", "Nord (59)", 6, "Paris (75)"),
    ],
)
def test_a_validator_sees_its_own_departement_after_the_other_one(
    client_as, two_departements, persona, before, champ, total, other_champ
):
    client_as(before).get(DASHBOARD)

    response = client_as(persona).get(DASHBOARD)

    assert response.context["charts"][0][3].visible_value("__total__", "__total__") == total
    assert champ in figures(response)
    assert other_champ not in figures(response)


def test_a_rollup_refresh_invalidates_the_rendering_at_once(client_as, paris_cases, file_signalement):
    client = client_as("statistician")
    before = client.get(DASHBOARD)
    total = before.context["charts"][0][3].visible_value("__total__", "__total__")
    assert not rendered_figures(client.get(DASHBOARD), DASHBOARD)

    for _ in range(5):
        file_signalement(sex="female", nationalities=["FR"])
    services.refresh_statistics()
    after = client.get(DASHBOARD)

    assert rendered_figures(after, DASHBOARD)
    assert after.context["charts"][0][3].visible_value("__total__", "__total__") == total + 5
    assert figures(after) != figures(before)


def test_the_freshness_shown_is_the_rollups_one_even_from_the_cache(client_as, paris_cases):
    client = client_as("statistician")
    client.get(DASHBOARD)

    cached = client.get(DASHBOARD)

    assert not rendered_figures(cached, DASHBOARD)
    refreshed_at = timezone.localtime(RollupState.current().refreshed_at)
    assert format_date(refreshed_at, "d/m/Y à H:i") in cached.content.decode()


@pytest.mark.parametrize("url", [DASHBOARD, SURVEY, GRETA])
def test_every_view_is_logged_even_from_the_cache(client_as, paris_cases, url):
    client = client_as("statistician")
    client.get(url)
    client.get(url)

    assert AccessLog.objects.filter(view_name=VIEW_NAMES[url], action="read").count() == 2


def test_a_refused_departement_filter_is_refused_even_when_the_national_page_is_cached(client_as, paris_cases):
    client_as("miprof_agent").get(DASHBOARD, {"departement": "75"})

    assert client_as("statistician").get(DASHBOARD, {"departement": "75"}).status_code == 403
    assert (
        client_as("departmental_validator_other_departement").get(DASHBOARD, {"departement": "75"}).status_code == 403
    )
