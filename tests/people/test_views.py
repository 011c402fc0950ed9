import datetime
from html import unescape

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.people.models import Person
from tests.conftest import login_as
from tests.factories import UserFactory, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


def person_form(**overrides):
    data = {
        "last_name": "Bernard",
        "first_names": "Lucie",
        "sex": "F",
        "birth_date": "1975-04-09",
        "departement": "01",
        "commune_code": "01053",
        "postal_code": "01000",
        "phone": "0474000000",
    }
    data.update(overrides)
    return data


def test_create_person(client, worker):
    login_as(client, worker)
    response = client.post(reverse("personne-nouvelle"), person_form())
    person = Person.objects.get(last_name="Bernard")
    assert response.status_code == 302
    assert response.url == reverse("personne", args=[person.pk])
    assert person.commune_id == "01053" and person.created_by == worker


def test_wrong_nir_key_says_so_next_to_the_field(client, worker):
    from parcours.rules import nir

    base = "2750401053123"
    wrong = f"{base}{(nir.compute_key(base) % 97) + 1:02d}"
    login_as(client, worker)
    response = client.post(reverse("personne-nouvelle"), person_form(nir=wrong))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "clé" in html.lower()
    assert "fr-input-group--error" in html
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "2999-01-01", "futur"),
        ("birth_date", "31/02/1980", "Saisissez une date valide"),
        ("commune_code", "99999", "Code commune inconnu"),
        ("commune_code", "69123", "n'est pas dans le département"),
        ("last_name", "", "Ce champ est obligatoire"),
        ("gir", "7", "GIR"),
    ],
)
def test_bad_input_gets_a_french_message_and_nothing_is_saved(
    client, worker, field, value, message
):
    login_as(client, worker)
    response = client.post(reverse("personne-nouvelle"), person_form(**{field: value}))
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not Person.objects.exists()


def test_duplicate_warning_then_confirmation(client, org, worker):
    make_person(
        org=org,
        actor=worker,
        last_name="Bernard",
        first_names="Lucie",
        birth_date=datetime.date(1975, 4, 9),
    )
    login_as(client, worker)
    response = client.post(reverse("personne-nouvelle"), person_form())
    assert "Cette personne existe peut-être déjà" in unescape(response.content.decode())
    assert Person.objects.count() == 1
    response = client.post(reverse("personne-nouvelle"), person_form(confirm_duplicate="1"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_person_page_display_is_audited(client, org, worker):
    person = make_person(org=org, actor=worker)
    login_as(client, worker)
    client.get(reverse("personne", args=[person.pk]))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.READ)
    assert (entry.actor, entry.person_id) == (worker, person.pk)


def test_nir_reveal_through_page_is_audited(client, org, worker):
    from parcours.rules import nir

    base = "2750401053123"
    full = f"{base}{nir.compute_key(base):02d}"
    person = make_person(org=org, actor=worker, nir=full, birth_date=datetime.date(1975, 4, 9))
    login_as(client, worker)
    page = unescape(client.get(reverse("personne", args=[person.pk])).content.decode())
    assert full not in page and person.nir_masked in page
    response = client.post(reverse("personne-nir", args=[person.pk]), HTTP_HX_REQUEST="true")
    assert nir.format_display(full) in unescape(response.content.decode())
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL_NIR).count() == 1


def test_front_line_cannot_reveal_nir(client, org, worker):
    from parcours.rules import nir

    base = "2750401053123"
    person = make_person(org=org, actor=worker, nir=f"{base}{nir.compute_key(base):02d}")
    login_as(client, UserFactory(organisation=org, front_line=True, departements=["01"]))
    assert client.post(reverse("personne-nir", args=[person.pk])).status_code == 404


def test_search_posts_and_keeps_names_out_of_urls(client, org, worker):
    make_person(org=org, actor=worker, last_name="Müller", first_names="Ana")
    login_as(client, worker)
    assert client.get(reverse("personnes")).status_code == 200
    response = client.post(reverse("personnes"), {"q": "muller"})
    assert "MÜLLER" in unescape(response.content.decode())
    partial = client.post(reverse("personnes"), {"q": "mul"}, HTTP_HX_REQUEST="true")
    assert "<html" not in unescape(partial.content.decode()) and "MÜLLER" in unescape(
        partial.content.decode()
    )


def test_concurrent_edit_refused_with_both_versions_visible(client, org, worker):
    from parcours.people import services

    person = make_person(org=org, actor=worker, phone="0101010101")
    colleague = UserFactory(organisation=org, front_line=True, departements=["01"])
    services.update_person(
        actor=colleague, person=person, data={"phone": "0202020202"}, expected_version=1
    )
    login_as(client, worker)
    data = person_form(
        last_name="Martin",
        first_names="Claire",
        birth_date="1970-05-17",
        phone="0303030303",
        version="1",
    )
    response = client.post(reverse("personne-modifier", args=[person.pk]), data)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in html
    assert "0202020202" in html and "0303030303" in html
    assert Person.objects.get(pk=person.pk).phone == "0202020202"


@pytest.mark.parametrize(
    ("trait", "sees_case_links"), [("social_worker", True), ("front_line", False)]
)
def test_person_page_leads_to_aid_referral_and_first_slot(
    client, org, worker, trait, sees_case_links
):
    """La fiche mène au dossier d'aides et au signalement (AS, responsable), au premier créneau
    libre (tous ceux qui fixent des rendez-vous) ; l'accueil ne voit que ce dernier."""
    person = make_person(org=org, actor=worker)
    user = UserFactory(organisation=org, departements=["01"], **{trait: True})
    login_as(client, user)
    page = unescape(client.get(reverse("personne", args=[person.pk])).content.decode())
    assert reverse("premier-creneau", args=[person.pk]) in page
    assert (reverse("aides-personne", args=[person.pk]) in page) is sees_case_links
    assert (f"{reverse('signalement-nouveau')}?personne={person.pk}" in page) is sees_case_links
