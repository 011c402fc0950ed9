"""Actions collectives dans Chromium : l'AS (action, séance, invitation, présences) et le
participant (inscription par son lien personnel, questionnaire), sans compte."""

import datetime
import re

from playwright.sync_api import expect

from parcours.core import clock
from tests.e2e.conftest import ARTEFACTS, check_page, login

PDP_MEETINGS = "Réunions d'information « Arrêt de travail : et après ? »"


def nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def check_public_page(page, name: str):
    """Page publique : capture, et axe-core sans AUCUNE violation (quel que soit l'impact)."""
    from axe_playwright_python.sync_playwright import Axe

    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert violations == [], f"{name} : violations d'accessibilité\n" + "\n".join(violations)
    assert page.csp_errors == [], f"{name} : violations CSP {page.csp_errors}"


def public_page(browser, e2e_server, javascript: bool):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="fr-FR",
        base_url=e2e_server,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: page.csp_errors.append(msg.text) if msg.text.startswith("CSP ") else None,
    )
    return context, page


def test_social_worker_and_participant_journeys(page, browser, e2e_server):
    login(page, "as.ain")

    # Une fiche pour la personne à inviter.
    nav(page, "Personnes")
    page.get_by_label("Rechercher une personne").fill("Vasseur Odette")
    page.get_by_role("link", name="Créer une fiche").first.click()
    page.get_by_label("Nom d'usage").fill("Vasseur")
    page.get_by_label("Prénoms").fill("Odette")
    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("Date de naissance").fill("1969-04-11")
    page.get_by_label("Département de résidence").select_option("01")
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("VASSEUR Odette")

    # Créer l'action et sa séance.
    nav(page, "Actions collectives")
    expect(page.get_by_role("heading", name="Actions collectives", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=PDP_MEETINGS)).to_be_visible()
    check_page(page, "collectif-01-actions")
    page.get_by_role("link", name="Nouvelle action").click()
    page.get_by_label("Type d'action").select_option("ATELIER")
    page.get_by_label("Programme").select_option("PDP")
    page.get_by_label("Intitulé", exact=True).fill("Atelier Prév'Emploi")
    page.get_by_label("Public visé").fill("salariés en arrêt long")
    page.get_by_label("Département", exact=True).select_option("01")
    # l'annuaire d'abord (case à cocher), le reste en texte libre
    page.locator("fieldset", has_text="Partenaires (annuaire)").get_by_text(
        "Cap emploi Ain (Cap emploi)"
    ).click()
    page.get_by_role("textbox", name=re.compile(r"^Autres partenaires")).fill(
        "service de santé au travail"
    )
    page.locator("label[for=id_facilitators_0]").click()
    page.get_by_label("Intervenants des partenaires").fill("M. Bernard (Cap emploi)")
    check_page(page, "collectif-02-nouvelle-action")
    page.get_by_role("button", name="Créer l'action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier Prév'Emploi")
    expect(page.get_by_role("link", name="Cap emploi Ain")).to_be_visible()
    page.get_by_role("link", name="Ajouter une séance").click()
    day = clock.today() + datetime.timedelta(days=21)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Heure de fin").fill("16:30")
    page.get_by_label("Nombre de places").fill("12")
    page.get_by_role("combobox", name="Lieu d'accueil").select_option(index=1)
    check_page(page, "collectif-03-nouvelle-seance")
    page.get_by_role("button", name="Ajouter la séance").click()
    expect(page.get_by_text("La séance est ajoutée.")).to_be_visible()
    check_page(page, "collectif-04-action")

    # Inviter à partir d'une liste faite à la main.
    page.get_by_role("link", name=re.compile(r"^Invitations")).click()
    page.get_by_label("Nom et prénom de la personne").fill("Vasseur")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_text("VASSEUR Odette").click()
    page.get_by_role("button", name="Inviter", exact=True).click()
    expect(page.get_by_text("1 invitation ajoutée.")).to_be_visible()
    check_page(page, "collectif-05-invitations")
    link = page.get_by_role("link", name="Lien personnel de VASSEUR Odette").get_attribute("href")

    # Marquer les présences de la dernière réunion d'information passée.
    nav(page, "Actions collectives")
    page.get_by_role("link", name=PDP_MEETINGS).click()
    page.get_by_role("link", name=re.compile("^Marquer les présences de la séance")).first.click()
    expect(page.get_by_role("heading", name=re.compile("^Présences de la séance"))).to_be_visible()
    legends = page.locator("legend")
    first_person = legends.first.inner_text().split(" (")[0]
    count = legends.count()
    for i in range(count):
        page.get_by_text("Présent·e" if i % 4 != 3 else "Absent·e", exact=True).nth(i).click()
    check_page(page, "collectif-06-presences")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text(re.compile(r"^Présences enregistrées"))).to_be_visible()
    check_page(page, "collectif-07-seance")
    # Un participant devient un accompagnement en un clic.
    page.get_by_role("button", name=f"Ouvrir un accompagnement pour {first_person}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Prévention de la désinsertion professionnelle"
    )
    page.go_back()
    page.go_back()
    nav(page, "Actions collectives")
    page.get_by_role("link", name=PDP_MEETINGS).click()
    page.get_by_role("link", name=re.compile(r"^Invitations")).click()
    survey_link = page.get_by_role(
        "link", name=f"Lien personnel de {first_person}"
    ).first.get_attribute("href")

    # La page publique, avec JavaScript : axe-core sans aucune violation, erreur comprise.
    context, public = public_page(browser, e2e_server, javascript=True)
    public.goto(link)
    expect(public.get_by_role("heading", name="Choisir une date")).to_be_visible()
    check_public_page(public, "collectif-09a-lien-choix")
    public.get_by_role("button", name="Je m'inscris").click()
    expect(public.get_by_text("Choisissez l'une des dates proposées.")).to_be_visible()
    check_public_page(public, "collectif-09b-lien-erreur")
    context.close()

    # Le participant, sans compte ni JavaScript : inscription par son lien.
    context, public = public_page(browser, e2e_server, javascript=False)
    public.goto(link)
    expect(public.get_by_text("Bonjour Odette,")).to_be_visible()
    expect(public.get_by_text("Vasseur", exact=False)).to_have_count(0)
    public.get_by_role("button", name="Je m'inscris").click()
    expect(public.get_by_text("Choisissez l'une des dates proposées.")).to_be_visible()
    public.locator("input[name=seance] + label").first.click()
    public.get_by_role("button", name="Je m'inscris").click()
    expect(public.get_by_text("Votre réponse est enregistrée.")).to_be_visible()
    expect(public.get_by_text("Vous êtes inscrit·e à la séance du")).to_be_visible()
    public.goto(link)  # le lien utilisé deux fois : l'inscription existante
    expect(public.get_by_text("Vous êtes inscrit·e à la séance du")).to_be_visible()
    expect(public.get_by_role("button", name="Je m'inscris")).to_have_count(0)
    public.goto(link.rsplit("-", 1)[0] + "-0123456789abcdef01234567/")
    expect(public.get_by_role("heading", name="Ce lien n'est pas valable")).to_be_visible()
    context.close()

    # Avec JavaScript : mêmes pages, contrôlées par axe-core sans aucune violation.
    context, public = public_page(browser, e2e_server, javascript=True)
    public.goto(link)
    check_public_page(public, "collectif-10-lien-inscrit")
    public.goto(link.rsplit("-", 1)[0] + "-0123456789abcdef01234567/")
    check_public_page(public, "collectif-11-lien-invalide")

    # Le participant marqué présent répond au questionnaire à chaud.
    public.goto(survey_link)
    check_public_page(public, "collectif-12-lien-participant")
    public.get_by_role("link", name="Satisfaction — réunion d'information").click()
    expect(public.get_by_role("heading", level=1)).to_have_text(
        "Satisfaction — réunion d'information"
    )
    check_public_page(public, "collectif-13-questionnaire")
    public.get_by_role("button", name="Envoyer mes réponses").click()
    expect(public.get_by_text("Répondez au moins à une question.")).to_be_visible()
    check_public_page(public, "collectif-13b-questionnaire-erreur")
    public.get_by_role(
        "group", name="Avez-vous apprécié d'être invité·e à cette réunion ?"
    ).get_by_text("Oui").click()
    public.get_by_role(
        "group", name="Les informations données étaient-elles claires ?"
    ).get_by_text("5 — tout à fait", exact=True).click()
    public.get_by_role(
        "group", name="Connaissez-vous mieux vos droits et vos devoirs ?"
    ).get_by_text("Oui").click()
    public.get_by_label("Vos remarques").fill("Très clair, merci.")
    public.get_by_role("button", name="Envoyer mes réponses").click()
    expect(
        public.get_by_text("Merci, vos réponses au questionnaire sont enregistrées.")
    ).to_be_visible()
    check_public_page(public, "collectif-14-merci")
    context.close()

    # L'AS voit le résultat.
    page.goto("/collectif/resultats/")
    expect(page.get_by_role("heading", name="Résultats des questionnaires")).to_be_visible()
    check_page(page, "collectif-08-resultats")
