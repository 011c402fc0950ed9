"""Une transaction pour les requêtes qui écrivent, aucune pour celles qui lisent
(``parcours.core.transactions``).

Le verrou d'écriture se vérifie sur une vraie base SQLite en fichier (mode WAL, réglages de
production) dans un processus à part : une page lente est en cours dans un fil, et pendant ce
temps une autre connexion écrit dans la base.
"""

import json
import subprocess
import sys
import textwrap

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from parcours.core.models import Organisation

SLOW_PAGE = textwrap.dedent(
    """
    import json, os, sqlite3, sys, threading, time

    os.environ["DJANGO_SETTINGS_MODULE"] = "parcours.settings"
    import django
    django.setup()

    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.urls import path

    inside, release = threading.Event(), threading.Event()

    def slow(request):
        with connection.cursor() as cursor:  # une lecture, puis la page prend son temps
            cursor.execute("SELECT COUNT(*) FROM compteur")
        inside.set()
        release.wait(10)
        return HttpResponse("ok")

    urlpatterns = [path("lente/", slow)]

    database = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    setup = sqlite3.connect(database)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE compteur (n INTEGER)")
    setup.commit()
    setup.close()

    result = {}
    with override_settings(ROOT_URLCONF=__name__):
        page = threading.Thread(
            target=lambda: result.update(status=Client().get("/lente/").status_code)
        )
        page.start()
        assert inside.wait(10)
        other = sqlite3.connect(database, timeout=0.5)
        started = time.monotonic()
        try:
            other.execute("INSERT INTO compteur VALUES (1)")
            other.commit()
            result["write"] = "ok"
        except sqlite3.OperationalError as error:
            result["write"] = str(error)
        result["seconds"] = time.monotonic() - started
        release.set()
        page.join(10)
    print(json.dumps(result))
    """
)


def test_a_page_being_read_does_not_hold_the_sqlite_write_lock(tmp_path):
    script = tmp_path / "page_lente.py"
    script.write_text(SLOW_PAGE)
    completed = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "PARCOURS_ENV": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'base.sqlite3'}",
            "PYTHONPATH": str(tmp_path),
        },
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    # Pendant la page, l'écriture d'une autre connexion passe aussitôt (pas d'attente du verrou).
    assert result["write"] == "ok"
    assert result["seconds"] < 0.4
    assert result["status"] == 200


def _create_then_fail(request):
    Organisation.objects.create(code="annulee", name="Annulée")
    raise RuntimeError("échec au milieu de la vue")


def _create_then_answer_500(request):
    Organisation.objects.create(code="annulee", name="Annulée")
    return HttpResponse("erreur", status=500)


def _create(request):
    Organisation.objects.create(code="gardee", name="Gardée")
    return HttpResponse("ok")


urlpatterns = [
    path("echec/", _create_then_fail),
    path("erreur/", _create_then_answer_500),
    path("ecrit/", _create),
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_failing_post_is_rolled_back(client):
    client.raise_request_exception = False
    assert client.post("/echec/").status_code == 500
    assert client.post("/erreur/").status_code == 500
    assert not Organisation.objects.filter(code="annulee").exists()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_post_runs_in_one_transaction_and_a_get_in_autocommit(client):
    from django.db import connection, transaction

    seen = {}

    def spy(request):
        seen[request.method] = connection.in_atomic_block
        return HttpResponse("ok")

    def reading_post(request):
        seen["lecture en POST"] = connection.in_atomic_block
        return HttpResponse("ok")

    urlpatterns.append(path("espion/", spy))
    urlpatterns.append(path("lecture/", transaction.non_atomic_requests(reading_post)))
    try:
        in_test_transaction = connection.in_atomic_block
        client.get("/espion/")
        client.post("/espion/")
        client.post("/lecture/")
    finally:
        del urlpatterns[-2:]
    assert client.post("/ecrit/").status_code == 200
    assert Organisation.objects.filter(code="gardee").exists()
    assert seen["POST"] is True
    # Le test lui-même tourne dans une transaction : le GET n'en ajoute pas.
    assert seen["GET"] is in_test_transaction
    # @transaction.non_atomic_requests (recherche, connexion) : pas de transaction non plus.
    assert seen["lecture en POST"] is in_test_transaction
