"""Ciblage sur le web : taille maximale de l'extrait envoyé, rejets comptés en entier mais gardés
en nombre limité (résumé par motif, liste complète en CSV), liste des ciblages sans colonnes
lourdes."""

import csv
import datetime
import io
import zoneinfo
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.core import clock, rejections
from parcours.core.models import AuditEntry
from parcours.outreach.models import TargetingRun
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.outreach.factories import HEADER, extract_row

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen_today(settings, tmp_path):
    settings.PARCOURS_IMPORT_DIR = tmp_path / "imports"
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def manager(org, client):
    user = UserFactory(organisation=org, manager=True, departements=["01"])
    login_as(client, user)
    return user


def post_extract(client, content, on_commit, name="extrait.csv"):
    with on_commit(execute=True):
        return client.post(
            reverse("ciblages"),
            {"fichier": SimpleUploadedFile(name, content), "date_extraction": "2026-06-01"},
        )


def files_under(path):
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def test_an_extract_over_the_limit_is_refused_before_anything_is_stored(
    client, manager, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PARCOURS_UPLOAD_MAX_MB = 1
    row = extract_row(1) + "\n"
    content = (HEADER + "\n" + row * (1_100_000 // len(row))).encode()
    assert len(content) > 1_048_576
    response = post_extract(client, content, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Le fichier dépasse la taille maximale de 1 Mo." in html
    assert 'value="2026-06-01"' in html  # la date saisie est gardée
    assert "Taille maximale : 1 Mo." in html  # la limite est annoncée avant l'envoi
    assert TargetingRun.objects.count() == 0
    assert files_under(tmp_path / "imports") == []


def test_an_extract_under_the_limit_is_accepted(
    client, manager, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PARCOURS_UPLOAD_MAX_MB = 1
    content = (HEADER + "\n" + extract_row(1) + "\n").encode()
    response = post_extract(client, content, django_capture_on_commit_callbacks)
    run = TargetingRun.objects.get()
    assert response.url == reverse("ciblage", args=[run.pk])
    assert run.status == TargetingRun.Status.TERMINE


def test_a_body_too_large_without_file_gets_a_french_413(client, manager):
    response = client.post(
        reverse("ciblages"), data=b"x" * 3_000_000, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "L'envoi dépasse la taille acceptée par Parcours." in unescape(response.content.decode())


def many_errors(count):
    """Un extrait dont chaque ligne est rejetée pour son code sexe (valeurs différentes)."""
    rows = [extract_row(i, sexe=f"X{i}") for i in range(1, count + 1)]
    return ("\n".join([HEADER, *rows, extract_row(count + 1, start="2026-01-01")]) + "\n").encode()


def test_rejections_are_counted_in_full_kept_up_to_the_cap_and_downloadable(
    client, manager, settings, django_capture_on_commit_callbacks
):
    settings.PARCOURS_REJECTIONS_KEPT = 40
    response = post_extract(client, many_errors(250), django_capture_on_commit_callbacks)
    run = TargetingRun.objects.get()
    assert (run.lines, run.rejected, run.valid) == (251, 250, 1)
    assert run.error_count == 250
    assert len(run.errors) == 40
    assert run.errors[0] == {"ligne": 2, "colonne": "sexe", "motif": run.errors[0]["motif"]}
    assert run.error_summary == [
        {
            "colonne": "sexe",
            "motif": "code sexe « … » inconnu (attendu : F ou M)",
            "nombre": 250,
        }
    ]
    html = unescape(client.get(response.url).content.decode())
    assert "Lignes rejetées : 250 (250 motifs)" in html
    assert "Les 40 premiers motifs sur 250" in html
    assert "code sexe « … » inconnu (attendu : F ou M)" in html
    download = reverse("ciblage-rejets", args=[run.pk])
    assert download in html

    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == ["ligne", "colonne", "motif"]
    assert len(rows) == 251
    assert rows[1] == ["2", "sexe", "code sexe « X1 » inconnu (attendu : F ou M)"]
    assert rows[-1] == ["251", "sexe", "code sexe « X250 » inconnu (attendu : F ou M)"]
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.READ).latest("id")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before + 1
    assert (entry.actor, entry.object_type, entry.object_id) == (
        manager,
        "targetingrun",
        str(run.pk),
    )


def test_the_download_is_for_the_run_s_managers_only(
    client, org, other_org, manager, django_capture_on_commit_callbacks
):
    post_extract(client, many_errors(3), django_capture_on_commit_callbacks)
    run = TargetingRun.objects.get()
    login_as(client, UserFactory(organisation=org, social_worker=True, departements=["01"]))
    assert client.get(reverse("ciblage-rejets", args=[run.pk])).status_code == 404
    login_as(client, UserFactory(organisation=other_org, manager=True, departements=["01"]))
    assert client.get(reverse("ciblage-rejets", args=[run.pk])).status_code == 404


def test_the_run_list_never_loads_the_rejections(
    client, org, manager, django_capture_on_commit_callbacks
):
    post_extract(client, many_errors(300), django_capture_on_commit_callbacks)
    TargetingRun.objects.update(errors=[{"ligne": 1, "colonne": "", "motif": "x" * 1000}] * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ciblages"))
    assert response.status_code == 200
    assert "n°" in response.content.decode()
    table = TargetingRun._meta.db_table
    selects = [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]
    assert selects, "la liste lit les ciblages"
    for sql in selects:
        for column in TargetingRun.HEAVY_FIELDS:
            assert f'"{table}"."{column}"' not in sql, (column, sql)


def test_existing_runs_are_capped_by_the_migration(org, manager, settings):
    """La reprise des ciblages d'avant le plafond : nombre, résumé, liste complète gardée."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "parcours.outreach.migrations.0004_targeting_run_rejections_capped"
    )
    settings.PARCOURS_REJECTIONS_KEPT = 10
    from parcours.outreach.services import targeting_rule

    rule = targeting_rule(organisation=org)
    errors = [{"ligne": i, "colonne": "nir", "motif": f"NIR invalide {i}"} for i in range(2, 40)]
    run = TargetingRun.objects.create(
        organisation=org,
        rule=rule,
        rule_code=rule.code,
        programme=rule.programme,
        file_name="ancien.csv",
        extraction_date=datetime.date(2026, 1, 1),
        errors=errors,
    )
    small = TargetingRun.objects.create(
        organisation=org,
        rule=rule,
        rule_code=rule.code,
        programme=rule.programme,
        file_name="petit.csv",
        extraction_date=datetime.date(2026, 1, 1),
        errors=errors[:3],
    )
    migration.cap_rejections(apps, None)
    run.refresh_from_db()
    small.refresh_from_db()
    assert (len(run.errors), run.error_count) == (10, 38)
    assert run.error_summary == [{"colonne": "nir", "motif": "NIR invalide …", "nombre": 38}]
    full = list(rejections.read(rejections.path_for("ciblage", run.pk)))
    assert full == [[e["ligne"], e["colonne"], e["motif"]] for e in errors]
    assert (len(small.errors), small.error_count) == (3, 3)
