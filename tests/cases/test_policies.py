"""Les droits sur les accompagnements, rôle par rôle : prédicats de ``cases/policies.py`` et
pages qui en dépendent (ouverture, « Mon activité », « Mon équipe », liste)."""

import pytest
from django.urls import reverse

from parcours.cases import policies
from tests.conftest import login_as
from tests.factories import UserFactory, make_person

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]


def make_role(org, role):
    return UserFactory(organisation=org, departements=["01"], **{role: True})


@pytest.fixture
def people(org, other_org):
    author = UserFactory(organisation=org, social_worker=True, departements=["01", "69"])
    foreign_author = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    return {
        "here": make_person(org=org, actor=author, departement="01"),
        "there": make_person(org=org, actor=author, departement="69"),
        "foreign": make_person(org=other_org, actor=foreign_author, departement="01"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_open_case_by_role_and_scope(org, people, role):
    user = make_role(org, role)
    opens = role in {"social_worker", "manager"}
    assert policies.can_open_case(user) is opens
    assert policies.can_open_case(user, people["here"]) is opens
    assert policies.can_open_case(user, people["there"]) is False
    assert policies.can_open_case(user, people["foreign"]) is False


@pytest.mark.parametrize("role", ROLES)
def test_dashboards_by_role(org, role):
    user = make_role(org, role)
    assert policies.can_view_my_activity(user) is (role == "social_worker")
    assert policies.can_view_team(user) is (role == "manager")
    assert policies.can_list_cases(user) is (role == "manager")


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_pages_by_role(client, org, role):
    login_as(client, make_role(org, role))
    assert client.get(reverse("mon-activite")).status_code == (
        200 if role == "social_worker" else 404
    )
    for name in ("equipe", "accompagnements"):
        assert client.get(reverse(name)).status_code == (200 if role == "manager" else 404), name


@pytest.mark.parametrize("role", ROLES)
def test_opening_page_by_role(client, org, people, role):
    login_as(client, make_role(org, role))
    for where, person in people.items():
        response = client.get(reverse("accompagnement-nouveau", args=[person.pk]))
        allowed = where == "here" and role in {"social_worker", "manager"}
        assert response.status_code == (200 if allowed else 404), where
