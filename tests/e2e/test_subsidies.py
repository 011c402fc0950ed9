"""Les subventions dans Chromium : le responsable ouvre un appel à projets, enregistre une
candidature, l'instruit et la retient, accorde l'année sous convention (un dépassement du
budget est refusé), enregistre un versement (un trop-versé est refusé)."""

import datetime

from playwright.sync_api import expect

from parcours.core import clock
from tests.e2e.conftest import check_page, login


def test_manager_runs_a_call_for_projects(page):
    today = clock.today()
    login(page, "manager.ain")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Partenaires"
    ).click()
    page.get_by_role("link", name="Subventions et appels à projets").click()
    expect(
        page.get_by_role("heading", name="Subventions et appels à projets", level=1)
    ).to_be_visible()
    expect(page.get_by_role("link", name=f"Lutte contre l'isolement des retraités {today.year}"))
    check_page(page, "subventions-liste")

    page.get_by_role("link", name="Nouvel appel à projets").click()
    page.get_by_label("Intitulé").fill("Aidants et répit")
    page.get_by_label("Programme").select_option(label="Agir pour le bien vieillir")
    page.get_by_label("Thème").fill("Soutien aux aidants")
    page.get_by_text("01 — Ain", exact=True).click()
    page.get_by_label("Budget (€)").fill("20000")
    page.get_by_label("Ouverture des candidatures").fill(
        (today - datetime.timedelta(days=10)).isoformat()
    )
    page.get_by_label("Clôture des candidatures").fill(
        (today - datetime.timedelta(days=20)).isoformat()
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("La date de fin ne peut pas précéder la date de début.").first
    ).to_be_visible()
    check_page(page, "appel-erreurs")
    page.get_by_label("Clôture des candidatures").fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Aidants et répit", level=1)).to_be_visible()
    expect(page.get_by_text("Ouvert", exact=True)).to_be_visible()
    check_page(page, "appel-fiche")

    page.get_by_role("link", name="Enregistrer une candidature").click()
    page.get_by_label("Partenaire").select_option(label="ADMR de l'Ain")
    page.get_by_label("Projet").fill("Halte répit itinérante")
    page.get_by_label("Montant demandé (€)").fill("8000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Halte répit itinérante", level=1)).to_be_visible()
    check_page(page, "candidature-fiche")
    page.get_by_label("Nouvel état").select_option(label="Instruite")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La candidature est instruite.")).to_be_visible()
    page.get_by_label("Nouvel état").select_option(label="Retenue")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La candidature est retenue.")).to_be_visible()

    page.get_by_label("Convention").select_option(index=1)
    page.get_by_label("Montant accordé pour l'année (€)").fill("25000")
    page.get_by_role("button", name="Accorder").click()
    expect(page.get_by_text("Le budget de l'appel serait dépassé").first).to_be_visible()
    check_page(page, "candidature-erreurs")
    page.get_by_label("Montant accordé pour l'année (€)").fill("7000")
    page.get_by_role("button", name="Accorder").click()
    expect(page.get_by_text(f"La subvention {today.year} est accordée.")).to_be_visible()

    page.get_by_label("Montant du versement (€)").fill("7000.01")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_text("Ce versement dépasserait le montant accordé").first).to_be_visible()
    page.get_by_label("Montant du versement (€)").fill("3500")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_text("Le versement est enregistré.")).to_be_visible()
    expect(page.get_by_text("3\u202f500 € (50,0\u00a0%)")).to_be_visible()
    check_page(page, "subvention-versements")

    page.get_by_role("link", name="Subventions", exact=True).first.click()
    row = page.get_by_role("row").filter(has_text="Aidants et répit").first
    expect(row.get_by_text("7\u202f000 €")).to_be_visible()
    expect(row.get_by_text("35,0\u00a0%")).to_be_visible()

    # Le bilan de démonstration : déclaré par le partenaire, enregistré par les actions financées.
    page.get_by_role("link", name="Ateliers mémoire et équilibre à domicile").click()
    expect(page.get_by_role("heading", name=f"Bilan annuel {today.year}")).to_be_visible()
    expect(page.get_by_role("link", name="Atelier mémoire « Réveil des savoirs »")).to_be_visible()
    check_page(page, "subvention-bilan")
