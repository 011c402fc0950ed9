"""La protection des données dans Chromium : l'administrateur modifie une ligne du registre des
traitements (une saisie concurrente est refusée, les deux versions visibles) et les durées de
conservation ; la DPO arrive sur « Protection des données », lit la ligne et télécharge le PDF."""

import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ARTEFACTS,
    check_page,
    create_admins,
    login_admin,
)
from tests.pdf_checks import assert_tagged_pdf

ADMIN = "admin.registre"
DPO = "dpo.registre"
TOTP_KEY = "3132333435363738393031323334353637383932"
NEW_RECIPIENTS = "Agents du service social de l'organisme\nCentre social co-animateur : la liste"


@pytest.fixture(scope="session")
def register_admin(e2e_server):
    create_admins([ADMIN], key=TOTP_KEY, first_name="Rémi", last_name="Registre")
    create_admins([DPO], key=TOTP_KEY, first_name="Denise", last_name="Délégué", dpo=True)
    return ADMIN


def test_admin_edits_a_processing_then_the_dpo_reads_it_and_downloads_the_pdf(page, register_admin):
    login_admin(page, register_admin, TOTP_KEY)
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Protection des données").click()
    expect(page.get_by_role("heading", name="Protection des données", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Actions collectives de prévention")).to_be_visible()
    check_page(page, "protection-donnees-accueil")

    page.get_by_role("link", name="Lire le registre complet").click()
    expect(page.get_by_role("heading", name="Registre des traitements", level=1)).to_be_visible()
    check_page(page, "registre-traitements")
    page.get_by_role("link", name="Modifier « Actions collectives de prévention »").click()
    edit_url = page.url
    other = page.context.new_page()  # un second onglet ouvre la même ligne
    other.goto(edit_url)
    page.get_by_label("Destinataires").fill(NEW_RECIPIENTS)
    check_page(page, "traitement-modifier")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le traitement est enregistré.")).to_be_visible()
    expect(page.get_by_text("Centre social co-animateur : la liste")).to_be_visible()

    other.get_by_label("Finalité").fill("Saisie de l'onglet resté ouvert.")
    other.get_by_role("button", name="Enregistrer").click()
    expect(other.get_by_text("Un autre administrateur a modifié ce traitement")).to_be_visible()
    expect(other.get_by_label("Finalité")).to_have_value("Saisie de l'onglet resté ouvert.")
    expect(other.get_by_text("Centre social co-animateur : la liste")).to_be_visible()
    other.csp_errors = []
    check_page(other, "traitement-conflit")
    other.close()

    page.goto("/protection-donnees/conservation/")
    page.get_by_label("Dossiers clos (années)").fill("11")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Dossiers clos : de 1 à 10 ans (vous avez écrit 11).")).to_be_visible()
    check_page(page, "durees-conservation-erreur")
    page.get_by_label("Dossiers clos (années)").fill("6")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Les durées de conservation sont enregistrées.")).to_be_visible()
    page.context.clear_cookies()

    login_admin(page, DPO, TOTP_KEY)
    expect(page.get_by_role("heading", name="Protection des données", level=1)).to_be_visible()
    expect(page.get_by_text("6 ans après la dernière clôture").first).to_be_visible()
    expect(page.get_by_role("link", name="Modifier les durées")).to_have_count(0)
    page.get_by_role("link", name="Actions collectives de prévention").click()
    section = page.locator("section", has_text="Actions collectives de prévention")
    expect(section.get_by_text("Centre social co-animateur : la liste")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter un traitement")).to_have_count(0)
    check_page(page, "registre-traitements-dpo")
    page.goto("/protection-donnees/conservation/")
    check_page(page, "durees-conservation-dpo")

    href = page.goto("/protection-donnees/registre/") and page.get_by_role(
        "link", name="Registre en PDF"
    ).get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert_tagged_pdf(response.body())
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / "registre-traitements.pdf").write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(ARTEFACTS / "registre-traitements.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "Centre social co-animateur : la liste" in text
    assert "6 ans après la dernière clôture" in " ".join(text.split())
    page.goto("/protection-donnees/")
    page.get_by_role("link", name="trouver la personne").click()
    expect(page.get_by_role("heading", name="Droit d'accès : trouver la personne")).to_be_visible()
    page.get_by_label("NIR de la personne").fill("1 70 05 01 007 012 34")
    page.get_by_role("button", name="Trouver la personne").click()
    expect(page.get_by_text("NIR", exact=False).first).to_be_visible()
    check_page(page, "droit-acces-recherche")
