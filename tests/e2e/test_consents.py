"""Le consentement au partage dans Chromium : l'accueil l'enregistre depuis l'onglet
« Partages » de la fiche (un oubli est signalé sans rien perdre), puis le retire à la demande
de la personne."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import check_page, login


def test_front_line_records_then_withdraws_a_consent(page):
    login(page, "csam.ain")
    expect(page).to_have_url(re.compile(r"/personnes/$"))
    page.get_by_label("Rechercher une personne").fill("a")
    page.get_by_role("button", name="Rechercher").click()
    page.locator("table a[href^='/personnes/']").first.click()
    page.get_by_role("link", name="Partages").click()
    expect(page.get_by_role("heading", name=re.compile("^Partages de"), level=1)).to_be_visible()
    check_page(page, "partages-onglet")

    page.get_by_role("link", name="Enregistrer un consentement").click()
    page.get_by_label("Comment").select_option(label="Oralement, en entretien")
    page.get_by_label("But du partage").fill("Orientation vers le CLIC pour l'aide à domicile")
    page.get_by_text("Identité et coordonnées", exact=True).click()
    page.get_by_role("button", name="Enregistrer le consentement").click()
    expect(page.get_by_text("Nommez au moins un destinataire").first).to_be_visible()
    expect(page.get_by_label("But du partage")).to_have_value(
        "Orientation vers le CLIC pour l'aide à domicile"
    )
    check_page(page, "consentement-erreurs")
    page.get_by_text("CLIC du Bassin burgien", exact=True).click()
    page.get_by_role("button", name="Enregistrer le consentement").click()
    expect(page.get_by_text("Le consentement est enregistré.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Orientation vers le CLIC")
    expect(row.get_by_text("En vigueur")).to_be_visible()
    check_page(page, "partages-consentement")

    row.get_by_role("button", name=re.compile("^Retirer le consentement")).click()
    expect(page.get_by_text("Le consentement est retiré")).to_be_visible()
    expect(row.get_by_text("Retiré", exact=True)).to_be_visible()
