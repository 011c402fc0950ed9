"""Une saisie refusée se voit : chaque formulaire envoyé par htmx répond 422 avec le résumé DSFR
des erreurs (qui prend le focus, ``parcours.js``), l'erreur à côté de son champ et la saisie
conservée ; rien n'est enregistré. Les formulaires ordinaires de la page d'un accompagnement
aussi."""

import datetime
import re
import zoneinfo
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from parcours.cases.models import Contact, Objective, PrivateNote
from parcours.core import clock
from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_person

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SRC = Path(__file__).resolve().parents[2] / "src" / "parcours"
SUMMARY = "data-parcours-erreurs"


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


@pytest.fixture
def case(org, worker):
    return make_case(
        person=make_person(org=org, actor=worker),
        referent=worker,
        opened_on=datetime.date(2026, 1, 10),
    )


def summary_of(html: str) -> str:
    """Le bloc du résumé des erreurs (vide s'il manque)."""
    match = re.search(rf"<div [^>]*{SUMMARY}[^>]*>.*?</div>", html, re.S)
    return match.group(0) if match else ""


def field_error(html: str, field_id: str) -> str:
    """Le message d'erreur affiché sous le champ (gabarit DSFR du champ)."""
    match = re.search(rf'<div id="{field_id}-desc-error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else ""


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("", "Ce champ est obligatoire."),
        ("2026-02-31", "Saisissez une date valide."),
        ("31/02/2026", "Saisissez une date valide."),
        ("2026-06-16", "futur"),
    ],
)
def test_contact_form_shows_every_error_and_keeps_the_input(client, case, worker, on, message):
    login_as(client, worker)
    response = client.post(
        reverse("entretien-nouveau", args=[case.pk]),
        {
            "on": on,
            "mode": "VAD",
            "duration_minutes": "35",
            "actions": ["INFO_ORIENTATION"],
            "note": "Visite faite, à revoir",
        },
        HTTP_HX_REQUEST="true",
    )
    html = unescape(response.content.decode())
    assert response.status_code == 422
    summary = summary_of(html)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary  # le focus peut y aller
    assert "Rien n'est enregistré" in summary
    assert 'href="#id_on"' in summary and message in summary
    assert message in field_error(html, "id_on")
    assert "fr-input-group--error" in html
    # la saisie est conservée
    assert "Visite faite, à revoir" in html
    assert re.search(r'value="VAD"[^>]*selected', html)
    assert 'value="35"' in html
    assert re.search(r'value="INFO_ORIENTATION"[^>]*checked', html)
    assert not Contact.objects.exists()


def test_contact_form_error_on_a_checkbox_list_links_to_its_first_box(client, case, worker):
    login_as(client, worker)
    response = client.post(
        reverse("entretien-nouveau", args=[case.pk]),
        {"on": "2026-06-15", "mode": "VAD", "actions": ["INCONNUE"]},
        HTTP_HX_REQUEST="true",
    )
    summary = summary_of(unescape(response.content.decode()))
    assert response.status_code == 422
    assert 'href="#id_actions_0"' in summary and "Actions réalisées" in summary
    assert not Contact.objects.exists()


def test_saved_contact_has_no_error_summary(client, case, worker):
    login_as(client, worker)
    response = client.post(
        reverse("entretien-nouveau", args=[case.pk]),
        {"on": "2026-06-15", "mode": "VAD"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert SUMMARY not in response.content.decode()
    assert Contact.objects.count() == 1


def test_person_search_too_long_shows_the_error_beside_the_field(client, worker):
    login_as(client, worker)
    typed = "Martin " * 20  # 140 caractères : au-delà des 100 permis
    response = client.post(reverse("personnes"), {"q": typed}, HTTP_HX_REQUEST="true")
    html = unescape(response.content.decode())
    assert response.status_code == 422
    summary = summary_of(html)
    assert 'href="#id_q"' in summary and "100 caractères" in summary
    # le champ, hors de la cible htmx, revient par un échange hors cible avec son erreur
    oob = re.search(r'<div [^>]*id="champ-recherche" hx-swap-oob="true">.*', html, re.S)
    assert oob and "100 caractères" in field_error(oob.group(0), "id_q")
    assert f'value="{typed}"' in oob.group(0)  # la saisie est conservée


def test_person_search_without_javascript_shows_the_summary(client, worker):
    login_as(client, worker)
    response = client.post(reverse("personnes"), {"q": "x" * 101})
    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert "100 caractères" in summary_of(html) and "100 caractères" in field_error(html, "id_q")


@pytest.mark.parametrize(
    ("url_name", "data", "field_id", "model"),
    [
        ("objectif-nouveau", {"label": "", "due_on": "2026-13-01"}, "id_label", Objective),
        ("note-privee-nouvelle", {"text": ""}, "id_text", PrivateNote),
    ],
)
def test_case_page_forms_show_the_summary(client, case, worker, url_name, data, field_id, model):
    login_as(client, worker)
    response = client.post(reverse(url_name, args=[case.pk]), data)
    html = unescape(response.content.decode())
    assert response.status_code == 422
    summary = summary_of(html)
    assert f'href="#{field_id}"' in summary and "Ce champ est obligatoire." in summary
    assert "Ce champ est obligatoire." in field_error(html, field_id)
    assert not model.objects.exists()


#: Chaque formulaire htmx de l'application, et le test qui le couvre ici. Le révélateur du NIR
#: n'a aucun champ : il ne peut être refusé que par les droits (404).
HTMX_FORMS = {
    "entretien-nouveau": test_contact_form_shows_every_error_and_keeps_the_input,
    "personnes": test_person_search_too_long_shows_the_error_beside_the_field,
    "personne-nir": None,
}


def test_every_htmx_form_is_covered():
    found = set()
    for template in SRC.rglob("templates/**/*.html"):
        for url in re.findall(r"hx-post=\"\{% url '([^']+)'", template.read_text()):
            found.add(url)
    assert found == set(HTMX_FORMS), "un formulaire htmx nouveau : ajoutez son test d'erreurs"
