"""Parcours navigateur : un vrai serveur (processus séparé), une vraie base, Chromium de Debian.

Le serveur tourne sur sa propre base (fichier SQLite, ou base PostgreSQL dédiée quand
``DATABASE_URL`` désigne PostgreSQL), préparée par ``parcours init`` et ``parcours demo``.
Chaque page visitée peut être contrôlée par axe-core (aucune violation sérieuse ou critique) et
photographiée dans ``test-artefacts/``.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"
DEMO_PASSWORD = "parcours-demo-2026"
#: L'environnement du serveur de test (sa base), pour préparer des données par la ligne de
#: commande (``parcours shell -c``) ; rempli par ``e2e_server``.
SERVER_ENV: dict[str, str] = {}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_dir / 'e2e.sqlite3'}"
    import psycopg

    base, _, name = url.rpartition("/")
    e2e_name = f"{name or 'parcours'}_e2e"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{e2e_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{e2e_name}"')
    return f"{base}/{e2e_name}"


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium est absent : .ci/run doit l'installer (paquet chromium).")
        pytest.skip("Chromium (/usr/bin/chromium) absent : apt-get install chromium")
    tmp_dir = tmp_path_factory.mktemp("e2e")
    env = os.environ | {
        "DATABASE_URL": _database_url(tmp_dir),
        "DJANGO_SETTINGS_MODULE": "parcours.settings_test",
        "PARCOURS_ENV": "test",
    }
    SERVER_ENV.update(env)
    cli = [sys.executable, "-m", "parcours.cli"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*cli, "demo", "--personnes", "300", "--seed", "11"],
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base_url}/sante/", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail(f"Le serveur n'a pas démarré : {server.stderr.read().decode()[-2000:]}")
    yield base_url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, e2e_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="fr-FR", base_url=e2e_server
    )
    context.set_default_timeout(15000)
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP ' + e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber + ' '"
        " + JSON.stringify(e.sample) + ' sur ' + location.pathname))"
    )
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: page.csp_errors.append(msg.text) if msg.text.startswith("CSP ") else None,
    )
    yield page
    context.close()


def login(page, username, password=DEMO_PASSWORD):
    page.goto("/connexion/")
    page.get_by_label("Identifiant", exact=True).fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")


def create_admins(names, *, key: str, first_name: str, last_name: str, dpo: bool = False) -> None:
    """Des administrateurs (ou, ``dpo``, des DPO sans autre rôle) de l'organisme de
    démonstration dans la base du serveur, chacun avec un second facteur de clé connue (``key``,
    hexadécimale) : ``login_admin`` les connecte."""
    code = f"""
from django_otp.plugins.otp_totp.models import TOTPDevice
from parcours.core.models import User
demo = User.objects.get(username="admin")
for name in {list(names)!r}:
    user = User.objects.create_user(
        username=name, password="{DEMO_PASSWORD}", organisation=demo.organisation,
        is_org_admin={not dpo}, is_dpo={dpo}, function="",
        first_name="{first_name}", last_name="{last_name}",
    )
    user.departements.set(demo.departements.all())
    TOTPDevice.objects.create(user=user, name="test", confirmed=True, key="{key}")
"""
    subprocess.run(
        [sys.executable, "-m", "parcours.cli", "shell", "-c", code],
        env=SERVER_ENV,
        check=True,
        capture_output=True,
    )


def login_admin(page, username: str, key: str) -> None:
    """Connexion d'un administrateur créé par ``create_admins`` : mot de passe puis code."""
    from django_otp.oath import totp

    login(page, username)
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(bytes.fromhex(key)):06d}")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state("networkidle")


def check_page(page, name: str):
    """Capture d'écran dans test-artefacts/ et contrôle axe-core : ni sérieux ni critique."""
    from axe_playwright_python.sync_playwright import Axe

    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert serious == [], f"{name} : violations d'accessibilité\n" + "\n".join(serious)
    assert page.csp_errors == [], f"{name} : violations CSP {page.csp_errors}"


@pytest.fixture(scope="session", autouse=True)
def _clean_artefacts():
    if ARTEFACTS.exists():
        shutil.rmtree(ARTEFACTS)
    yield
