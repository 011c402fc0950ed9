"""Un parcours par rôle, dans Chromium, sur la base de démonstration."""

import base64
import re

from playwright.sync_api import expect

from tests.e2e.conftest import check_page, login


def nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def test_social_worker_journey(page):
    login(page, "as.ain")
    expect(page).to_have_url(re.compile(r"/mon-activite/$"))
    expect(page.get_by_role("heading", name="Mon activité", level=1)).to_be_visible()
    check_page(page, "as-01-mon-activite")

    # Trouver : personne inconnue, puis création de la fiche.
    nav(page, "Personnes")
    page.get_by_label("Rechercher une personne").fill("Lambertin Odile")
    expect(page.get_by_text("Aucune personne trouvée")).to_be_visible()
    check_page(page, "as-02-recherche")
    page.get_by_role("link", name="Créer une fiche").first.click()
    page.get_by_label("Nom d'usage").fill("Lambertin")
    page.get_by_label("Prénoms").fill("Odile")
    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("Date de naissance").fill("1968-03-14")
    page.get_by_label("Département de résidence").select_option("01")
    page.get_by_label("Commune (code INSEE)").fill("01053")
    page.get_by_label("Téléphone").fill("04 74 11 22 33")
    check_page(page, "as-03-creation")
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LAMBERTIN Odile")
    check_page(page, "as-04-fiche")

    # Ouvrir un accompagnement PDP.
    page.get_by_role("link", name="Ouvrir un accompagnement").click()
    page.get_by_label("Programme").select_option("PDP")
    page.get_by_label("Origine").select_option("SIGNALEMENT")
    page.get_by_role("button", name="Ouvrir l'accompagnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Prévention de la désinsertion professionnelle"
    )
    case_url = page.url

    # Entretien : une page, pas de rechargement (htmx).
    page.get_by_label("Mode").select_option("VAD")
    page.get_by_label("Durée (minutes)").fill("45")
    page.get_by_text("Information, orientation", exact=True).click()
    page.get_by_text("Maintien dans l'emploi", exact=True).click()
    page.get_by_label("Note (partagée avec l'équipe)").fill("Première visite, arrêt depuis mars.")
    page.evaluate("window.__sansRechargement = true")
    page.get_by_role("button", name="Enregistrer l'entretien").click()
    expect(page.get_by_text("L'entretien est enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", name="Entretiens (1)")).to_be_visible()
    assert page.evaluate("window.__sansRechargement") is True
    assert page.url == case_url
    check_page(page, "as-05-accompagnement")

    # Note privée.
    page.get_by_label("Nouvelle note privée").fill("Inquiétude sur l'isolement (note privée).")
    page.get_by_role("button", name="Enregistrer la note privée").click()
    expect(page.get_by_text("Inquiétude sur l'isolement (note privée).")).to_be_visible()

    # Clore avec l'issue PDP.
    page.get_by_role("link", name="Clore l'accompagnement").click()
    page.get_by_role("button", name="Clore").click()
    expect(page.get_by_text("Ce champ est obligatoire").first).to_be_visible()
    page.get_by_label("Issue").select_option("MAINTIEN_EMPLOI")
    page.get_by_label("Risque").select_option("MALADIE")
    page.get_by_label("Secteur d'activité").select_option("INDUSTRIE")
    page.get_by_label("Contrat de travail à l'entrée").select_option("CDI")
    check_page(page, "as-06-cloture")
    page.get_by_role("button", name="Clore").click()
    expect(page.get_by_text("L'accompagnement est clos.")).to_be_visible()
    expect(page.get_by_text("Clos le").first).to_be_visible()

    # La personne se retrouve, même avec une faute de frappe.
    nav(page, "Personnes")
    page.get_by_label("Rechercher une personne").fill("lambertain")
    expect(page.get_by_role("link", name="LAMBERTIN Odile")).to_be_visible()


def test_manager_journey(page):
    login(page, "manager.ain")
    expect(page).to_have_url(re.compile(r"/equipe/$"))
    check_page(page, "manager-01-equipe")
    nav(page, "Accompagnements")
    check_page(page, "manager-02-accompagnements")
    first_row = page.locator("tbody tr").first
    person = first_row.locator("td").first.inner_text()
    select = first_row.get_by_role("combobox")
    options = select.locator("option").all_inner_texts()
    current = select.locator("option:checked").inner_text()
    target = next(o for o in options if o != current)
    select.select_option(label=target)
    first_row.get_by_role("button", name="OK").click()
    expect(page.get_by_text(f"L'accompagnement est confié à {target}.")).to_be_visible()
    page.get_by_role("link", name=person).first.click()
    expect(page.get_by_text(f"référent·e : {target}")).to_be_visible()


def test_front_line_journey(page):
    login(page, "csam.ain")
    expect(page).to_have_url(re.compile(r"/personnes/$"))
    page.get_by_label("Rechercher une personne").fill("a")
    page.locator("#resultats tbody a").first.wait_for()
    page.locator("#resultats tbody a").first.click()
    expect(page.get_by_text("Suivi·e par")).to_be_visible()
    expect(page.get_by_text("réservé aux travailleurs sociaux")).to_be_visible()
    check_page(page, "accueil-01-fiche")


def test_admin_must_enrol_a_second_factor(page):
    from django_otp.oath import totp

    login(page, "admin")
    expect(page).to_have_url(re.compile(r"/compte/second-facteur/$"))
    check_page(page, "admin-01-second-facteur")
    secret = page.locator("code").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(secret)):06d}"
    page.get_by_label("Code à 6 chiffres").fill(code)
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Le second facteur est activé.")).to_be_visible()
    nav(page, "Administration")
    check_page(page, "admin-02-administration")
