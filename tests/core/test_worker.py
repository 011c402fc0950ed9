"""Tâches de fond : le travailleur relancé s'il meurt, les tâches reprises si la base est
verrouillée, et une tâche qui échoue le dit sur sa page (``core/worker.py``,
``parcours travailleur``)."""

import datetime
import io
import os
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from parcours.core import clock, worker
from parcours.outreach.models import TargetingRun
from parcours.steering.models import HistoryImport
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.outreach.factories import HEADER, extract_row

ROOT = Path(__file__).resolve().parents[2]


def _environment(tmp_path):
    """Un vrai environnement de développement (tâches en base), sur une base SQLite à part."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PARCOURS_ENV": "development",
        "PARCOURS_HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'base.sqlite3'}",
        "PARCOURS_SECRET_KEY": "cle-de-test-du-travailleur-" + "x" * 40,
        "PARCOURS_NIR_KEY": "dGVzdC1uaXIta2V5LTMyLWJ5dGVzLWxvbmctMDEyMzQ=",
        "PARCOURS_NIR_HMAC_KEY": "test-nir-hmac-key",
    }


def _parcours(env, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "parcours.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
        cwd=ROOT,
    )


def _read_until(stream, needle, timeout=60):
    """Les lignes de ``stream`` jusqu'à la première qui contient ``needle``."""
    end, lines = time.monotonic() + timeout, []
    while time.monotonic() < end:
        ready, _, _ = select.select([stream], [], [], 0.5)
        if ready:
            line = stream.readline()
            lines.append(line)
            if needle in line:
                return lines
    raise AssertionError(f"« {needle} » jamais écrit ; lu : {lines}")


def _worker_id(pid, timeout=20):
    """L'identifiant passé au travailleur ``pid`` (sa ligne de commande, une fois lancé)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"--worker-id" in cmdline:
            return cmdline[cmdline.index(b"--worker-id") + 1].decode()
        time.sleep(0.1)
    raise AssertionError(f"processus {pid} sans --worker-id")


def _child_pid(line):
    return int(line.split("processus ")[1].split(")")[0].split(",")[0])


def test_a_killed_worker_is_restarted_and_its_task_marked_failed(tmp_path):
    env = _environment(tmp_path)
    _parcours(env, "migrate", "-v", "0")
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "parcours.cli", "travailleur", "--intervalle", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        first = _child_pid(_read_until(supervisor.stdout, "Travailleur démarré")[-1])
        worker_id = _worker_id(first)
        # Une tâche que ce travailleur a commencée (état en base d'une tâche en cours).
        _parcours(
            env,
            "shell",
            "-c",
            "from django_tasks_db.models import DBTaskResult; DBTaskResult.objects.create("
            "task_path='parcours.steering.tasks.run_history_import', status='RUNNING', "
            f"args_kwargs={{'args': [1], 'kwargs': {{}}}}, worker_ids=[{worker_id!r}], "
            "backend_name='default')",
        )
        os.kill(first, signal.SIGKILL)
        lines = _read_until(supervisor.stdout, "Travailleur démarré")
        second = _child_pid(lines[-1])
        assert second != first
        assert f"Travailleur arrêté (processus {first}, code -9)" in "".join(lines)
        assert "1 tâche(s) en cours marquée(s) en échec" in "".join(lines)
        os.kill(second, 0)  # vivant
        status = _parcours(
            env,
            "shell",
            "-c",
            "from django_tasks_db.models import DBTaskResult; "
            "print(DBTaskResult.objects.get(task_path__endswith='run_history_import').status, "
            "DBTaskResult.objects.get(task_path__endswith='daily_purges').status)",
        ).stdout.split()[-2:]
        # la tâche tuée en échec ; la purge quotidienne, mise en file au démarrage, attend
        assert status == ["FAILED", "READY"]
    finally:
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(30) == 0
    with pytest.raises(ProcessLookupError):
        os.kill(second, 0)


def test_a_task_is_retried_while_the_database_is_locked(tmp_path):
    database = tmp_path / "verrou.sqlite3"
    sqlite3.connect(database).execute("CREATE TABLE t (n INTEGER)").connection.commit()
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, holder.rollback).start()
    attempts = []

    @worker.retry_when_locked
    def write():
        attempts.append(time.monotonic())
        other = sqlite3.connect(database, timeout=0)
        try:
            other.execute("INSERT INTO t VALUES (1)")
            other.commit()
        except sqlite3.OperationalError as error:
            raise OperationalError(str(error)) from error
        finally:
            other.close()
        return "écrit"

    assert write() == "écrit"
    assert len(attempts) >= 2  # refusé, puis repris 1 s plus tard : le verrou est levé


@pytest.mark.django_db
def test_a_history_import_that_crashes_says_so_on_its_page(
    org, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    admin = UserFactory(organisation=org, admin=True, departements=["01"])
    login_as(client, admin)
    lines = "id;nir;nom;prenom;sexe;date_naissance;commune_insee;departement\n"
    lines += "B1;;Nom;Prenom;F;1970-05-17;;01\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("beneficiaires.csv", lines)
    damaged = buffer.getvalue().replace(b"Nom;Prenom", b"Mon;Prenom", 1)  # somme de contrôle fausse
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pilotage-historique"),
            {"archive": SimpleUploadedFile("historique.zip", damaged)},
        )
    job = HistoryImport.objects.get()
    assert job.status == HistoryImport.Status.ECHEC
    page = unescape(client.get(response.url).content.decode())
    assert "Échec" in page
    assert "La tâche de fond s'est arrêtée sur une erreur inattendue" in page


@pytest.fixture
def manager_run(org, client, settings, tmp_path, django_capture_on_commit_callbacks):
    """Un ciblage envoyé dont la tâche n'a pas encore tourné (« En attente »)."""
    settings.PARCOURS_IMPORT_DIR = tmp_path / "imports"
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    login_as(client, manager)
    content = (HEADER + "\n" + extract_row(1) + "\n").encode()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("ciblages"),
            {
                "fichier": SimpleUploadedFile("extrait.csv", content),
                "date_extraction": "2026-06-01",
            },
        )
    run = TargetingRun.objects.get()
    assert run.status == TargetingRun.Status.EN_ATTENTE
    return run


@pytest.mark.django_db
def test_a_run_whose_worker_died_says_echec_on_its_page(client, manager_run):
    DBTaskResult.objects.create(
        task_path="parcours.outreach.tasks.run_targeting",
        status="RUNNING",
        args_kwargs={"args": [manager_run.pk], "kwargs": {}},
        worker_ids=["parcours-machine-1"],
        backend_name="default",
    )
    assert worker.fail_abandoned("parcours-machine-1") == 1
    page = unescape(client.get(reverse("ciblage", args=[manager_run.pk])).content.decode())
    assert "Échec" in page
    assert "Le travailleur des tâches de fond s'est arrêté pendant la tâche" in page
    assert DBTaskResult.objects.get().status == "FAILED"


@pytest.mark.django_db
def test_a_run_waiting_too_long_is_shown_as_such(client, manager_run):
    url = reverse("ciblage", args=[manager_run.pk])
    message = "En attente depuis plus de 10 minutes"
    assert message not in unescape(client.get(url).content.decode())
    TargetingRun.objects.filter(pk=manager_run.pk).update(
        created_at=clock.now() - datetime.timedelta(minutes=11)
    )
    assert message in unescape(client.get(url).content.decode())


@pytest.mark.django_db
def test_an_extract_of_invalid_lines_shows_its_progress(org, tmp_path):
    from parcours.outreach import services

    path = tmp_path / "invalide.csv"
    path.write_text(HEADER + "\n" + "".join(f"x{i};;;;;;;;;;;\n" for i in range(12_000)))
    fractions = []
    services.run_sick_leave_extract(
        actor=None,
        organisation=org,
        path=path,
        extraction_date=datetime.date(2026, 6, 1),
        dry_run=True,
        on_progress=fractions.append,
    )
    assert len(fractions) == 2  # lignes 5 000 et 10 000, toutes rejetées
    assert 0 < fractions[0] < fractions[1] < 1


@pytest.mark.django_db
def test_a_letter_batch_whose_worker_died_says_echec(client, org, settings):
    from parcours.outreach.models import LetterBatch
    from tests.factories import make_person
    from tests.outreach.test_campaign_letters import PARIS, POST, campaign_of, meeting

    settings.PARCOURS_LETTERS_BACKGROUND_FROM = 2
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        manager = UserFactory(organisation=org, manager=True, departements=["01"])
        people = [make_person(org=org, actor=manager, last_name=n, **POST) for n in ("Al", "Bo")]
        campaign = campaign_of(manager, people, action=meeting(org, manager))
        login_as(client, manager)
        client.post(reverse("campagne-preparer-courriers", args=[campaign.pk]))  # pas lancée
    batch = LetterBatch.objects.get()
    assert batch.status == LetterBatch.Status.EN_COURS
    DBTaskResult.objects.create(
        task_path="parcours.outreach.tasks.render_letters",
        status="RUNNING",
        args_kwargs={"args": [batch.pk], "kwargs": {}},
        worker_ids=["parcours-machine-2"],
        backend_name="default",
    )
    assert worker.fail_abandoned("parcours-machine-2") == 1
    assert LetterBatch.objects.get().status == LetterBatch.Status.ECHEC
