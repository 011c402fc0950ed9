"""Les droits sur les personnes, rôle par rôle : prédicats de ``people/policies.py`` et pages."""

import pytest
from django.urls import reverse

from parcours.people import policies
from tests.conftest import login_as
from tests.factories import UserFactory, make_person

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]
SEES_PEOPLE = {"social_worker", "front_line", "secretary", "manager"}


def make_role(org, role):
    return UserFactory(organisation=org, departements=["01"], **{role: True})


@pytest.mark.parametrize("role", ROLES)
def test_search_and_create_people_by_role(org, role):
    user = make_role(org, role)
    assert policies.can_search_people(user) is (role in SEES_PEOPLE)
    assert policies.can_create_person(user) is (role in SEES_PEOPLE)


@pytest.mark.parametrize("role", ROLES)
def test_merge_and_case_contents_by_role(org, role):
    user = make_role(org, role)
    assert policies.can_merge_people(user) is (role == "manager")
    assert policies.can_see_case_contents(user) is (role in {"social_worker", "manager"})


@pytest.mark.parametrize("role", ROLES)
def test_reveal_nir_by_role(org, role):
    from parcours.rules import nir

    base = "2750401053001"
    author = UserFactory(organisation=org, social_worker=True, departements=["01"])
    person = make_person(org=org, actor=author, nir=f"{base}{nir.compute_key(base):02d}")
    user = make_role(org, role)
    assert policies.can_reveal_nir(user, person) is (role in {"social_worker", "manager"})


@pytest.mark.parametrize("role", ROLES)
def test_search_and_creation_pages_by_role(client, org, role):
    login_as(client, make_role(org, role))
    expected = 200 if role in SEES_PEOPLE else 404
    assert client.get(reverse("personnes")).status_code == expected
    assert client.post(reverse("personnes"), {"q": "Martin"}).status_code == expected
    assert client.get(reverse("personne-nouvelle")).status_code == expected


def test_search_results_show_who_follows_the_person(client, org):
    from tests.factories import make_case

    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    person = make_person(org=org, actor=worker, last_name="Suivie")
    make_case(person=person, referent=worker)
    login_as(client, make_role(org, "front_line"))
    response = client.post(reverse("personnes"), {"q": "Suivie"})
    assert [p.pk for p in response.context["results"]] == [person.pk]
    assert response.context["referents"] == {person.pk: [f"{worker.first_name} {worker.last_name}"]}
