"""Un import tué net (SIGKILL) en pleine écriture, puis relancé : rien en double, rien à moitié.

Les vraies commandes (``parcours importer-extrait-arrets``, ``parcours importer-historique``)
tournent dans un processus à part, sur une base à elles (fichier SQLite dans ``tmp_path``, ou
une base PostgreSQL ``…_crash`` quand ``DATABASE_URL`` désigne PostgreSQL) que le test lit
directement. Chaque import est tué après un début d'écriture, la base est relue (rien n'est
resté de l'import tué), puis il est relancé jusqu'au bout : les comptes sont ceux d'un import
fait d'une traite (ce que l'essai annonce, ce que le lot contient).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parcours.demo.outreach import generate_extract
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

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 (notre propre commande)
            [*self.cli, *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def count(self, sql: str) -> int:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.sqlite_path) as conn:
                return conn.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchone()[0]

    def writing(self) -> bool:
        """Un autre processus a commencé d'écrire dans une transaction non validée."""
        if self.vendor == "sqlite":  # des pages écrites dans le journal WAL (quelques lots)
            wal = self.sqlite_path.with_name(self.sqlite_path.name + "-wal")
            return wal.exists() and wal.stat().st_size > 1_000_000
        return bool(
            self.count(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            )
        )


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


def kill_when(process: subprocess.Popen, ready, timeout: float = 60) -> None:
    """Tue ``process`` (SIGKILL) dès que ``ready()`` ; échoue s'il a fini avant."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, "l'import a fini avant d'être interrompu : lot trop petit"
        assert time.monotonic() < deadline, "l'import n'a pas commencé à écrire"
        time.sleep(0.05)
    assert process.poll() is None, "l'import a fini avant d'être interrompu : lot trop petit"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.skipif(
    os.environ.get("CI") == "true",
    reason="course connue : le SIGKILL peut tomber après la validation de l'import sur une "
    "machine chargée ; à rendre déterministe (test lancé hors CI)",
)
def test_killed_imports_leave_nothing_and_a_rerun_gives_a_clean_import(base, tmp_path):
    # ------------------------------------------------------------ extrait d'arrêts de travail
    extract = generate_extract(tmp_path / "extrait.csv", TARGETING_ROWS, seed=3)
    args = ["importer-extrait-arrets", str(extract), "--organisation", ORG]
    args += ["--date-extraction", "2026-06-01", "--format", "json"]
    clean = json.loads(base.run(*args, "--essai").stdout)  # ce que ferait un import d'une traite
    assert clean["cibles"] > 1000 and clean["nouvelles_personnes"] == clean["cibles"]

    process = base.start(*args)
    since: list[float] = []

    def writing_for_a_while() -> bool:  # des lots de personnes déjà écrits, non validés
        if not since and base.writing():
            since.append(time.monotonic())
        return bool(since) and time.monotonic() - since[0] > 0.5

    kill_when(process, writing_for_a_while)
    assert org_count(base, "people_person") == 0
    assert org_count(base, "outreach_targetingentry") == 0
    assert org_count(base, "outreach_targetingrun") == 0
    assert base.count("SELECT COUNT(*) FROM core_auditentry WHERE object_type = 'person'") == 0

    done = json.loads(base.run(*args).stdout)
    assert done == clean
    assert org_count(base, "people_person") == clean["nouvelles_personnes"]
    assert org_count(base, "outreach_targetingentry") == clean["cibles"]
    assert org_count(base, "outreach_targetingrun", "AND NOT t.dry_run") == 1

    # ------------------------------------------------------------ lot d'historique
    lot = tmp_path / "lot"
    counts = bundle.generate(lot, people=3000, contacts=9000, front_line=300)
    people_before = org_count(base, "people_person")
    process = base.start("importer-historique", str(lot), "--organisation", ORG, "-v", "2")
    progress: list[str] = []

    def writing_contacts() -> bool:
        line = process.stderr.readline()
        progress.append(line)
        return line.strip().startswith("entretiens :")  # bénéficiaires et accompagnements écrits

    kill_when(process, writing_contacts)
    assert any(line.startswith("Bénéficiaires") for line in progress)
    assert org_count(base, "steering_externalref") == 0
    assert org_count(base, "people_person") == people_before
    assert org_count(base, "cases_case") == 0
    assert org_count(base, "cases_contact") == 0

    out = base.run("importer-historique", str(lot), "--organisation", ORG).stdout
    assert "erreur" not in out
    assert org_count(base, "people_person") == people_before + counts["beneficiaires.csv"]
    assert org_count(base, "cases_case") == counts["accompagnements.csv"]
    assert org_count(base, "cases_contact") == counts["entretiens.csv"]
    assert org_count(base, "steering_externalref") == sum(counts.values())
    assert org_count(base, "outreach_frontlinecontact") == counts["contacts_accueil.csv"]
