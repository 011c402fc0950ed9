"""Chaque rôle face à chaque type d'objet : ce qui est visible, ce qui répond 404.

Objets : personne, accompagnement, entretien, note privée, demande, rendez-vous ; dans le
département de l'agent, dans un autre département du même organisme, dans un autre organisme.
"""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from parcours.cases import policies as case_policies
from parcours.cases import services as case_services
from parcours.people import policies as people_policies
from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_contact, make_person

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]


@pytest.fixture
def world(org, other_org):
    as01 = UserFactory(organisation=org, social_worker=True, departements=["01"])
    as69 = UserFactory(organisation=org, social_worker=True, departements=["69"])
    foreign_as = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    here = make_person(org=org, actor=as01, departement="01", last_name="Ici")
    there = make_person(org=org, actor=as69, departement="69", last_name="Labas")
    foreign = make_person(org=other_org, actor=foreign_as, departement="01", last_name="Ailleurs")
    return {
        "org": org,
        "as01": as01,
        "people": {"here": here, "there": there, "foreign": foreign},
        "cases": {
            "here": make_case(person=here, referent=as01),
            "there": make_case(person=there, referent=as69),
            "foreign": make_case(person=foreign, referent=foreign_as),
        },
    }


def make_role(org, role):
    return UserFactory(organisation=org, departements=["01"], **{role: True})


@pytest.mark.parametrize("role", ROLES)
def test_people_visibility_by_role(world, role):
    user = make_role(world["org"], role)
    visible = set(people_policies.visible_people(user).values_list("last_name", flat=True))
    if role in {"social_worker", "front_line", "secretary", "manager"}:
        assert visible == {"Ici"}
    else:
        assert visible == set()


@pytest.mark.parametrize("role", ROLES)
def test_case_visibility_by_role(world, role):
    user = make_role(world["org"], role)
    visible = set(case_policies.visible_cases(user).values_list("person__last_name", flat=True))
    assert visible == ({"Ici"} if role in {"social_worker", "manager"} else set())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["here", "there", "foreign"])
def test_person_page_scope(client, world, role, where):
    user = make_role(world["org"], role)
    login_as(client, user)
    response = client.get(reverse("personne", args=[world["people"][where].pk]))
    allowed = where == "here" and role in {"social_worker", "front_line", "secretary", "manager"}
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["here", "there", "foreign"])
def test_case_page_scope(client, world, role, where):
    user = make_role(world["org"], role)
    login_as(client, user)
    response = client.get(reverse("accompagnement", args=[world["cases"][where].pk]))
    allowed = where == "here" and role in {"social_worker", "manager"}
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("role", ["front_line", "secretary"])
def test_front_line_sees_contact_details_and_referent_but_not_case_contents(client, world, role):
    case = world["cases"]["here"]
    case_services.update_synthesis(
        actor=world["as01"], case=case, synthesis="Secret du dossier", expected_version=case.version
    )
    make_contact(
        case=case,
        actor=world["as01"],
        on=datetime.date(2026, 2, 1),
        note="Note d'entretien confidentielle",
    )
    person = world["people"]["here"]
    login_as(client, make_role(world["org"], role))
    html = unescape(client.get(reverse("personne", args=[person.pk])).content.decode())
    assert str(world["as01"]) in html  # qui suit la personne
    assert "Secret du dossier" not in html
    assert "confidentielle" not in html
    assert "Chronologie" not in html


def test_private_note_visible_to_its_author_only(client, world):
    case = world["cases"]["here"]
    colleague = UserFactory(organisation=world["org"], social_worker=True, departements=["01"])
    manager = UserFactory(organisation=world["org"], manager=True, departements=["01"])
    case_services.add_private_note(actor=world["as01"], case=case, text="Mon ressenti privé")
    assert [n.text for n in case_policies.visible_private_notes(world["as01"], case)] == [
        "Mon ressenti privé"
    ]
    for other in (colleague, manager):
        assert not case_policies.visible_private_notes(other, case).exists()
        login_as(client, other)
        html = unescape(client.get(reverse("accompagnement", args=[case.pk])).content.decode())
        assert "Mon ressenti privé" not in html
    login_as(client, world["as01"])
    html = unescape(client.get(reverse("accompagnement", args=[case.pk])).content.decode())
    assert "Mon ressenti privé" in html


def test_private_note_content_never_in_audit(world):
    from parcours.core.models import AuditEntry

    case = world["cases"]["here"]
    case_services.add_private_note(actor=world["as01"], case=case, text="Très confidentiel")
    for entry in AuditEntry.objects.all():
        assert "Très confidentiel" not in str(entry.changes) + entry.summary


@pytest.mark.parametrize("role", ROLES)
def test_close_and_reassign_rights(world, role):
    user = make_role(world["org"], role)
    case = world["cases"]["here"]
    assert case_policies.can_close_case(user, case) is (role == "manager")
    assert case_policies.can_reassign_case(user, case) is (role == "manager")
    assert case_policies.can_close_case(world["as01"], case) is True  # référente
    assert case_policies.can_reassign_case(world["as01"], case) is False


@pytest.mark.parametrize("role", ROLES)
def test_post_endpoints_out_of_scope_answer_404(client, world, role):
    user = make_role(world["org"], role)
    login_as(client, user)
    case = world["cases"]["foreign"]
    for name in (
        "entretien-nouveau",
        "synthese",
        "note-privee-nouvelle",
        "reaffectation",
        "reouverture",
    ):
        response = client.post(reverse(name, args=[case.pk]), {})
        assert response.status_code == 404, name
    response = client.post(reverse("personne-nir", args=[world["people"]["foreign"].pk]))
    assert response.status_code == 404
