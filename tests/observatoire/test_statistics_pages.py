"""Les pages de l'observatoire : qui voit quoi, le secret statistique sur la page et dans les exports, le journal
d'accès de chaque consultation et de chaque export, les entrées invalides."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from observatoire import services
from observatoire.models import ExportJob
from observatoire.tasks import run_export_job

DASHBOARD = reverse("observatoire:statistics_dashboard")
SURVEY = reverse("observatoire:statistics_survey")
GRETA = reverse("observatoire:statistics_greta")
MICRODATA = reverse("observatoire:statistics_microdata")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("association_agent", 403),
        ("association_admin", 200),
        ("miprof_agent", 200),
        ("miprof_admin", 200),
        ("departmental_validator", 200),
        ("territorial_referent", 403),
        ("statistician", 200),
        ("platform_admin", 403),
    ],
)
@pytest.mark.parametrize("url", [DASHBOARD, SURVEY, GRETA])
def test_access_matrix(client_as, persona, expected, url):
    assert client_as(persona).get(url).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("statistician", 200), ("miprof_agent", 200), ("departmental_validator", 403), ("association_admin", 403)],
)
def test_microdata_access_matrix(client_as, persona, expected):
    assert client_as(persona).get(MICRODATA).status_code == expected


def test_the_dashboard_never_shows_a_cell_below_the_threshold(client_as, paris_cases):
    response = client_as("statistician").get(DASHBOARD)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Exploitation sexuelle (Sexual exploitation)" in body
    assert '<svg id="chart-forms"' in body
    for table in response.context["charts"]:
        for _, cells in table[3].rows():
            assert all(cell.is_suppressed or cell.value == 0 or cell.value >= 5 for cell in cells)
    log = AccessLog.objects.get(view_name="observatoire:statistics_dashboard")
    assert log.action == "read"
    assert log.object_type == "observatoire.casestatistic"
    assert log.object_id.startswith("dashboard;")


def test_a_validator_reads_only_its_departement_rollups(client_as, world, file_signalement):
    for _ in range(6):
        file_signalement(departement=world.nord, persona="association_agent_other_org")
    services.refresh_statistics()

    response = client_as("departmental_validator").get(DASHBOARD)

    assert response.context["scope"].keys == ("75",)
    form_sex = response.context["charts"][0][3]
    assert form_sex.visible_value("__total__", "__total__") == 0


def test_an_association_admin_sees_its_own_organisation_only(client_as, world, paris_cases, file_signalement):
    for _ in range(6):
        file_signalement(persona="association_agent_other_org", departement=world.nord)
    services.refresh_statistics()

    response = client_as("association_admin_other_org").get(DASHBOARD)

    assert response.context["scope"].kind == "organisation"
    assert response.context["charts"][0][3].visible_value("__total__", "__total__") == 6


def test_a_departement_filter_is_refused_to_the_statistician(client_as, paris_cases):
    assert client_as("statistician").get(DASHBOARD, {"departement": "75"}).status_code == 403


def test_the_miprof_filters_one_departement(client_as, paris_cases):
    response = client_as("miprof_agent").get(DASHBOARD, {"departement": "75"})

    assert response.status_code == 200
    assert response.context["scope"].keys == ("75",)


@pytest.mark.parametrize("query", [{"annee": "abc"}, {"annee": "1800"}, {"format": "docx"}, {"departement": "<b>"}])
def test_bad_filters_get_a_french_message_never_a_500(client_as, paris_cases, query):
    response = client_as("miprof_agent").get(DASHBOARD, query)

    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert any("Aucune statistique" in str(m) or "inconnu" in str(m) for m in response.context["messages"])


def test_csv_export_prints_colons_champ_and_source_and_is_logged(client_as, paris_cases):
    response = client_as("statistician").get(DASHBOARD, {"format": "csv"})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    flat = [value for row in rows for value in row]
    assert ":" in flat
    assert "2" not in flat  # les deux hommes en travail forcé
    assert any(value.startswith("Champ : ") for value in flat)
    assert any(value.startswith("Source : ") for value in flat)
    log = AccessLog.objects.get(view_name="observatoire:statistics_dashboard")
    assert log.action == "export"
    assert log.object_id.endswith(";csv")


def test_xlsx_and_ods_exports_open_as_spreadsheets(client_as, paris_cases):
    xlsx = client_as("miprof_agent").get(DASHBOARD, {"format": "xlsx"})
    ods = client_as("miprof_agent").get(DASHBOARD, {"format": "ods"})

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert ":" in values
    assert 2 not in values
    assert (
        zipfile.ZipFile(io.BytesIO(ods.content)).read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    )
    assert AccessLog.objects.filter(action="export", view_name="observatoire:statistics_dashboard").count() == 2


def test_the_survey_pdf_is_a_pdf(client_as, paris_cases):
    response = client_as("statistician").get(SURVEY, {"format": "pdf"})

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_greta_grid_says_non_disponible_where_data_does_not_exist(client_as, paris_cases):
    response = client_as("statistician").get(GRETA)

    body = response.content.decode()
    assert "Non disponible" in body
    assert "Traite interne ou transnationale" in body


def test_microdata_rows_each_appear_at_least_k_times(
    client_as, world, file_signalement, django_capture_on_commit_callbacks
):
    for index in range(30):
        file_signalement(sex="female", nationalities=["FR"], estimated_age=20 + index % 3)
    file_signalement(sex="male", nationalities=["CN"], estimated_age=61, form="criminal")
    services.refresh_statistics()
    client = client_as("statistician")

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(MICRODATA)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("observatoire:export_job_detail", args=[job.public_id])
    assert len(callbacks) == 1  # la tâche est programmée après la validation
    assert "En attente" in client.get(response["Location"]).content.decode()

    run_export_job(job.pk)  # le corps de la tâche
    download = client.get(reverse("observatoire:export_job_download", args=[job.public_id]))

    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], [tuple(row) for row in rows[1:]]
    assert header[0] == "yearOfRegistration"
    assert data
    assert min(data.count(row) for row in data) >= 11
    # Des mots à côté des codes : chaque colonne codée est précédée de ses libellés.
    assert header[1:3] == ["gender_libelle", "gender"]
    assert ("Femme", "female") in {row[1:3] for row in data}
    assert all(row[header.index("zone_libelle")] in {"Hexagone et Corse", "Outre-mer", "Inconnue"} for row in data)
    job.refresh_from_db()
    assert job.progress == 100
    assert f"{len(data)} lignes" in job.summary
    assert AccessLog.objects.filter(action="export", object_id=str(job.public_id)).exists()


def test_an_export_job_is_seen_only_by_its_requester(client_as, world):
    job = ExportJob.objects.create(requested_by=world.user("statistician"), kind="microdata")

    assert (
        client_as("miprof_agent").get(reverse("observatoire:export_job_detail", args=[job.public_id])).status_code
        == 404
    )


def test_a_job_not_ready_is_not_downloaded(client_as, world):
    job = ExportJob.objects.create(requested_by=world.user("statistician"), kind="microdata")

    response = client_as("statistician").get(reverse("observatoire:export_job_download", args=[job.public_id]))

    assert response.status_code == 302
    assert not AccessLog.objects.filter(action="export").exists()


def test_a_departement_figure_links_to_the_queue_for_roles_who_see_cases(
    client_as, world, file_signalement, decide_case
):
    for _ in range(6):
        decide_case(file_signalement(), "validated")
    services.refresh_statistics()

    miprof = client_as("miprof_agent").get(DASHBOARD).content.decode()
    statistician = client_as("statistician").get(DASHBOARD).content.decode()

    assert f'href="{reverse("orientation:miprof_queue")}?departement=75"' in miprof
    assert "?departement=75" not in statistician


@pytest.mark.parametrize("url", [DASHBOARD, SURVEY, GRETA])
def test_a_statistics_page_reads_a_constant_number_of_queries(
    client_as, paris_cases, url, django_assert_max_num_queries
):
    client = client_as("miprof_agent")
    client.get(url)

    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
