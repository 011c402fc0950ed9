"""Import d'historique sur le web : taille maximale du lot envoyé, rejets comptés en entier mais
gardés en nombre limité (résumé par motif, liste complète en CSV), liste sans le rapport."""

import csv
import importlib
import io
import zipfile
from html import unescape

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.steering.models import HistoryImport
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    user = UserFactory(organisation=org, admin=True, departements=["01"])
    login_as(client, user)
    return user


def bundle(people: int, bad: int) -> bytes:
    """Un lot de ``people`` bénéficiaires valides et ``bad`` rejetés (date illisible)."""
    lines = ["id;nir;nom;prenom;sexe;date_naissance;commune_insee;departement"]
    lines += [f"B{i};;Nom{i};Prenom;F;1970-05-17;;01" for i in range(people)]
    lines += [f"X{i};;Faux{i};Prenom;F;{i}/02/1980;;01" for i in range(bad)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("beneficiaires.csv", "\n".join(lines) + "\n")
    return buffer.getvalue()


def post_bundle(client, content, on_commit):
    with on_commit(execute=True):
        return client.post(
            reverse("pilotage-historique"),
            {"archive": SimpleUploadedFile("historique.zip", content)},
        )


def test_a_bundle_over_the_limit_is_refused_before_anything_is_stored(
    client, admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PARCOURS_UPLOAD_MAX_MB = 1
    content = bundle(30_000, 0)
    assert len(content) > 1_048_576
    response = post_bundle(client, content, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    html = unescape(response.content.decode())
    assert "Le fichier dépasse la taille maximale de 1 Mo." in html
    assert "Taille maximale : 1 Mo." in html
    assert HistoryImport.objects.count() == 0
    assert not (tmp_path / "imports").exists() or not any((tmp_path / "imports").rglob("*"))


def test_rejections_are_counted_in_full_kept_up_to_the_cap_and_downloadable(
    client, admin, settings, django_capture_on_commit_callbacks
):
    settings.PARCOURS_REJECTIONS_KEPT = 25
    response = post_bundle(client, bundle(3, 120), django_capture_on_commit_callbacks)
    job = HistoryImport.objects.get()
    assert job.status == "termine"
    assert job.result["nombre_erreurs"] == 120
    assert len(job.result["erreurs"]) == 25
    assert job.result["erreurs"][0] == {
        "fichier": "beneficiaires.csv",
        "ligne": 5,
        "colonne": "date_naissance",
        "motif": job.result["erreurs"][0]["motif"],
    }
    assert job.result["erreurs_par_motif"] == [
        {
            "fichier": "beneficiaires.csv",
            "colonne": "date_naissance",
            "motif": "« … » n'est pas une date AAAA-MM-JJ",
            "nombre": 120,
        }
    ]
    html = unescape(client.get(response["Location"]).content.decode())
    assert "120 rejets" in html
    assert "Les 25 premiers rejets sur 120" in html
    download = reverse("pilotage-historique-rejets", args=[job.pk])
    assert download in html

    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == ["fichier", "ligne", "colonne", "motif"]
    assert len(rows) == 121
    assert rows[-1][:3] == ["beneficiaires.csv", "124", "date_naissance"]
    assert "« 119/02/1980 »" in rows[-1][3]
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.READ).latest("id")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        admin,
        "historyimport",
        str(job.pk),
    )
    other = UserFactory(organisation=admin.organisation, steering=True, departements=["01"])
    login_as(client, other)
    assert client.get(download).status_code == 404


def test_the_import_list_never_loads_the_report(client, admin, django_capture_on_commit_callbacks):
    post_bundle(client, bundle(3, 200), django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("pilotage-historique"))
    assert response.status_code == 200 and "historique.zip" in response.content.decode()
    table = HistoryImport._meta.db_table
    selects = [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]
    assert selects
    for sql in selects:
        assert f'"{table}"."result"' not in sql, sql


def test_existing_reports_are_detailed_by_the_migration(org, admin):
    migration = importlib.import_module(
        "parcours.steering.migrations.0003_history_import_rejections_detailed"
    )
    job = HistoryImport.objects.create(
        organisation=org,
        file_name="ancien.zip",
        stored_as="",
        created_by=admin,
        status="termine",
        result={
            "lignes": [],
            "erreurs": [
                "beneficiaires.csv, ligne 3, colonne date_naissance : « 31/02/1980 » n'est pas "
                "une date AAAA-MM-JJ",
                "entretiens.csv : le fichier n'est pas encodé en UTF-8",
            ],
            "nombre_erreurs": 700,
        },
    )
    migration.detail_rejections(apps, None)
    job.refresh_from_db()
    assert job.result["nombre_erreurs"] == 700
    assert job.result["erreurs"] == [
        {
            "fichier": "beneficiaires.csv",
            "ligne": 3,
            "colonne": "date_naissance",
            "motif": "« 31/02/1980 » n'est pas une date AAAA-MM-JJ",
        },
        {
            "fichier": "entretiens.csv",
            "ligne": None,
            "colonne": "",
            "motif": "le fichier n'est pas encodé en UTF-8",
        },
    ]
    assert {s["fichier"] for s in job.result["erreurs_par_motif"]} == {
        "beneficiaires.csv",
        "entretiens.csv",
    }


def test_a_bundle_that_unpacks_beyond_ten_times_the_limit_is_refused(
    client, admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PARCOURS_UPLOAD_MAX_MB = 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("beneficiaires.csv", "id;nom\n" + "B;x\n" * 3_000_000)
    assert len(buffer.getvalue()) < 1_048_576
    response = post_bundle(client, buffer.getvalue(), django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert "Une fois décompressée, l'archive dépasse 10 Mo : découpez le lot." in unescape(
        response.content.decode()
    )
    assert HistoryImport.objects.count() == 0
