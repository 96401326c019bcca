"""Les statistiques dans Chromium, pour quatre rôles : statisticien·ne, agent de la Miprof, valideur·se
départemental·e et administration d'une association. Chaque page montre ses graphiques et leurs tableaux, jamais
une case sous le seuil ; les captures sont dans test-artifacts/statistiques-*.png."""

import random
import re

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from demo.statistics import history_record
from observatoire.models import CaseStatistic, ExportJob
from observatoire.services import refresh_rollups
from observatoire.tasks import run_export_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_NUMBER = re.compile(r"^[1-4]$")


@pytest.fixture
def statistics(world):
    year = timezone.localdate().year - 1
    rng = random.Random(14)
    organisations = [world.association.pk, world.other_association.pk]
    CaseStatistic.objects.bulk_create([history_record(rng, year, organisations) for _ in range(600)])
    refresh_rollups([year])
    return year


def log_in(page, live_server, client_as, persona):
    """La session du persona (`client_as`, tenu à jour pour le second facteur) posée dans le navigateur."""
    client = client_as(persona)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def assert_no_small_cell(page):
    cells = page.locator("table td").all_inner_texts()
    assert cells, "aucun tableau sur la page"
    assert not [cell for cell in cells if SMALL_NUMBER.match(cell.strip())]


@pytest.mark.parametrize("persona", ["statistician", "miprof_agent", "departmental_validator", "association_admin"])
def test_each_role_sees_its_dashboard_survey_and_greta_grid(
    page, live_server, client_as, statistics, persona, screenshot
):
    log_in(page, live_server, client_as, persona)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Statistiques").first.click()
    assert page.locator("svg#chart-forms").is_visible()
    assert page.locator("svg#chart-positive-rates").is_visible()
    assert page.locator("svg#chart-adherence-decision").is_visible()
    assert "Champ :" in page.content()
    assert_no_small_cell(page)
    screenshot(page, f"statistiques-tableau-de-bord-{persona}")
    page.locator("#adherence-heading").scroll_into_view_if_needed()
    screenshot(page, f"statistiques-delais-{persona}")

    page.get_by_role("link", name="Enquête annuelle de la Miprof").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Enquête annuelle")
    assert_no_small_cell(page)
    screenshot(page, f"statistiques-enquete-{persona}")
    # L'enquête de l'année entière s'exporte par une tâche : la page d'avancement, puis le lien quand elle est prête.
    page.get_by_role("link", name="ODS (tableur, format ouvert)").click()
    assert "Avancement" in page.content()
    screenshot(page, f"statistiques-export-en-cours-{persona}")
    run_export_job(ExportJob.objects.get().pk)  # le corps de la tâche, sans worker
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Télécharger")).click()
    assert download.value.suggested_filename == f"mniop-enquete-miprof-{statistics}.ods"

    page.goto(f"{live_server.url}/statistiques/grille-greta/?annee={statistics}")
    assert "Non disponible" in page.content()
    assert "Délai de réflexion (mesure du parcours), par sexe" in page.content()
    assert_no_small_cell(page)
    screenshot(page, f"statistiques-greta-{persona}")
