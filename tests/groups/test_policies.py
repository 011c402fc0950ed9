"""Chaque rôle face aux actions collectives : voir, gérer, inscrire ; hors périmètre : 404."""

import datetime

import pytest
from django.urls import reverse

from parcours.core import clock
from parcours.groups import policies, services
from parcours.groups.models import Invitation
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action, make_registration, make_session

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]
SEE = {"social_worker", "front_line", "secretary", "manager"}
MANAGE = {"social_worker", "manager"}


@pytest.fixture
def world(org, other_org, as01):
    as69 = UserFactory(organisation=org, social_worker=True, departements=["69"])
    foreign_as = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    actions = {
        "here": make_action(org=org, actor=as01, title="Ici"),
        "there": make_action(org=org, actor=as69, departement="69", title="Là-bas"),
        "foreign": make_action(org=other_org, actor=foreign_as, title="Ailleurs"),
    }
    actors = {"here": as01, "there": as69, "foreign": foreign_as}
    orgs = {"here": org, "there": org, "foreign": other_org}
    sessions, registrations = {}, {}
    for key, action in actions.items():
        sessions[key] = make_session(
            action=action, actor=actors[key], date=datetime.date(2026, 2, 2)
        )
        person = make_person(
            org=orgs[key], actor=actors[key], departement=action.departement_id, last_name=key
        )
        registrations[key] = make_registration(
            session=sessions[key], person=person, actor=actors[key], present=True
        )
    return {"org": org, "actions": actions, "sessions": sessions, "registrations": registrations}


def make_role(org, role):
    return UserFactory(organisation=org, departements=["01"], **{role: True})


@pytest.mark.parametrize("role", ROLES)
def test_visibility_by_role(world, role):
    user = make_role(world["org"], role)
    titles = set(policies.visible_actions(user).values_list("title", flat=True))
    assert titles == ({"Ici"} if role in SEE else set())
    assert policies.visible_registrations(user).count() == (1 if role in SEE else 0)
    here = world["actions"]["here"]
    assert policies.can_manage_action(user, here) is (role in MANAGE)
    assert policies.can_register(user, here) is (role in SEE)
    assert policies.can_open_case_from(user, here) is (role in MANAGE)
    assert policies.can_manage_action(user, world["actions"]["there"]) is False
    assert policies.can_register(user, world["actions"]["foreign"]) is False
    assert policies.can_edit_questionnaires(user) is (role == "manager")


@pytest.mark.parametrize("role", ROLES)
def test_page_predicates_by_role(org, role):
    """Liste des actions : qui voit les actions ; questionnaires et résultats : AS et
    responsables ; les résultats portent sur les départements de l'agent."""
    user = UserFactory(organisation=org, departements=["01", "69"], **{role: True})
    assert policies.can_list_actions(user) is (role in SEE)
    assert policies.can_list_questionnaires(user) is (role in MANAGE)
    assert policies.can_read_results(user) is (role in MANAGE)
    assert policies.results_departements(user) == frozenset({"01", "69"})


def test_page_predicates_without_organisation():
    user = UserFactory(organisation=None, manager=True, departements=[])
    assert not policies.can_list_actions(user)
    assert not policies.can_list_questionnaires(user)
    assert not policies.can_read_results(user)
    assert policies.results_departements(user) == frozenset()


def test_link_sees_only_its_own_registrations(world):
    """Par le lien personnel : les inscriptions de la personne invitée à cette action."""
    here = world["registrations"]["here"]
    invitation = Invitation.objects.get(action=here.session.action, person=here.person)
    assert list(policies.visible_registrations_by_link(invitation)) == [here]
    services.cancel_registration(actor=None, registration=here)
    assert list(policies.visible_registrations_by_link(invitation)) == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["here", "there", "foreign"])
def test_pages_scope(client, world, role, where):
    login_as(client, make_role(world["org"], role))
    action = world["actions"][where]
    session = world["sessions"][where]
    pages = {
        reverse("collectif-action", args=[action.pk]): role in SEE,
        reverse("collectif-seance", args=[session.pk]): role in SEE,
        reverse("collectif-emargement", args=[session.pk]): role in SEE,
        reverse("collectif-invitations", args=[action.pk]): role in MANAGE,
        reverse("collectif-presences", args=[session.pk]): role in MANAGE,
        reverse("collectif-seance-nouvelle", args=[action.pk]): role in MANAGE,
        reverse("collectif-action-modifier", args=[action.pk]): role in MANAGE,
    }
    with clock.frozen(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)):
        for url, allowed in pages.items():
            status = client.get(url).status_code
            assert status == (200 if allowed and where == "here" else 404), (url, status)


@pytest.mark.parametrize("role", ROLES)
def test_list_and_questionnaire_pages_by_role(client, world, role):
    login_as(client, make_role(world["org"], role))
    assert client.get(reverse("collectif")).status_code == (200 if role in SEE else 404)
    assert client.get(reverse("collectif-questionnaires")).status_code == (
        200 if role in MANAGE else 404
    )
    assert client.get(reverse("collectif-resultats")).status_code == (
        200 if role in MANAGE else 404
    )
    assert client.get(reverse("collectif-action-nouvelle")).status_code == (
        200 if role in MANAGE else 404
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["here", "there", "foreign"])
def test_post_endpoints_scope(client, world, role, where):
    login_as(client, make_role(world["org"], role))
    registration = world["registrations"][where]
    session = world["sessions"][where]
    with clock.frozen(datetime.datetime(2026, 1, 10, 10, tzinfo=datetime.UTC)):
        cancel = client.post(reverse("collectif-annuler", args=[registration.pk]))
        register = client.post(
            reverse("collectif-inscrire", args=[session.pk]),
            {"person": registration.person_id, "relation": "PERSONNE"},
        )
        case = client.post(reverse("collectif-accompagnement", args=[registration.pk]))
    ok_register = where == "here" and role in SEE
    assert cancel.status_code == (302 if ok_register else 404)
    assert register.status_code == (302 if ok_register else 404)
    assert case.status_code == (302 if where == "here" and role in MANAGE else 404)


def test_steering_and_admin_see_no_names(client, world):
    for role in ("steering", "admin"):
        login_as(client, make_role(world["org"], role))
        html = client.get("/").content.decode()
        assert "Actions collectives" not in html
