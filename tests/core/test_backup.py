"""``parcours sauvegarder`` / ``parcours restaurer`` : la sauvegarde de la base de démonstration,
restaurée par la vraie commande dans une base vide (SQLite : un fichier neuf ; PostgreSQL : une
base créée pour le test), rend les mêmes chiffres du rapport d'activité."""

import json
import os
import subprocess
import sys

import psycopg
import pytest
from django.core.management import CommandError
from django.db import connection

from parcours.core import clock
from parcours.core.models import AuditEntry
from parcours.people.models import Person

ORGANISATION = "carsat-demo"


def parcours(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "parcours.settings_test",
        "PARCOURS_ENV": "test",
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "parcours.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


@pytest.fixture
def empty_database(tmp_path):
    """L'URL d'une base vide, du même moteur que la base des tests."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restauree.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restauree"[:63]
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = settings["USER"] or ""
    auth = f"{user}:{settings['PASSWORD']}@" if settings["PASSWORD"] else (f"{user}@" * bool(user))
    yield f"postgres://{auth}{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(call, year: int) -> dict:
    return json.loads(call("rapport-activite", organisation=ORGANISATION, annee=year))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_kept")
def test_restored_backup_gives_the_same_report_figures(call, tmp_path, empty_database):
    call("demo", personnes=60, seed=11)
    year = clock.today().year
    before = {y: report(call, y) for y in (year - 1, year)}
    assert before[year]["personnes"]["total"] > 0  # un rapport qui compte vraiment quelque chose

    path = tmp_path / "parcours.sauvegarde"
    out = call("sauvegarder", str(path))
    assert f"{Person.objects.count()} personnes" in out
    assert AuditEntry.objects.filter(object_type="base", summary__startswith="Sauvegarde").exists()

    restored = parcours(empty_database, "restaurer", str(path))
    assert restored.returncode == 0, restored.stderr
    assert "Base restaurée" in restored.stdout
    for y, expected in before.items():
        again = parcours(
            empty_database, "rapport-activite", "--organisation", ORGANISATION, "--annee", str(y)
        )
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout) == expected

    # Une base qui contient des données n'est pas écrasée sans --remplacer.
    refused = parcours(empty_database, "restaurer", str(path))
    assert refused.returncode != 0
    assert "contient déjà des données" in refused.stderr
    replaced = parcours(empty_database, "restaurer", "--remplacer", str(path))
    assert replaced.returncode == 0, replaced.stderr


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup_in_french(call, tmp_path):
    junk = tmp_path / "pas-une-sauvegarde.csv"
    junk.write_text("nom;prenom\nDupont;Jean\n", encoding="utf-8")
    with pytest.raises(CommandError, match="n'est pas une sauvegarde de Parcours"):
        call("restaurer", str(junk))
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call("restaurer", str(tmp_path / "absent.sauvegarde"))


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_engine(call, tmp_path):
    other = tmp_path / "autre-moteur.sauvegarde"
    header = b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00"
    other.write_bytes(header + b"\x00" * 64)
    with pytest.raises(CommandError, match="se restaure dans une base"):
        call("restaurer", str(other))


@pytest.mark.django_db
def test_restore_into_a_database_with_data_needs_confirmation(call, tmp_path, org):
    path = tmp_path / "base.sauvegarde"
    path.write_bytes((b"SQLite format 3\x00" if connection.vendor == "sqlite" else b"PGDMP") * 8)
    with pytest.raises(CommandError, match="--remplacer"):
        call("restaurer", str(path))


@pytest.mark.django_db
def test_backup_refuses_a_missing_folder_in_french(call, tmp_path):
    with pytest.raises(CommandError, match="n'existe pas"):
        call("sauvegarder", str(tmp_path / "absent" / "base.sauvegarde"))
    with pytest.raises(CommandError, match="est un dossier"):
        call("sauvegarder", str(tmp_path))
