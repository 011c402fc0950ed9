"""Après une écriture par htmx, tout ce que l'écriture change sur la page est renvoyé : un
entretien enregistré efface l'alerte « plus de 4 mois sans activité » dans la même réponse
(échange hors cible, ``hx-swap-oob``), sans rechargement."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.urls import reverse

from parcours.core import clock
from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_contact, make_person

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
STALE = "plus de 4 mois sans activité"


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


@pytest.fixture
def sleeping_case(org, worker):
    case = make_case(
        person=make_person(org=org, actor=worker),
        referent=worker,
        opened_on=datetime.date(2026, 1, 10),
    )
    make_contact(case=case, actor=worker, on=datetime.date(2026, 2, 1))
    return case


def alerts_block(html: str) -> str:
    match = re.search(
        r'<div id="alertes-accompagnement"[^>]*>.*?</div>\s*</div>|'
        r'<div id="alertes-accompagnement"[^>]*>\s*</div>',
        html,
        re.S,
    )
    return match.group(0) if match else ""


def test_the_case_page_warns_of_a_sleeping_case(client, worker, sleeping_case):
    login_as(client, worker)
    html = unescape(client.get(reverse("accompagnement", args=[sleeping_case.pk])).content.decode())
    block = alerts_block(html)
    assert STALE in block and "hx-swap-oob" not in block


def test_recording_a_contact_clears_the_warning_in_the_same_response(client, worker, sleeping_case):
    login_as(client, worker)
    response = client.post(
        reverse("entretien-nouveau", args=[sleeping_case.pk]),
        {"on": "2026-06-15", "mode": "VAD"},
        HTTP_HX_REQUEST="true",
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200
    block = alerts_block(html)
    assert 'hx-swap-oob="true"' in block
    assert STALE not in html
    # et la page rechargée dit la même chose
    page = client.get(reverse("accompagnement", args=[sleeping_case.pk])).content.decode()
    assert STALE not in unescape(page)


def test_a_contact_that_leaves_the_case_sleeping_keeps_the_warning(client, worker, sleeping_case):
    login_as(client, worker)
    response = client.post(
        reverse("entretien-nouveau", args=[sleeping_case.pk]),
        {"on": "2026-01-20", "mode": "VAD"},  # plus ancien que le dernier entretien
        HTTP_HX_REQUEST="true",
    )
    block = alerts_block(unescape(response.content.decode()))
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in block and STALE in block
