"""L'alerte de doublon à la création d'une fiche ne révèle personne hors du périmètre.

Dans le périmètre, l'agent voit la fiche existante (lien, identité) ; hors périmètre, il apprend
seulement qu'une fiche existe ailleurs dans l'organisme et quel service joindre, et chaque
correspondance est journalisée sans le NIR saisi.
"""

import datetime
import json
from html import unescape

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.people.models import Person
from parcours.rules import nir as nir_rules
from tests.conftest import login_as
from tests.factories import SiteFactory, UserFactory, make_person

pytestmark = pytest.mark.django_db

BASE = "2750469123456"
NIR = f"{BASE}{nir_rules.compute_key(BASE):02d}"


def form(**overrides):
    data = {
        "last_name": "Bernard",
        "first_names": "Lucie",
        "sex": "F",
        "birth_date": "1975-04-09",
        "departement": "01",
        "commune_code": "01053",
        "postal_code": "01000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def rhone_person(org):
    """Une personne suivie dans le Rhône, avec un lieu d'accueil à joindre."""
    SiteFactory(organisation=org, departement_id="69", name="Agence de Lyon Part-Dieu")
    return make_person(
        org=org,
        departement="69",
        last_name="Vasseur",
        first_names="Lucienne Odette",
        birth_date=datetime.date(1975, 4, 9),
        nir=NIR,
    )


def _page(client, user, data):
    login_as(client, user)
    response = client.post(reverse("personne-nouvelle"), data)
    assert response.status_code == 200
    return unescape(response.content.decode())


def _assert_nothing_of(html, person):
    for revealing in (
        person.last_name,
        "Odette",
        person.birth_date.strftime("%d/%m/%Y"),
        person.nir_masked,
        reverse("personne", args=[person.pk]),
    ):
        assert revealing not in html, revealing


def _out_of_scope_entries(person):
    return AuditEntry.objects.filter(action=AuditEntry.Action.READ, person_id=person.pk)


@pytest.mark.parametrize(
    "role", [{"front_line": True}, {"social_worker": True}, {"secretary": True}]
)
def test_same_nir_out_of_scope_shows_only_where_to_ask(client, org, rhone_person, role):
    agent = UserFactory(organisation=org, departements=["01"], **role)
    html = _page(client, agent, form(nir=NIR))
    _assert_nothing_of(html, rhone_person)
    assert "existe peut-être déjà ailleurs dans l'organisme" in html
    assert "Agence de Lyon Part-Dieu" in html and "Rhône" in html
    assert not Person.objects.filter(departement_id="01").exists()
    entry = _out_of_scope_entries(rhone_person).get()
    assert entry.actor == agent and entry.object_id == str(rhone_person.pk)
    assert entry.changes == {"critere": "NIR", "departement": "69"}
    stored = json.dumps(entry.changes) + entry.summary
    assert BASE not in stored and NIR not in stored


def test_same_name_and_birth_date_out_of_scope(client, org, rhone_person):
    agent = UserFactory(organisation=org, front_line=True, departements=["01"])
    html = _page(client, agent, form(last_name="VASSEUR", first_names="Lucienne"))
    assert "ailleurs dans l'organisme" in html
    assert "Odette" not in html and "09/04/1975" not in html
    assert reverse("personne", args=[rhone_person.pk]) not in html
    assert _out_of_scope_entries(rhone_person).get().changes["critere"] == "nom et naissance"


def test_manager_of_another_departement_sees_only_where_to_ask(client, org):
    ain = make_person(
        org=org,
        last_name="Vasseur",
        first_names="Lucienne Odette",
        nir=NIR,
        birth_date=datetime.date(1975, 4, 9),
    )
    manager = UserFactory(organisation=org, manager=True, departements=["69"])
    html = _page(client, manager, form(nir=NIR, departement="69", commune_code="69123"))
    _assert_nothing_of(html, ain)
    assert "service social du département 01" in html
    assert _out_of_scope_entries(ain).count() == 1


def test_in_scope_duplicate_is_shown_with_its_link(client, org, rhone_person):
    agent = UserFactory(organisation=org, social_worker=True, departements=["01", "69"])
    html = _page(client, agent, form(nir=NIR))
    assert "Une personne a déjà ce NIR" in html
    assert reverse("personne", args=[rhone_person.pk]) in html
    assert "Vasseur" in html.title() and "ailleurs dans l'organisme" not in html
    assert not _out_of_scope_entries(rhone_person).exists()


def test_both_in_and_out_of_scope(client, org, rhone_person):
    ain = make_person(
        org=org, last_name="Vasseur", first_names="Lucienne", birth_date=datetime.date(1975, 4, 9)
    )
    agent = UserFactory(organisation=org, front_line=True, departements=["01"])
    html = _page(client, agent, form(last_name="Vasseur", first_names="Lucienne", nir=NIR))
    assert reverse("personne", args=[ain.pk]) in html
    _assert_nothing_of(html.replace("Vasseur", "").replace("09/04/1975", ""), rhone_person)
    assert "ailleurs dans l'organisme" in html
    assert _out_of_scope_entries(rhone_person).count() == 1


def test_other_organisation_is_not_mentioned(client, org, other_org):
    make_person(org=other_org, departement="69", nir=NIR, birth_date=datetime.date(1975, 4, 9))
    agent = UserFactory(organisation=org, front_line=True, departements=["01"])
    login_as(client, agent)
    response = client.post(reverse("personne-nouvelle"), form(nir=NIR))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_confirming_creates_without_a_second_audit(client, org, rhone_person):
    agent = UserFactory(organisation=org, front_line=True, departements=["01"])
    _page(client, agent, form(nir=NIR))
    response = client.post(reverse("personne-nouvelle"), form(nir=NIR, confirm_duplicate="1"))
    assert response.status_code == 302
    assert Person.objects.filter(departement_id="01", nir_hash=rhone_person.nir_hash).exists()
    assert _out_of_scope_entries(rhone_person).count() == 1


@pytest.mark.parametrize("role", [{"admin": True}, {"steering": True}])
def test_roles_without_people_cannot_probe(client, org, rhone_person, role):
    login_as(client, UserFactory(organisation=org, departements=["01", "69"], **role))
    response = client.post(reverse("personne-nouvelle"), form(nir=NIR))
    assert response.status_code == 404
    assert "Vasseur" not in unescape(response.content.decode())
    assert not _out_of_scope_entries(rhone_person).exists()
