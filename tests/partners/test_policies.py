"""Chaque rôle de deux organismes face à chaque page et chaque objet de l'annuaire."""

import pytest
from django.urls import reverse

from parcours.partners import policies
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.partners.factories import make_convention, make_partner

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]
READ = set(ROLES)
MANAGE = {"manager", "admin"}


@pytest.fixture
def world(org, other_org, manager, foreign_manager):
    here = make_partner(org=org, actor=manager, name="Ici")
    there = make_partner(org=other_org, actor=foreign_manager, name="Ailleurs")
    objects = {}
    for key, partner, actor in (("here", here, manager), ("there", there, foreign_manager)):
        from parcours.partners import services

        contact = services.create_contact(actor=actor, partner=partner, data={"name": "Contact"})
        convention = make_convention(partner=partner, actor=actor)
        objects[key] = {"partner": partner, "contact": contact, "convention": convention}
    return {"org": org, "other_org": other_org, **objects}


def urls(objs):
    p, c, v = objs["partner"].pk, objs["contact"].pk, objs["convention"].pk
    return {
        "detail": (reverse("partenaire", args=[p]), "read"),
        "edit": (reverse("partenaire-modifier", args=[p]), "manage"),
        "contact_new": (reverse("partenaire-contact-nouveau", args=[p]), "manage"),
        "contact_edit": (reverse("partenaire-contact-modifier", args=[c]), "manage"),
        "convention_new": (reverse("partenaire-convention-nouvelle", args=[p]), "manage"),
        "convention_edit": (reverse("partenaire-convention-modifier", args=[v]), "manage"),
        "merge": (reverse("partenaire-fusionner", args=[p]), "manage"),
    }


@pytest.mark.parametrize("home", ["org", "other_org"])
@pytest.mark.parametrize("role", ROLES)
def test_predicates_by_role_and_organisation(world, role, home):
    user = UserFactory(organisation=world[home], departements=["01"], **{role: True})
    mine, theirs = ("here", "there") if home == "org" else ("there", "here")
    assert policies.can_read_directory(user) is (role in READ)
    assert policies.can_manage_directory(user) is (role in MANAGE)
    assert policies.sees_expiring_conventions(user) is (role in MANAGE)
    assert list(policies.visible_partners(user)) == [world[mine]["partner"]]
    assert list(policies.visible_contacts(user)) == [world[mine]["contact"]]
    assert list(policies.visible_conventions(user)) == [world[mine]["convention"]]
    for getter, key in (
        (policies.get_partner_or_404, "partner"),
        (policies.get_contact_or_404, "contact"),
        (policies.get_convention_or_404, "convention"),
    ):
        assert getter(user, world[mine][key].pk) == world[mine][key]
        with pytest.raises(Exception, match="Introuvable"):
            getter(user, world[theirs][key].pk)


def test_outside_any_organisation_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    assert not policies.can_read_directory(nobody)
    assert not policies.visible_partners(nobody).exists()


@pytest.mark.parametrize("home", ["org", "other_org"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_by_role_and_organisation(client, world, role, home):
    user = UserFactory(organisation=world[home], departements=["01"], **{role: True})
    login_as(client, user)
    mine, theirs = ("here", "there") if home == "org" else ("there", "here")
    list_page = client.get(reverse("partenaires"))
    assert list_page.status_code == 200
    body = list_page.content.decode()
    assert world[mine]["partner"].name in body
    assert world[theirs]["partner"].name not in body
    assert (reverse("partenaire-nouveau") in body) is (role in MANAGE)
    assert client.get(reverse("partenaire-nouveau")).status_code == (200 if role in MANAGE else 404)
    for name, (url, need) in urls(world[mine]).items():
        allowed = role in READ if need == "read" else role in MANAGE
        assert client.get(url).status_code == (200 if allowed else 404), name
        if not allowed:
            assert client.post(url, {"name": "x", "object": "x"}).status_code == 404, name
    if role not in MANAGE:
        assert client.post(reverse("partenaire-nouveau"), {"name": "x"}).status_code == 404
    for name, (url, _need) in urls(world[theirs]).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"name": "x"}).status_code == 404, name


def test_menu_entry_follows_policy(client, world):
    login_as(client, UserFactory(organisation=world["org"], social_worker=True))
    page = client.get(reverse("accueil"), follow=True).content.decode()
    assert '<a class="fr-nav__link" href="/partenaires/"' in page


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("partenaires"))
    assert response.status_code == 302
    assert "connexion" in response["Location"]
