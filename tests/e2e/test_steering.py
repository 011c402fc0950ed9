"""Pilotage dans Chromium : un responsable va du tableau de bord à un chiffre puis aux dossiers
qu'il compte ; le pilotage ne voit que des agrégats."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import check_page, login


def nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def test_manager_dashboard_to_records(page):
    login(page, "manager.ain")
    nav(page, "Pilotage")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    expect(page.get_by_text("Légende des contrats")).to_be_visible()
    check_page(page, "pilotage-01-tableau-de-bord")

    row = page.get_by_role("row", name=re.compile("Personnes aidées individuellement"))
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Personnes aidées individuellement"
    )
    expect(page.get_by_role("table").get_by_role("link").first).to_be_visible()
    check_page(page, "pilotage-02-personnes-derriere-le-chiffre")

    page.get_by_role("navigation", name="vous êtes ici :").get_by_role(
        "link", name="Rapport d'activité"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport d'activité")
    check_page(page, "pilotage-03-rapport")

    page.get_by_role("row", name=re.compile("Visite à domicile")).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Visite à domicile")
    check_page(page, "pilotage-04-visites-a-domicile")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto("/pilotage/")
    page.get_by_role("link", name=re.compile("Saisir les objectifs")).click()
    page.get_by_label(re.compile("Rendez-vous dans les 15 jours")).fill("120")
    page.get_by_role("button", name="Enregistrer les objectifs").click()
    expect(page.get_by_text("Un pourcentage ne dépasse pas 100.")).to_be_visible()
    check_page(page, "pilotage-05-objectifs-erreur")
    page.get_by_label(re.compile("Rendez-vous dans les 15 jours")).fill("90")
    page.get_by_role("button", name="Enregistrer les objectifs").click()
    expect(page.get_by_text(re.compile("Objectifs .* enregistrés"))).to_be_visible()


def test_steering_sees_aggregates(page):
    login(page, "pilotage")
    nav(page, "Pilotage")
    page.get_by_label("Territoire", exact=True).select_option("region-84")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", name="Détail par territoire")).to_be_visible()
    check_page(page, "pilotage-06-region")
    page.get_by_role("link", name="Rapport d'activité").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport d'activité")
    check_page(page, "pilotage-07-rapport-region")
    page.get_by_role("link", name=re.compile("personnes aidées$")).first.click()
    expect(page.get_by_text("jamais les dossiers")).to_be_visible()
    check_page(page, "pilotage-08-agregats")
