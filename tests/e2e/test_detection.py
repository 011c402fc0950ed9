"""Détection dans Chromium : l'accueil note un appel et réserve le premier créneau ; un
responsable importe un extrait (essai puis import réel), crée une campagne et ses courriers."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from parcours.core import clock
from parcours.demo.outreach import generate_extract
from tests.e2e.conftest import ARTEFACTS, check_page, login


def nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def test_front_line_phone_contact_then_first_free_slot(page):
    login(page, "csam.ain")
    nav(page, "Détection")
    expect(page.get_by_role("heading", name="Détection et premiers contacts")).to_be_visible()
    check_page(page, "detection-accueil-01-detection")
    page.get_by_role("link", name="Contacts d'accueil").click()
    check_page(page, "detection-accueil-02-contacts")
    page.get_by_role("link", name="Noter un contact").click()
    page.get_by_text("Téléphone", exact=True).click()
    page.get_by_text("La personne n'a pas de fiche : la créer").click()
    page.get_by_label("Nom (Optionnel)").fill("Vernier")
    page.get_by_label("Prénoms (Optionnel)").fill("Lucienne")
    page.get_by_label("Date de naissance (Optionnel)").fill("1958-09-21")
    page.get_by_label("Sexe (Optionnel)").select_option("F")
    page.get_by_label("Téléphone (Optionnel)").fill("04 74 22 33 44")
    page.get_by_label("Motif de l'appel ou de la visite").fill("Sortie d'hôpital, besoin d'aide")
    page.get_by_text("Rendez-vous fixé", exact=True).click()
    page.get_by_label("Durée (minutes)").fill("4")
    check_page(page, "detection-accueil-03-saisie")
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Premier créneau libre pour VERNIER Lucienne"
    )
    check_page(page, "detection-accueil-04-premier-creneau")
    page.get_by_role("button", name=re.compile("^Réserver le")).first.click()
    expect(page.get_by_text(re.compile(r"Rendez-vous fixé le \d\d/\d\d/\d{4}"))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("VERNIER Lucienne")
    check_page(page, "detection-accueil-05-fiche")
    nav(page, "Détection")
    page.get_by_role("link", name="Agenda et rendez-vous").click()
    page.get_by_label("AS").select_option(label="Claire Morel")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", name=re.compile("Créneaux libres"))).to_be_visible()
    check_page(page, "detection-accueil-06-agenda")


def test_manager_import_dry_run_campaign_letters(page, tmp_path):
    extraction = clock.today().replace(day=1)
    path = generate_extract(
        tmp_path / "extrait-arrets.csv",
        60,
        seed=99,
        extraction=extraction,
        communes=["01053", "01283"],
        names=["Jourdan", "Kieffer", "Lamotte"],
    )
    with open(path, "a", encoding="utf-8") as handle:  # deux lignes fautives
        handle.write("123;Sans;Clé;F;1970-01-01;01053;;;2026-01-01;MALADIE;;\n")
        handle.write("284050105300112;Mauvais;Sexe;H;1984-05-01;01053;;;2026-01-01;MALADIE;;\n")
    login(page, "manager.ain")
    nav(page, "Détection")
    page.get_by_role("link", name="Ciblages").click()
    check_page(page, "detection-responsable-01-ciblages")
    page.get_by_label("Fichier (CSV").set_input_files(str(path))
    page.get_by_label("Date d'extraction").fill(extraction.isoformat())
    page.get_by_role("button", name="Lancer l'essai").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Essai n°")
    expect(page.get_by_text("Résultat de l'essai (rien n'a été écrit)")).to_be_visible()
    expect(page.get_by_text("code sexe « H » inconnu (attendu : F ou M)")).to_be_visible()
    check_page(page, "detection-responsable-02-essai")
    page.get_by_role("button", name="Lancer l'import réel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import n°")
    expect(page.get_by_text("Personnes ciblées de vos départements")).to_be_visible()
    check_page(page, "detection-responsable-03-import")
    page.get_by_role("link", name="Créer une campagne d'offres de service").click()
    page.get_by_label("Numéro à appeler indiqué dans le courrier (Optionnel)").fill("36 46")
    # La proposition : une place à la réunion d'information « Arrêt de travail : et après ? ».
    page.get_by_text("Une place à une réunion d'information collective").click()
    page.get_by_label("Réunion d'information collective proposée").select_option(index=1)
    check_page(page, "detection-responsable-04-campagne-nouvelle")
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.get_by_text(re.compile(r"Campagne créée : \d+ offres de service"))).to_be_visible()
    expect(page.get_by_text("offres envoyées")).to_be_visible()
    check_page(page, "detection-responsable-05-campagne")
    # Réunion par courrier : les invitations (liens personnels) naissent à la préparation.
    page.get_by_role("button", name="Préparer les courriers").click()
    expect(page.get_by_text(re.compile(r"Courriers prêts : \d+ invitations"))).to_be_visible()
    href = page.get_by_role("link", name="Courriers de la campagne (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / "detection-courriers.pdf").write_bytes(response.body())
    reader = PdfReader(io.BytesIO(response.body()))
    assert len(reader.pages) >= 10
    first = reader.pages[0].extract_text()
    assert "Le service social peut vous aider" in first and "36 46" in first
    assert "réunion d'information collective" in first
    assert re.search(
        r"votre lien personnel : \nhttp://\S+/collectif/lien/\d+-\d+-[0-9a-f]{24}/", first
    )

    # Depuis la réunion : les personnes de la campagne sont déjà invitées, pas en double.
    campaign_pk = re.search(r"/(\d+)/?$", page.url).group(1)
    page.get_by_role("link", name=re.compile("Arrêt de travail : et après")).first.click()
    page.get_by_role("link", name=re.compile(r"^Invitations")).click()
    page.get_by_label("Campagne d'offres de service").select_option(campaign_pk)
    page.get_by_role("button", name="Inviter", exact=True).click()
    expect(
        page.get_by_text(re.compile(r"0 invitation ajoutée ; \d+ personnes déjà invitées"))
    ).to_be_visible()
    check_page(page, "detection-responsable-05b-invitations-reunion")

    # Signalements : ceux qui attendent une AS, avec leur ancienneté.
    nav(page, "Détection")
    page.get_by_role("link", name="Signalements").click()
    expect(page.get_by_text("Signalements sans AS, du plus ancien au plus récent")).to_be_visible()
    check_page(page, "detection-responsable-06-signalements")
