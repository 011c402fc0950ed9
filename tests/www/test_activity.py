"""« Mon activité » se lit par pages de 25 accompagnements (``core.pagination``), les plus
anciens sans activité d'abord ; « À traiter » en nomme 10 et compte les autres."""

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
OPEN_CASES = 30
SLEEPING = 12  # sans entretien depuis plus de 4 mois au 15 juin 2026


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def worker(org):
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    for i in range(OPEN_CASES):
        person = make_person(org=org, actor=worker, last_name=f"Personne{i:02d}")
        case = make_case(person=person, referent=worker, opened_on=datetime.date(2026, 1, 5))
        # les 12 premiers : dernier entretien en janvier ; les autres : en mai, jour après jour
        on = datetime.date(2026, 1, 6 + i) if i < SLEEPING else datetime.date(2026, 5, i)
        make_contact(case=case, actor=worker, on=on)
    return worker


def rows(html: str) -> list[str]:
    table = html[html.index('id="dossiers-titre"') :]
    return re.findall(r'<tr>\s*<td><a href="/accompagnements/\d+/">([^<]+)</a>', table)


def test_first_page_has_25_cases_oldest_activity_first(client, worker):
    login_as(client, worker)
    html = unescape(client.get(reverse("mon-activite")).content.decode())
    names = rows(html)
    assert len(names) == 25
    assert names[0] == "PERSONNE00 Claire"
    assert f"Mes accompagnements ouverts ({OPEN_CASES})" in html
    assert "page=2" in html and "1 / 2" in html


def test_second_page_has_the_rest(client, worker):
    login_as(client, worker)
    html = unescape(client.get(reverse("mon-activite"), {"page": 2}).content.decode())
    names = rows(html)
    assert len(names) == OPEN_CASES - 25
    assert names[-1] == "PERSONNE29 Claire"
    assert "2 / 2" in html


def test_pages_do_not_overlap(client, worker):
    login_as(client, worker)
    first = rows(unescape(client.get(reverse("mon-activite")).content.decode()))
    second = rows(unescape(client.get(reverse("mon-activite"), {"page": 2}).content.decode()))
    assert len(set(first) | set(second)) == OPEN_CASES


def test_to_do_names_ten_sleeping_cases_and_counts_the_others(client, worker):
    login_as(client, worker)
    html = unescape(client.get(reverse("mon-activite")).content.decode())
    assert f"Sans entretien depuis 4 mois ({SLEEPING})" in html
    todo = html[html.index('id="attention-titre"') : html.index('id="rdv-titre"')]
    assert todo.count("dernière activité le") == 10
    assert "… et 2 autres" in todo


def test_a_page_out_of_range_shows_the_last_page(client, worker):
    login_as(client, worker)
    response = client.get(reverse("mon-activite"), {"page": 99})
    assert response.status_code == 200
    assert len(rows(unescape(response.content.decode()))) == OPEN_CASES - 25
