"""Un parcours partagé dans Chromium : une AS de la Carsat ouvre un parcours avec la CAF sous
le consentement de la personne ; l'AS de la CAF n'en lit que les parties consenties (identité
et étapes, pas la synthèse, jamais l'accompagnement) ; la personne retire son consentement, la
CAF perd l'accès aussitôt."""

import subprocess
import sys
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.e2e.conftest import SERVER_ENV, check_page, login

CAF = "CAF de l'Ain et du Rhône (démonstration)"


def person_without_pathway() -> tuple[int, str]:
    code = """
from parcours.people.models import Person
p = (Person.objects.filter(organisation__code="carsat-demo", departement_id="01",
     shared_pathways__isnull=True, consents__isnull=True).order_by("-pk").first())
print(p.pk, p.last_name.upper())
"""
    out = subprocess.run(
        [sys.executable, "-m", "parcours.cli", "shell", "-c", code],
        env=SERVER_ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[-2]), out[-1]


def nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def switch(page, username):
    page.context.clear_cookies()
    login(page, username)


def test_shared_pathway_consent_and_withdrawal(page):
    pk, last_name = person_without_pathway()
    login(page, "as.ain")
    page.goto(f"/personnes/{pk}/partages/")
    page.get_by_role("link", name="Enregistrer un consentement").click()
    page.get_by_label("Comment").select_option(label="Par écrit (formulaire signé)")
    page.get_by_label("But du partage").fill("Parcours séparation avec la CAF")
    page.get_by_text("Identité et coordonnées", exact=True).click()
    page.get_by_text("Étapes du parcours", exact=True).click()
    page.get_by_text(CAF, exact=True).click()
    page.get_by_role("button", name="Enregistrer le consentement").click()
    expect(page.get_by_text("Le consentement est enregistré.")).to_be_visible()

    page.get_by_role("link", name="Ouvrir un parcours partagé").click()
    check_page(page, "parcours-choix-consentement")
    page.get_by_role("link", name="Ouvrir le parcours sous le consentement").first.click()
    expect(page.get_by_label("Synthèse partagée du parcours")).to_have_count(0)  # non couverte
    page.get_by_label("Objet du parcours").select_option(label="Parcours séparation")
    page.get_by_text("Identité et coordonnées", exact=True).click()
    page.get_by_text("Étapes du parcours", exact=True).click()
    page.get_by_text(CAF, exact=True).click()
    check_page(page, "parcours-ouverture")
    page.get_by_role("button", name="Ouvrir le parcours").click()
    expect(page.get_by_text("Le parcours partagé est ouvert.")).to_be_visible()
    page.get_by_label("Nature").select_option(label="Rendez-vous")
    page.get_by_role("textbox", name="Étape").fill("RDV Carsat fixé : droits retraite")
    page.get_by_role("button", name="Ajouter l'étape").click()
    expect(page.get_by_text("RDV Carsat fixé : droits retraite")).to_be_visible()
    check_page(page, "parcours-page-carsat")
    url = page.url

    switch(page, "caf.as.ain")
    nav(page, "Parcours partagés")
    expect(page.get_by_role("heading", name="Parcours partagés", level=1)).to_be_visible()
    check_page(page, "parcours-liste-caf")
    page.goto(url)
    expect(page.get_by_text(last_name).first).to_be_visible()
    expect(page.get_by_text("RDV Carsat fixé : droits retraite")).to_be_visible()
    expect(page.get_by_role("heading", name="Synthèse partagée")).to_have_count(0)
    page.get_by_label("Nature").select_option(label="Rendez-vous")
    page.get_by_role("textbox", name="Étape").fill("RDV CAF fixé")
    page.get_by_role("button", name="Ajouter l'étape").click()
    expect(page.get_by_text("RDV CAF fixé", exact=False).first).to_be_visible()
    check_page(page, "parcours-page-caf")
    assert page.goto(f"/personnes/{pk}/").status == 404  # jamais la fiche ni les suivis

    switch(page, "as.ain")
    page.goto(f"/personnes/{pk}/partages/")
    page.get_by_role("button", name="Retirer le consentement").first.click()
    expect(page.get_by_text("Le consentement est retiré")).to_be_visible()
    check_page(page, "partages-apres-retrait")
    assert page.goto(url).status == 200  # la Carsat garde le parcours

    switch(page, "caf.as.ain")
    assert page.goto(url).status == 404
    page.goto("/parcours-partages/")
    expect(page.locator(f'a[href="{urlparse(url).path}"]')).to_have_count(0)
