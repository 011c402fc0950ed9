"""Le droit d'accès dans Chromium : le responsable ouvre la fiche, prépare l'export (notes
privées retenues sans motif : refusé sans rien perdre), voit l'aperçu puis télécharge le PDF."""

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import check_page, login
from tests.pdf_checks import assert_tagged_pdf


def test_manager_prepares_previews_and_downloads_the_access_export(page):
    login(page, "manager.ain")
    page.goto("/personnes/")
    page.get_by_label("Rechercher une personne").fill("a")
    page.get_by_role("button", name="Rechercher").click()
    page.locator("table a[href^='/personnes/']").first.click()
    check_page(page, "droit-acces-fiche")
    page.get_by_role("link", name="Droit d'accès").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Droit d'accès de"), level=1)
    ).to_be_visible()
    check_page(page, "droit-acces-formulaire")

    page.get_by_text("Les retenir, pour un motif prévu par la loi").click()
    page.get_by_label("Précision du motif").fill("Notes qui citent un voisin.")
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_text("Choisissez le motif légal").first).to_be_visible()
    expect(page.get_by_label("Précision du motif")).to_have_value("Notes qui citent un voisin.")
    check_page(page, "droit-acces-erreurs")

    page.get_by_text("Les communiquer (par défaut", exact=False).click()
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_role("heading", name=re.compile("^Aperçu du droit d'accès"))).to_be_visible()
    expect(page.get_by_role("heading", name="Consultations du dossier")).to_be_visible()
    check_page(page, "droit-acces-apercu")

    with page.expect_download() as download:
        page.get_by_role("button", name="Générer le PDF").click()
    path = download.value.path()
    assert re.fullmatch(r"droit-acces-\d+\.pdf", download.value.suggested_filename)
    reader = assert_tagged_pdf(Path(path).read_bytes())
    text = reader.pages[0].extract_text()
    assert "Vos données personnelles" in text and "Identité et coordonnées" in text
