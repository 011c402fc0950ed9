"""Page « Extraits pseudonymisés » : administrateurs et DPO seulement (404 pour les autres),
extrait lancé en tâche de fond (exécutée aussitôt en test), téléchargé et relu, journalisé."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.privacy.models import ExtractRun
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db

ROLES = {
    "as": {"social_worker": True},
    "accueil": {"front_line": True},
    "secretaire": {"secretary": True},
    "responsable": {"manager": True},
    "pilotage": {"steering": True},
    "admin": {"admin": True},
    "dpo": {"social_worker": True, "is_dpo": True},
}
ALLOWED = {"admin", "dpo"}


@pytest.fixture
def activity(org):
    for i in range(3):
        someone = person(org, name=f"Nom{i}")
        contact(case(someone, opened=date(2025, 1, 1)), date(2025, 2, 1))
    return org


@pytest.fixture
def launch(client, django_capture_on_commit_callbacks):
    """Envoie le formulaire ; la tâche de fond part au commit (exécutée aussitôt en test)."""

    def _launch(client=client, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("rgpd-extraits"), {"annee": "2025", "format": "csv", **data})

    return _launch


@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_admins_and_dpo(role, activity, other_org, client, tmp_path, settings, launch):
    settings.VAR_DIR = tmp_path
    user = UserFactory(organisation=activity, departements=["01", "69"], **ROLES[role])
    login_as(client, user)
    owner = UserFactory(organisation=activity, admin=True)
    pending = ExtractRun.objects.create(
        organisation=activity, year=2025, fmt="csv", created_by=owner
    )
    (tmp_path / "pret.csv").write_text("pseudonyme\n")
    ready = ExtractRun.objects.create(
        organisation=activity,
        year=2025,
        fmt="csv",
        created_by=owner,
        status=ExtractRun.Status.TERMINE,
        stored_as=str(tmp_path / "pret.csv"),
    )
    stranger = UserFactory(organisation=other_org, admin=True)
    theirs = ExtractRun.objects.create(
        organisation=other_org, year=2025, fmt="csv", created_by=stranger
    )
    page = client.get(reverse("rgpd-extraits"))
    assert page.status_code == (200 if role in ALLOWED else 404)
    assert launch().status_code == (302 if role in ALLOWED else 404)
    assert ExtractRun.objects.count() == (4 if role in ALLOWED else 3)
    url = reverse("rgpd-extrait-fichier", args=[ready.pk])
    assert client.get(url).status_code == (200 if role in ALLOWED else 404)
    # l'extrait d'un autre organisme, ou pas encore prêt : 404 pour tous
    assert client.get(reverse("rgpd-extrait-fichier", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("rgpd-extrait-fichier", args=[pending.pk])).status_code == 404


def test_launch_then_download_and_read_back(activity, client, tmp_path, settings, launch):
    settings.VAR_DIR = tmp_path
    dpo = UserFactory(organisation=activity, social_worker=True, is_dpo=True)
    login_as(client, dpo)
    page = client.get(reverse("rgpd-extraits"))
    assert "Lancer l'extrait" in page.content.decode()
    assert launch().status_code == 302
    run = ExtractRun.objects.get()
    assert (run.status, run.rows, run.people, run.created_by) == ("termine", 3, 3, dpo)
    listing = client.get(reverse("rgpd-extraits")).content.decode()
    assert "Télécharger" in listing and "3 lignes, 3 personnes" in listing
    response = client.get(reverse("rgpd-extrait-fichier", args=[run.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="extrait-2025-{run.pk}.csv"'
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()), delimiter=";")
    )
    assert len(rows) == 3 and "Nom0" not in str(rows)
    entries = AuditEntry.objects.filter(actor=dpo, action=AuditEntry.Action.EXPORT).order_by("pk")
    assert [e.summary for e in entries] == [
        "Extrait pseudonymisé 2025, web (3 personnes)",
        "Extrait pseudonymisé 2025 téléchargé (3 personnes)",
    ]
    assert AuditEntry.objects.filter(
        actor=dpo, action=AuditEntry.Action.CREATE, object_type="extractrun"
    ).exists()


def test_aggregates_from_the_web(activity, client, tmp_path, settings, launch):
    settings.VAR_DIR = tmp_path
    login_as(client, UserFactory(organisation=activity, admin=True))
    launch(agregats=["departement", "programme"], format="parquet")
    run = ExtractRun.objects.get()
    assert (run.status, run.aggregated_by) == ("termine", ["departement", "programme"])
    assert run.file_name.endswith("-agregats-departement-programme-" + str(run.pk) + ".parquet")
    import duckdb

    back = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [run.stored_as]).fetchall()
    assert all(row[-1] == 1 for row in back)  # 3 personnes : tout est masqué


def test_bad_form_is_422_in_french(activity, client, tmp_path, settings, launch):
    settings.VAR_DIR = tmp_path
    login_as(client, UserFactory(organisation=activity, admin=True))
    response = launch(annee="1800", format="xlsx")
    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not ExtractRun.objects.exists()
