"""Dans Chromium : une saisie refusée se voit et prend le focus, le bouton d'envoi est désactivé
pendant l'envoi, et les listes tiennent dans la page à 1 280 et 375 px (le tableau défile, pas
la page) ; axe-core sur chacune."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    check_page,
    create_admins,
    login,
    login_admin,
)

#: Des administrateurs de l'organisme de démonstration dont le second facteur est connu du test
#: (l'administrateur de la démonstration garde le sien pour le parcours qui l'active) ; un par
#: largeur, un code à usage unique ne servant qu'une fois.
ADMIN = "admin.mise-en-page-{}"
TOTP_KEY = "3132333435363738393031323334353637383930"
WIDTHS = [1280, 375]


def contacts_heading(page) -> str:
    return page.get_by_role("heading", name=re.compile(r"^Entretiens \(\d+\)$")).inner_text()


def open_a_case(page):
    login(page, "as.ain")
    page.locator("#dossiers-titre ~ .fr-table a").first.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Entretiens \("))).to_be_visible()


def type_date(field, page, *, day, month, year):
    """Tape une date au clavier dans un champ date, dans l'ordre des segments du navigateur
    (jj/mm/aaaa en français, mm/dd/yyyy sinon) : l'ordre se lit sur une date sans ambiguïté."""
    first_segment = {"x": 20, "y": field.bounding_box()["height"] / 2}
    field.click(position=first_segment)
    page.keyboard.type("01022000")
    day_first = field.input_value() == "2000-02-01"
    field.click(position=first_segment)
    page.keyboard.type(day + month + year if day_first else month + day + year)


def test_contact_with_an_impossible_date_shows_the_error_and_saves_nothing(page):
    open_a_case(page)
    before = contacts_heading(page)
    date = page.get_by_label("Date", exact=True)
    type_date(date, page, day="31", month="02", year="2026")
    assert date.input_value() == ""  # 31/02/2026 : le navigateur n'en fait aucune date
    page.get_by_label("Mode").select_option("VAD")
    page.get_by_label("Note (partagée avec l'équipe)").fill("Texte à ne pas perdre")
    page.evaluate("window.__sansRechargement = true")
    page.get_by_role("button", name="Enregistrer l'entretien").click()

    summary = page.locator("[data-parcours-erreurs]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Rien n'est enregistré")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Date : Ce champ est obligatoire.")).to_be_visible()
    expect(page.locator("#id_on-desc-error")).to_be_visible()  # l'erreur à côté du champ
    expect(page.get_by_label("Note (partagée avec l'équipe)")).to_have_value(
        "Texte à ne pas perdre"
    )
    expect(page.get_by_label("Mode")).to_have_value("VAD")
    assert contacts_heading(page) == before  # rien d'enregistré
    assert page.evaluate("window.__sansRechargement") is True
    check_page(page, "formulaires-01-entretien-en-erreur")

    # Le lien du résumé mène au champ.
    summary.get_by_role("link", name=re.compile(r"^Date : ")).click()
    expect(page.get_by_label("Date", exact=True)).to_be_focused()


def test_submit_button_is_disabled_while_the_request_runs(page):
    open_a_case(page)
    before = int(re.search(r"\d+", contacts_heading(page)).group(0))
    # Relevé au départ de la requête (htmx:beforeSend, juste avant l'envoi).
    page.evaluate(
        """document.addEventListener("htmx:beforeSend", function (e) {
             var b = e.detail.elt.querySelector("button[type=submit]");
             window.__pendantEnvoi = b ? b.disabled : null;
           })"""
    )
    page.get_by_label("Mode").select_option("TELEPHONE")
    button = page.get_by_role("button", name="Enregistrer l'entretien")
    button.click()
    expect(page.get_by_text("L'entretien est enregistré.")).to_be_visible()
    assert page.evaluate("window.__pendantEnvoi") is True
    expect(page.get_by_role("button", name="Enregistrer l'entretien")).to_be_enabled()
    expect(page.get_by_role("heading", name=f"Entretiens ({before + 1})")).to_be_visible()

    # Un formulaire ordinaire (sans htmx) : le bouton se désactive après l'envoi des données.
    page.evaluate(
        """(function () {
             var b = document.querySelector("#notes-privees button[type=submit]");
             new MutationObserver(function () {
               if (b.disabled) { sessionStorage.setItem("boutonDesactive", "oui"); }
             }).observe(b, {attributes: true});
           })()"""
    )
    page.get_by_label("Nouvelle note privée").fill("Note envoyée une seule fois.")
    page.get_by_role("button", name="Enregistrer la note privée").click()
    expect(page.get_by_text("Votre note privée est enregistrée.")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('boutonDesactive')") == "oui"
    expect(page.get_by_text("Note envoyée une seule fois.")).to_have_count(1)
    expect(page.get_by_role("button", name="Enregistrer la note privée")).to_be_enabled()


@pytest.fixture(scope="session")
def admin_with_known_second_factor(e2e_server):
    names = [ADMIN.format(width) for width in WIDTHS]
    create_admins(names, key=TOTP_KEY, first_name="Alex", last_name="Mise")
    return ADMIN


def assert_fits(page, name):
    width = page.evaluate("innerWidth")
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{name} : la page déborde ({scroll} px pour {width} px)"
    check_page(page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_cases_list_fits_the_page(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, "manager.ain")
    page.goto("/accompagnements/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Accompagnements de mes départements")).to_be_visible()
    assert_fits(page, f"mise-en-page-accompagnements-{width}")
    # Le tableau, lui, défile dans son cadre quand il est plus large que l'écran.
    table = page.locator(".fr-table__container").first
    assert table.evaluate("e => e.scrollWidth >= e.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_sites_list_fits_the_page(page, admin_with_known_second_factor, width):
    page.set_viewport_size({"width": width, "height": 800})
    login_admin(page, admin_with_known_second_factor.format(width), TOTP_KEY)
    page.goto("/administration/lieux/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Lieux d'accueil", level=1)).to_be_visible()
    assert_fits(page, f"mise-en-page-lieux-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_my_activity_is_paginated_and_fits(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, "as.ain")
    expect(page.get_by_role("heading", name="Mon activité", level=1)).to_be_visible()
    rows = page.locator("#dossiers-titre ~ .fr-table tbody tr")
    assert 0 < rows.count() <= 25
    assert_fits(page, f"mise-en-page-mon-activite-{width}")
