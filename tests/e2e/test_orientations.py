"""Une orientation dans Chromium : l'AS oriente une personne vers Cap emploi (consentement
recueilli dans le même écran), le partenaire répond par son lien sans compte, l'AS voit la
réponse dans la chronologie de la personne ; le responsable voit les chiffres."""

import subprocess
import sys

from playwright.sync_api import expect

from tests.e2e.conftest import SERVER_ENV, check_page, login


def shell(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "parcours.cli", "shell", "-c", code],
        env=SERVER_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_orientation_answered_by_the_partner(page, browser, e2e_server):
    person_id = shell(
        "from parcours.people.models import Person; "
        "p = Person.objects.filter(organisation__code='carsat-demo', departement_id='01', "
        "merged_into__isnull=True).order_by('pk').first(); print(p.pk)"
    )
    login(page, "as.ain")
    page.goto(f"/personnes/{person_id}/")
    page.get_by_role("link", name="Orienter").first.click()
    expect(page.get_by_role("heading", name="Orienter", level=1)).to_be_visible()
    page.get_by_label("Destinataire").select_option(label="Cap emploi Ain")
    page.get_by_label("Motif").select_option(label="Maintien dans l'emploi")
    page.get_by_label("Ce qui est demandé").fill("Étude d'un aménagement de poste")
    # sans consentement ni mission légale : refus, rien n'est envoyé
    page.get_by_text("Identité et coordonnées", exact=True).click()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("enregistrez-le d'abord").first).to_be_visible()
    check_page(page, "orientation-01-refus")
    page.get_by_label("Consentement à utiliser").select_option(
        label="Le recueillir maintenant (ci-dessous)"
    )
    page.get_by_label("Comment").select_option(label="Oralement, en entretien")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_role("heading", name="Orientation vers Cap emploi Ain")).to_be_visible()
    check_page(page, "orientation-02-detail")

    token = shell(
        "from parcours.sharing.models import Orientation; "
        "from parcours.sharing.services.orientations import make_token; "
        "print(make_token(Orientation.objects.latest('pk')))"
    )
    context = browser.new_context(locale="fr-FR", base_url=e2e_server)
    public = context.new_page()
    public.csp_errors = []
    public.goto(f"/orientations/lien/{token}/")
    expect(public.get_by_role("heading", name="Orientation de", exact=False)).to_be_visible()
    expect(public.get_by_text("Identité et coordonnées").first).to_be_visible()
    check_page(public, "orientation-03-lien-partenaire")
    public.get_by_text("J'accepte : la personne sera prise en charge").click()
    public.get_by_label("Commentaire").fill("Rendez-vous proposé le 15.")
    public.get_by_role("button", name="Envoyer ma réponse").click()
    expect(public.get_by_text("Merci, votre réponse est enregistrée")).to_be_visible()
    check_page(public, "orientation-04-lien-repondu")
    public.goto("/orientations/lien/abc-1-def/")
    expect(public.get_by_role("heading", name="Ce lien n'est pas valable")).to_be_visible()
    context.close()

    page.goto(f"/personnes/{person_id}/")
    expect(page.get_by_text("Réponse du destinataire : acceptée")).to_be_visible()
    expect(page.get_by_text("Rendez-vous proposé le 15.")).to_be_visible()
    check_page(page, "orientation-05-chronologie")


def test_manager_sees_orientation_counts(page):
    login(page, "manager.ain")
    page.goto("/orientations/")
    expect(
        page.get_by_role("heading", name="Orientations envoyées en", exact=False)
    ).to_be_visible()
    check_page(page, "orientation-06-chiffres")
    page.get_by_role("link", name="PFIDASS – CPAM de l'Ain").click()
    expect(
        page.get_by_role("heading", name="Orientations vers PFIDASS", exact=False)
    ).to_be_visible()
    check_page(page, "orientation-07-partenaire")
