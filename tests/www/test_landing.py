"""Chacun arrive là où est son travail, à la connexion comme sur « / » : une seule règle,
``core.policies.home_page_for``."""

import pytest
from django.urls import reverse

from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-de-test-42"

LANDING = {
    "social_worker": "mon-activite",
    "front_line": "personnes",
    "secretary": "personnes",
    "manager": "equipe",
    "steering": "pilotage",
    "admin": "administration",
}


def agent(org, role):
    return UserFactory(organisation=org, departements=["01"], **{role: True})


@pytest.mark.parametrize("role", sorted(LANDING))
def test_login_lands_on_the_page_of_the_role(client, org, role):
    user = agent(org, role)
    response = client.post(reverse("connexion"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse(LANDING[role])


@pytest.mark.parametrize("role", sorted(LANDING))
def test_home_sends_each_role_to_its_work(client, org, role):
    login_as(client, agent(org, role))
    response = client.get(reverse("accueil"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(LANDING[role])


def test_steering_lands_on_the_dashboard(client, org):
    login_as(client, agent(org, "steering"))
    response = client.get(reverse("accueil"), follow=True)
    assert response.templates[0].name == "steering/tableau_de_bord.html"


def test_a_requested_page_comes_before_the_landing_page(client, org):
    user = agent(org, "steering")
    target = reverse("pilotage-rapport")
    response = client.post(
        reverse("connexion") + f"?next={target}",
        {"username": user.username, "password": PASSWORD, "next": target},
    )
    assert response.url == target


def test_platform_operator_lands_on_the_organisations(client):
    operator = UserFactory(organisation=None, is_superuser=True, function="", departements=[])
    login_as(client, operator)
    response = client.get(reverse("accueil"))
    assert response.url == reverse("administration-organismes")
