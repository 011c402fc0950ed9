"""Les prédicats de ``core.policies`` pour chaque rôle : page d'accueil, second facteur,
opérateur de la plateforme."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from parcours.core import policies
from tests.conftest import login_as
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]
HOME = {
    "social_worker": "mon-activite",
    "front_line": "personnes",
    "secretary": "personnes",
    "manager": "equipe",
    "steering": "pilotage",
    "admin": "administration",
}


def make_role(org, role):
    return UserFactory(organisation=org, departements=["01"], **{role: True})


def operator():
    return UserFactory(organisation=None, is_superuser=True, function="", departements=[])


@pytest.mark.parametrize("role", ROLES)
def test_home_page_by_role(org, role):
    assert policies.home_page_for(make_role(org, role)) == HOME[role]


def test_home_page_of_the_others():
    assert policies.home_page_for(AnonymousUser()) is None
    assert policies.home_page_for(operator()) == "administration-organismes"


def test_function_comes_before_administration_rights(org):
    manager_and_admin = UserFactory(organisation=org, manager=True, is_org_admin=True)
    assert policies.home_page_for(manager_and_admin) == "equipe"


@pytest.mark.parametrize("role", ROLES)
def test_home_view_follows_the_policy(client, org, role):
    login_as(client, make_role(org, role))
    response = client.get(reverse("accueil"))
    if HOME[role] is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url == reverse(HOME[role])


@pytest.mark.parametrize("role", ROLES)
def test_second_factor_is_required_for_administrators_only(org, role):
    assert policies.must_use_second_factor(make_role(org, role)) is (role == "admin")


def test_second_factor_is_required_for_the_operator():
    assert policies.must_use_second_factor(operator()) is True
    assert policies.must_use_second_factor(AnonymousUser()) is False


@pytest.mark.parametrize("role", ROLES)
def test_platform_is_for_the_operator_only(org, role):
    user = make_role(org, role)
    assert policies.can_operate_platform(user) is False
    assert not policies.visible_organisations(user).exists()


def test_operator_sees_every_organisation(org, other_org):
    user = operator()
    assert policies.can_operate_platform(user) is True
    assert set(policies.visible_organisations(user)) >= {org, other_org}
    assert policies.can_operate_platform(AnonymousUser()) is False
    assert policies.can_administer(user) is False


@pytest.mark.parametrize("role", ROLES)
def test_administration_right_by_role(org, role):
    assert policies.can_administer(make_role(org, role)) is (role == "admin")


def test_communes_without_sector_are_those_of_the_covered_departements(org):
    from parcours.core import queries, services

    admin = make_role(org, "admin")
    before = queries.communes_without_sector(org)
    assert set(before.values_list("departement_id", flat=True)) == {"01", "69"}
    count = before.count()
    services.create_sector(
        actor=admin, organisation=org, name="Bourg", departement="01", communes=["01053"]
    )
    assert queries.communes_without_sector(org).count() == count - 1
    elsewhere = OrganisationFactory(code="ailleurs", departements=["38"])
    assert queries.communes_without_sector(elsewhere).count() > 0
    assert not queries.communes_without_sector(elsewhere).filter(departement_id="01").exists()
