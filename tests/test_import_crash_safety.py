"""Un import tué net (SIGKILL) en pleine écriture, puis relancé : rien en double, rien à moitié.

Les vraies commandes (``parcours importer-extrait-arrets``, ``parcours importer-historique``)
tournent dans un processus à part, sur une base à elles (fichier SQLite dans ``tmp_path``, ou
une base PostgreSQL ``…_crash`` quand ``DATABASE_URL`` désigne PostgreSQL) que le test lit
directement. Chaque import se tue net à un point de coupure connu, au milieu de sa transaction
(``PARCOURS_COUPURE``, lu par ``core.bulk.crash_point`` : l'instant ne dépend pas de la charge
de la machine), la base est relue (rien n'est resté de l'import tué), puis il est relancé
jusqu'au bout : les comptes sont ceux d'un import fait d'une traite (ce que l'essai annonce, ce
que le lot contient) ; relancé encore, il ne change rien.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from parcours.core import bulk
from parcours.demo.outreach import generate_extract
from parcours.outreach.services import targeting
from parcours.steering import bundle

ORG = "crash"
TARGETING_ROWS = 12_000


def _database(tmp_path: Path) -> tuple[str, str]:
    """(URL de la base du test, moteur) : un fichier SQLite, ou une base PostgreSQL neuve."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'crash.sqlite3'}", "sqlite"
    import psycopg

    base, _, name = url.rpartition("/")
    crash = f"{name or 'parcours'}_crash"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{crash}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{crash}"')
    return f"{base}/{crash}", "postgresql"


class Base:
    def __init__(self, tmp_path: Path):
        self.url, self.vendor = _database(tmp_path)
        self.env = os.environ | {
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "parcours.settings_test",
            "PARCOURS_ENV": "test",
            "PARCOURS_HOME": str(tmp_path),  # fichiers déposés et rejets sous tmp_path/var
            "PYTHONUNBUFFERED": "1",
        }
        self.cli = [sys.executable, "-m", "parcours.cli"]
        self.sqlite_path = tmp_path / "crash.sqlite3"

    def run(self, *args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(  # noqa: S603 (notre propre commande)
            [*self.cli, *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done

    def count(self, sql: str) -> int:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.sqlite_path) as conn:
                return conn.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchone()[0]


def org_count(base: Base, table: str, where: str = "") -> int:
    return base.count(
        f"SELECT COUNT(*) FROM {table} t JOIN core_organisation o ON o.id = t.organisation_id "
        f"WHERE o.code = '{ORG}' {where}"
    )


@pytest.fixture
def base(tmp_path):
    base = Base(tmp_path)
    base.run("init", "--organisation", ORG, "--nom", "Essai de coupure", "--region", "84")
    return base


def killed_at(base: Base, point: str, *args: str) -> subprocess.CompletedProcess:
    """Lance l'import ``args`` qui se tue net (SIGKILL) au point de coupure ``point``, au milieu
    de sa transaction (des lignes écrites, rien de validé) : l'instant de la coupure ne dépend
    pas de la charge de la machine."""
    done = subprocess.run(  # noqa: S603 (notre propre commande)
        [*base.cli, *args],
        env=base.env | {bulk.CRASH_VARIABLE: point},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-3000:]
    assert done.stderr.endswith(f"Coupure d'essai : {point}\n")  # tué là, pas ailleurs
    return done


def test_killed_imports_leave_nothing_and_a_rerun_gives_a_clean_import(base, tmp_path):
    # ------------------------------------------------------------ extrait d'arrêts de travail
    extract = generate_extract(tmp_path / "extrait.csv", TARGETING_ROWS, seed=3)
    args = ["importer-extrait-arrets", str(extract), "--organisation", ORG]
    args += ["--date-extraction", "2026-06-01", "--format", "json"]
    clean = json.loads(base.run(*args, "--essai").stdout)  # ce que ferait un import d'une traite
    assert clean["cibles"] > targeting.BATCH and clean["nouvelles_personnes"] == clean["cibles"]

    killed_at(base, "ciblage", *args)  # un premier lot de personnes et de cibles écrit
    assert org_count(base, "people_person") == 0
    assert org_count(base, "outreach_targetingentry") == 0
    assert org_count(base, "outreach_targetingrun") == 0
    assert base.count("SELECT COUNT(*) FROM core_auditentry WHERE object_type = 'person'") == 0

    done = json.loads(base.run(*args).stdout)
    assert done == clean
    assert org_count(base, "people_person") == clean["nouvelles_personnes"]
    assert org_count(base, "outreach_targetingentry") == clean["cibles"]
    assert org_count(base, "outreach_targetingrun", "AND NOT t.dry_run") == 1
    again = json.loads(base.run(*args).stdout)  # relancé une fois de plus : déjà importé
    assert again["nouvelles_personnes"] == 0
    assert again["deja_connus"] == clean["cibles"]
    assert org_count(base, "people_person") == clean["nouvelles_personnes"]
    assert org_count(base, "outreach_targetingentry") == clean["cibles"]

    # ------------------------------------------------------------ lot d'historique
    lot = tmp_path / "lot"
    counts = bundle.generate(lot, people=600, contacts=1800, front_line=60)
    people_before = org_count(base, "people_person")
    history = ["importer-historique", str(lot), "--organisation", ORG]
    killed = killed_at(base, "historique", *history, "-v", "2")
    assert "entretiens :" in killed.stderr  # bénéficiaires, accompagnements, entretiens écrits
    assert org_count(base, "steering_externalref") == 0
    assert org_count(base, "people_person") == people_before
    assert org_count(base, "cases_case") == 0
    assert org_count(base, "cases_contact") == 0
    assert (
        base.count("SELECT COUNT(*) FROM core_auditentry WHERE object_type = 'import_historique'")
        == 0
    )

    for _ in range(2):  # relancé jusqu'au bout, puis encore : rien en double
        out = base.run(*history).stdout
        assert "erreur" not in out
        assert org_count(base, "people_person") == people_before + counts["beneficiaires.csv"]
        assert org_count(base, "cases_case") == counts["accompagnements.csv"]
        assert org_count(base, "cases_contact") == counts["entretiens.csv"]
        assert org_count(base, "steering_externalref") == sum(counts.values())
        assert org_count(base, "outreach_frontlinecontact") == counts["contacts_accueil.csv"]
