"""Parcours navigateur des aides : l'AS évalue (GIR), enregistre une demande, donne son avis ;
le responsable décide par délégation et imprime la notification."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import ARTEFACTS, check_page, login

VARIABLES = ["COH", "ORI", "TOI", "HAB", "ALI", "ELI", "TRA", "DPI", "DPE", "COM"]


def nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def test_aid_journey_evaluation_request_manager_decision_letter(page):
    login(page, "as.ain")
    nav(page, "Aides")
    expect(page.get_by_role("heading", name="Aides et évaluations", level=1)).to_be_visible()
    check_page(page, "aides-01-accueil-as")

    page.get_by_label("Rechercher une personne").fill("Démaison")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile("DÉMAISON Yvette")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DÉMAISON Yvette")
    check_page(page, "aides-02-dossier-personne")

    # Évaluation à domicile : grille AGGIR, GIR calculé, plan proposé.
    page.get_by_role("link", name="Nouvelle évaluation des besoins").click()
    page.get_by_label("Nature").select_option("PREMIERE_DEMANDE")
    page.get_by_role("textbox", name=re.compile("Situation")).fill(
        "Vit seule depuis le décès de son mari ; toilette difficile, ne conduit plus."
    )
    for variable in VARIABLES:
        modality = "B" if variable in {"TOI", "DPE"} else "A"
        page.get_by_label(re.compile(f"{variable} — ")).select_option(modality)
    page.get_by_label("Aide à domicile (heures par mois)").fill("10")
    page.get_by_label("Portage de repas (repas par semaine)").fill("3")
    check_page(page, "aides-03-evaluation-saisie")
    page.get_by_role("button", name="Enregistrer et calculer le GIR").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("GIR 5")
    expect(page.get_by_text("Caisse de retraite (plan d'actions personnalisé)")).to_be_visible()
    check_page(page, "aides-04-evaluation-gir")

    # Demande d'aide : plan d'actions personnalisé, calcul et motifs.
    page.get_by_role("link", name="Enregistrer une demande d'aide").click()
    page.get_by_label("Aide demandée").select_option(
        label="Plan d'actions personnalisé — aide à domicile (Carsat)"
    )
    page.get_by_label("Ressources mensuelles du foyer (€)").fill("1450")
    page.get_by_label("Heures d'aide à domicile demandées").fill("10")
    check_page(page, "aides-05-demande-saisie")
    page.get_by_role("button", name="Enregistrer la demande").click()
    expect(page.get_by_text("Application du règlement : éligible, 161,85 €")).to_be_visible()
    expect(page.get_by_text("GIR 5 : dans la plage GIR 5 à 6.")).to_be_visible()
    page.get_by_role("button", name="Le dossier est complet").click()
    page.get_by_text("Favorable", exact=True).click()
    page.get_by_label("Motivation de l'avis").fill("Besoin d'aide pour la toilette et les courses.")
    check_page(page, "aides-06-avis")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_text("Avis rendu, en attente de décision", exact=True)).to_be_visible()
    request_url = page.url

    # Le responsable décide par délégation et imprime la notification.
    page.get_by_role("button", name="Se déconnecter").click()
    login(page, "manager.ain")
    nav(page, "Aides")
    check_page(page, "aides-07-accueil-responsable")
    page.goto(request_url)
    expect(page.get_by_role("heading", name=re.compile("Décision déléguée"))).to_be_visible()
    page.get_by_text("Accorder", exact=True).click()
    page.get_by_label("Motif (figure sur la notification)").fill(
        "Plan d'actions personnalisé accordé pour trois mois."
    )
    check_page(page, "aides-08-decision")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("La décision est enregistrée")).to_be_visible()
    check_page(page, "aides-09-decision-enregistree")
    href = page.get_by_role("link", name="Lettre de notification (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / "aides-notification.pdf").write_bytes(response.body())
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split()
    )
    assert "accordée pour un montant de 161,85 €" in text
    assert "Voies de recours" in text

    # Simulateur et chiffres.
    nav(page, "Aides")
    page.get_by_role("link", name="Simulateur d'aides").click()
    page.get_by_label("Âge").fill("34")
    page.get_by_label("Quotient familial (€)").fill("450")
    page.get_by_label("Enfants à charge").fill("2")
    page.get_by_role("button", name="Simuler").click()
    expect(page.get_by_role("heading", name="Résultat")).to_be_visible()
    check_page(page, "aides-10-simulateur")
    nav(page, "Aides")
    page.get_by_role("link", name="Budgets et délais").click()
    expect(
        page.get_by_role("heading", name=re.compile("Budgets et délais des aides"))
    ).to_be_visible()
    check_page(page, "aides-11-chiffres")
    nav(page, "Aides")
    page.get_by_role("link", name="Commissions").click()
    check_page(page, "aides-12-commissions")
    page.get_by_role("link", name=re.compile(r"[0-9]{2}.[0-9]{2}.[0-9]{4}")).last.click()
    expect(page.get_by_text("Tenue —")).to_be_visible()
    check_page(page, "aides-13-commission-tenue")
    for name, label in (
        ("ordre-du-jour", "Ordre du jour (PDF)"),
        ("proces-verbal", "Procès-verbal (PDF)"),
    ):
        href = page.get_by_role("link", name=label).get_attribute("href")
        body = page.request.get(href).body()
        assert body.startswith(b"%PDF")
        (ARTEFACTS / f"aides-{name}.pdf").write_bytes(body)
