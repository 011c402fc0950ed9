"""Le droit d'accès depuis la fiche : le lien, le formulaire, l'aperçu (NIR masqué), le fichier
généré et journalisé ; chaque rôle, les deux organismes."""

import datetime
import json
from html import unescape

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.privacy.models import AccessExport
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.outreach.factories import nir_for
from tests.pdf_checks import assert_tagged_pdf
from tests.privacy.conftest import NIR, PRIVATE_TEXT

pytestmark = pytest.mark.django_db

COMMUNICATE = {"format": "pdf", "private_notes": "communiquer"}
WITHHOLD = {
    "format": "json",
    "private_notes": "retenir",
    "withheld_reason": "SANTE",
    "withheld_details": "Note médicale à remettre par le médecin.",
}


def test_the_person_page_offers_the_access_right_to_the_manager_only(client, world):
    url = reverse("personne", args=[world.person.pk])
    link = reverse("personne-droit-acces", args=[world.person.pk])
    assert link in login_as(client, world.manager).get(url).content.decode()
    assert link not in login_as(client, world.worker).get(url).content.decode()


def test_form_preview_then_generate_the_pdf(client, world):
    login_as(client, world.manager)
    url = reverse("personne-droit-acces", args=[world.person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Notes privées des travailleurs sociaux" in unescape(
        page.content.decode()
    )
    before = AuditEntry.objects.count()
    preview = client.post(url, COMMUNICATE)
    html = unescape(preview.content.decode())
    assert preview.status_code == 200 and "Aperçu du droit d'accès" in html
    assert world.person.nir_masked in html and NIR not in html  # masqué à l'écran
    assert PRIVATE_TEXT in html and "Martin-Durand" in html
    assert "Consultations du dossier (2)" in html
    read = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1 and read.action == AuditEntry.Action.READ
    assert not AccessExport.objects.exists()  # l'aperçu ne remet rien

    response = client.post(reverse("droit-acces-export", args=[world.person.pk]), COMMUNICATE)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    export = AccessExport.objects.get()
    assert response["Content-Disposition"] == f'attachment; filename="droit-acces-{export.pk}.pdf"'
    assert_tagged_pdf(response.content)
    assert export.by == world.manager and export.channel == "WEB"


def test_json_with_private_notes_withheld(client, world):
    login_as(client, world.manager)
    preview = client.post(reverse("personne-droit-acces", args=[world.person.pk]), WITHHOLD)
    html = unescape(preview.content.decode())
    assert PRIVATE_TEXT not in html and "Note médicale à remettre par le médecin." in html
    response = client.post(reverse("droit-acces-export", args=[world.person.pk]), WITHHOLD)
    assert response["Content-Type"] == "application/json"
    content = json.loads(response.content)
    assert content["personne"]["nir"] == NIR
    assert content["personne"]["export"]["notes_privees_communiquees"] is False
    assert AccessExport.objects.get().withheld_reason == "SANTE"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (WITHHOLD | {"withheld_reason": ""}, "Choisissez le motif légal"),
        (WITHHOLD | {"withheld_details": ""}, "Précisez le motif"),
        (COMMUNICATE | {"format": "docx"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_answers_422_in_french_and_keeps_what_was_typed(client, world, data, message):
    login_as(client, world.manager)
    for name in ("personne-droit-acces", "droit-acces-export"):
        response = client.post(reverse(name, args=[world.person.pk]), data)
        html = unescape(response.content.decode())
        assert response.status_code == 422 and message in html, name
        if data.get("withheld_details"):
            assert data["withheld_details"] in html
    assert not AccessExport.objects.exists()


ROLES = ["social_worker", "front_line", "secretary", "steering", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_other_roles_get_404(client, world, role):
    login_as(client, UserFactory(organisation=world.org, departements=["01"], **{role: True}))
    assert client.get(reverse("personne-droit-acces", args=[world.person.pk])).status_code == 404
    url = reverse("droit-acces-export", args=[world.person.pk])
    assert client.post(url, COMMUNICATE).status_code == 404
    assert not AccessExport.objects.exists()


def test_manager_of_another_departement_gets_404(client, world):
    login_as(client, UserFactory(organisation=world.org, manager=True, departements=["69"]))
    assert client.get(reverse("personne-droit-acces", args=[world.person.pk])).status_code == 404
    url = reverse("droit-acces-export", args=[world.person.pk])
    assert client.post(url, COMMUNICATE).status_code == 404


@pytest.mark.parametrize("traits", [{"admin": True}, {"social_worker": True}])
def test_the_dpo_reaches_any_person_of_the_organisation(client, world, traits):
    dpo = UserFactory(organisation=world.org, departements=[], is_dpo=True, **traits)
    elsewhere = make_person(org=world.org, actor=world.worker, departement="69")
    login_as(client, dpo)
    for person in (world.person, elsewhere):
        url = reverse("personne-droit-acces", args=[person.pk])
        assert client.get(url).status_code == 200
        response = client.post(reverse("droit-acces-export", args=[person.pk]), COMMUNICATE)
        assert response.status_code == 200
    assert AccessExport.objects.filter(by=dpo).count() == 2


def test_another_organisation_gets_404_even_its_dpo_and_managers(client, world, other_org):
    for user in (
        UserFactory(organisation=other_org, departements=["01"], is_dpo=True, admin=True),
        UserFactory(organisation=other_org, departements=["01"], manager=True),
    ):
        login_as(client, user)
        url = reverse("personne-droit-acces", args=[world.person.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, COMMUNICATE).status_code == 404
        url = reverse("droit-acces-export", args=[world.person.pk])
        assert client.post(url, COMMUNICATE).status_code == 404
    assert not AccessExport.objects.exists()


def test_generate_answers_only_to_post(client, world):
    login_as(client, world.manager)
    assert client.get(reverse("droit-acces-export", args=[world.person.pk])).status_code == 405


def test_the_dpo_without_person_pages_finds_the_person_by_nir(client, world, other_org):
    """Un DPO administrateur ne voit pas les fiches : il trouve la personne par son NIR (envoyé
    par POST, jamais dans l'adresse) et passe au formulaire du droit d'accès."""
    dpo = UserFactory(organisation=world.org, departements=[], is_dpo=True, admin=True)
    login_as(client, dpo)
    url = reverse("droit-acces-recherche")
    home = unescape(client.get(reverse("protection-donnees")).content.decode())
    assert url in home
    page = client.get(url)
    assert page.status_code == 200 and "NIR de la personne" in unescape(page.content.decode())
    found = client.post(url, {"nir": " ".join([NIR[:1], NIR[1:3], NIR[3:]])})
    assert found.status_code == 302
    assert found["Location"] == reverse("personne-droit-acces", args=[world.person.pk])
    assert NIR not in found["Location"]

    malformed = client.post(url, {"nir": "1234"})
    assert malformed.status_code == 422 and "NIR" in unescape(malformed.content.decode())
    # un NIR valide d'une personne d'un autre organisme : la même réponse qu'un NIR inconnu
    elsewhere = nir_for(8, sex="M", birth=datetime.date(1961, 2, 3), dep="69")
    make_person(org=other_org, actor=None, nir=elsewhere)
    unknown = nir_for(9, sex="F", birth=datetime.date(1955, 4, 5), dep="01")
    for nir in (elsewhere, unknown):
        answer = client.post(url, {"nir": nir})
        body = unescape(answer.content.decode())
        assert answer.status_code == 422
        assert "Aucune personne de votre périmètre ne porte ce NIR." in body


def test_a_manager_finds_only_the_people_of_their_departements(client, world):
    url = reverse("droit-acces-recherche")
    login_as(client, UserFactory(organisation=world.org, manager=True, departements=["69"]))
    answer = client.post(url, {"nir": NIR})
    assert answer.status_code == 422
    login_as(client, world.manager)
    assert client.post(url, {"nir": NIR})["Location"] == reverse(
        "personne-droit-acces", args=[world.person.pk]
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_lookup_is_404_for_other_roles(client, world, role):
    login_as(client, UserFactory(organisation=world.org, departements=["01"], **{role: True}))
    url = reverse("droit-acces-recherche")
    assert client.get(url).status_code == 404
    assert client.post(url, {"nir": NIR}).status_code == 404
