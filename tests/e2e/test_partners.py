"""L'annuaire des partenaires dans Chromium : le responsable ajoute un partenaire et une
convention qui finit dans 30 jours, et la retrouve signalée sur « Mon équipe »."""

import datetime

from playwright.sync_api import expect

from parcours.core import clock
from tests.e2e.conftest import check_page, login


def nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def test_manager_adds_partner_and_sees_expiring_convention(page):
    login(page, "manager.ain")
    nav(page, "Partenaires")
    expect(page.get_by_role("heading", name="Partenaires", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="CLIC du Bassin burgien")).to_be_visible()
    check_page(page, "partenaires-liste")

    page.get_by_label("Type").select_option(label="MDPH")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="MDPH de l'Ain")).to_be_visible()
    expect(page.get_by_role("link", name="CLIC du Bassin burgien")).to_have_count(0)

    page.get_by_role("link", name="Partenaires", exact=True).first.click()
    page.get_by_role("link", name="Nouveau partenaire").click()
    page.get_by_label("Type de partenaire").select_option(label="Association")
    page.get_by_label("Nom", exact=True).fill("Les Petits Frères des Pauvres – Ain")
    page.get_by_label("SIRET").fill("732 829 320 00075")  # clé fausse
    page.get_by_label("Commune (code INSEE)").fill("01053")
    page.get_by_text("01 — Ain", exact=True).click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Numéro SIRET invalide").first).to_be_visible()
    expect(page.get_by_label("Nom", exact=True)).to_have_value(
        "Les Petits Frères des Pauvres – Ain"
    )
    check_page(page, "partenaire-erreurs")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_role("heading", name="Les Petits Frères des Pauvres – Ain", level=1)
    ).to_be_visible()

    page.get_by_role("link", name="Ajouter une convention").click()
    today = clock.today()
    page.get_by_label("Objet").fill("Lutte contre l'isolement des retraités")
    page.get_by_label("Début").fill((today - datetime.timedelta(days=200)).isoformat())
    page.get_by_label("Fin (Optionnel)", exact=True).fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_label("Prix unitaire (€)").fill("35")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La convention est enregistrée.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Lutte contre l'isolement")
    expect(row.get_by_text("Expire bientôt")).to_be_visible()
    check_page(page, "partenaire-fiche")

    nav(page, "Mon équipe")
    alert = page.locator("#conventions-a-echeance")
    expect(
        alert.get_by_role("heading", name="Conventions à échéance dans les 60 jours")
    ).to_be_visible()
    expect(alert.get_by_text("Lutte contre l'isolement des retraités")).to_be_visible()
    alert.get_by_role("link", name="Les Petits Frères des Pauvres – Ain").click()
    expect(
        page.get_by_role("heading", name="Les Petits Frères des Pauvres – Ain", level=1)
    ).to_be_visible()


def test_manager_reviews_a_partner_taken_from_free_text(page):
    """La reprise des textes libres a créé « C.C.A.S. de Bourg » à vérifier : le responsable le
    trouve par le filtre, le fusionne dans le CCAS de l'annuaire ; l'action collective qui le
    citait montre alors le CCAS, avec un lien vers sa fiche."""
    import subprocess
    import sys

    from tests.e2e.conftest import SERVER_ENV

    script = (
        "from parcours.groups.models import GroupAction;"
        "from parcours.partners.models import Partner;"
        "p = Partner.objects.create(organisation=GroupAction.objects.first().organisation,"
        " kind='CCAS', name='C.C.A.S. de Bourg', to_verify=True,"
        " origin_text='C.C.A.S. de Bourg\\nccas bourg');"
        "a = GroupAction.objects.filter(departement_id='01', type='ATELIER').first();"
        "a.directory_partners.add(p)"
    )
    subprocess.run(
        [sys.executable, "-m", "parcours.cli", "shell", "-c", script],
        env=SERVER_ENV,
        check=True,
        capture_output=True,
    )
    login(page, "manager.ain")
    nav(page, "Partenaires")
    page.locator("label[for=f-a-verifier]").click()
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="C.C.A.S. de Bourg")).to_be_visible()
    expect(page.get_by_role("link", name="CLIC du Bassin burgien")).to_have_count(0)
    check_page(page, "partenaires-a-verifier")
    page.get_by_role("link", name="C.C.A.S. de Bourg").click()
    expect(page.get_by_text("« ccas bourg »")).to_be_visible()
    check_page(page, "partenaire-a-verifier")
    page.get_by_role("link", name="Fusionner dans un autre partenaire").click()
    page.get_by_label("Partenaire à garder").select_option(label="CCAS de Bourg-en-Bresse (CCAS)")
    check_page(page, "partenaire-fusion")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="CCAS de Bourg-en-Bresse", level=1)).to_be_visible()
    expect(page.get_by_text("est fusionné dans")).to_be_visible()
    nav(page, "Actions collectives")
    page.get_by_role("link", name="Atelier mémoire « Réveil des savoirs »").first.click()
    expect(page.get_by_role("link", name="CCAS de Bourg-en-Bresse")).to_be_visible()
    check_page(page, "action-partenaires-annuaire")
