"""La page d'inscription par lien ne révèle pas l'objet de l'action (un arrêt de travail, une
maladie) : titre neutre, sauf action marquée « intitulé public »."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from parcours.groups import services
from parcours.groups.models import GroupAction
from tests.conftest import login_as
from tests.groups.factories import make_action, make_session

pytestmark = pytest.mark.django_db

REVEALING = "Arrêt de travail : et après ?"
PRESENTATION = "Pour les salariés en arrêt maladie depuis plus de trois mois."


@pytest.fixture
def sick_leave_action(org, as01):
    action = make_action(org=org, actor=as01, title=REVEALING, facilitators=[as01])
    services.update_action(
        actor=as01, action=action, data={"description": PRESENTATION}, facilitators=[as01]
    )
    make_session(action=action, actor=as01, date=datetime.date(2026, 3, 10))
    return GroupAction.objects.get(pk=action.pk)


def _link_page(client, action, person, as01):
    (invitation,), _ = services.invite(actor=as01, action=action, people=[person])
    url = reverse("collectif-lien", args=[services.make_token(invitation)])
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_a_new_action_is_not_public(sick_leave_action):
    assert sick_leave_action.title_is_public is False


def test_the_link_page_shows_a_neutral_title(client, frozen, sick_leave_action, people, as01):
    html = _link_page(client, sick_leave_action, people[0], as01)
    assert "Votre inscription à un atelier" in html
    assert "<title>Votre inscription à un atelier" in html
    assert REVEALING not in html and "arrêt" not in html.lower()
    assert PRESENTATION not in html
    assert "Je m'inscris" in html  # la page sert toujours à s'inscrire


def test_a_public_title_is_shown(client, frozen, sick_leave_action, people, as01):
    services.update_action(
        actor=as01,
        action=sick_leave_action,
        data={"title": "Atelier numérique", "title_is_public": True},
        facilitators=[as01],
    )
    html = _link_page(client, sick_leave_action, people[0], as01)
    assert "Atelier numérique" in html and PRESENTATION in html
    assert "Votre inscription à un atelier" not in html


def test_the_action_form_offers_the_public_title(client, frozen, sick_leave_action, as01):
    login_as(client, as01)
    url = reverse("collectif-action-modifier", args=[sick_leave_action.pk])
    page = unescape(client.get(url).content.decode())
    assert "Intitulé public" in page
    response = client.post(
        url,
        {
            "type": sick_leave_action.type,
            "programme": sick_leave_action.programme,
            "title": "Atelier numérique",
            "title_is_public": "on",
            "departement": "01",
            "facilitators": [as01.pk],
        },
    )
    assert response.status_code == 302
    sick_leave_action.refresh_from_db()
    assert sick_leave_action.title_is_public is True
