"""L'API dans Chromium : la documentation lisible se charge sans violer la politique de
sécurité des contenus ; l'administrateur émet un jeton (montré une fois) et le révoque."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTEFACTS, check_page, create_admins, login_admin

ADMIN = "admin.jetons-api"
TOTP_KEY = "3132333435363738393031323334353637383931"


def test_docs_page_renders_without_csp_violation(page):
    page.goto("/api/v1/docs")
    expect(page.get_by_text("Parcours — API des partenaires").first).to_be_visible()
    expect(page.get_by_text("/api/v1/signalements").first).to_be_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "api-documentation.png"), full_page=False)
    assert page.csp_errors == [], page.csp_errors


@pytest.fixture(scope="session")
def token_admin(e2e_server):
    create_admins([ADMIN], key=TOTP_KEY, first_name="Sam", last_name="Jeton")
    return ADMIN


def test_admin_issues_then_revokes_a_token(page, token_admin):
    login_admin(page, token_admin, TOTP_KEY)
    page.goto("/administration/")
    page.get_by_role("link", name="Jetons d'API").click()
    expect(page.get_by_role("heading", name="Jetons d'API", level=1)).to_be_visible()
    page.get_by_role("link", name="Émettre un jeton").click()
    page.get_by_label("Détenteur du jeton").select_option(index=1)
    page.get_by_text("Lire les séances collectives à venir").click()
    page.get_by_label("Libellé").fill("Accueil du CCAS")
    check_page(page, "api-jeton-nouveau")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Copiez le jeton maintenant")).to_be_visible()
    secret = page.locator("#jeton-secret").inner_text()
    assert secret.startswith("prc_")
    check_page(page, "api-jeton-montre")
    page.reload()
    expect(page.get_by_text("Copiez le jeton maintenant")).to_have_count(0)
    page.get_by_role("button", name="Révoquer ce jeton").click()
    expect(page.get_by_text("Le jeton est révoqué")).to_be_visible()
    page.get_by_role("link", name="Tous les jetons").click()
    expect(page.get_by_text("Révoqué").first).to_be_visible()
    check_page(page, "api-jetons")
