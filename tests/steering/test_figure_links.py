"""Chaque chiffre relié du tableau de bord et du rapport ouvre exactement ce qu'il compte.

Sur la démonstration (activité de l'année et historique migré) : les liens sont lus dans les
pages rendues — un nouveau chiffre avec un lien est couvert sans toucher au test — puis chaque
lien est suivi et la taille de la liste comparée au chiffre affiché."""

import datetime
import re
import zoneinfo
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from parcours.core import clock
from parcours.core.models import User
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
YEAR = 2026
LINK = re.compile(r'<a href="(?P<href>[^"]*chiffre=[^"]*)"[^>]*>\s*(?P<figure>\d[\d\u202f]*)')
#: the size of the list (records) or, for the steering role, the total of the aggregates
LISTED = re.compile(
    r"<caption>(?P<n>\d[\d\u202f]*) \w+</caption>|Au total : (?P<total>\d[\d\u202f]*) \w+\."
)


def _number(text: str) -> int:
    return int(text.replace("\u202f", ""))


def linked_figures(html: str) -> list[tuple[str, int]]:
    return [(unescape(m["href"]), _number(m["figure"])) for m in LINK.finditer(html)]


@pytest.fixture
def demo(call):
    with clock.frozen(datetime.datetime(YEAR, 11, 22, 9, 0, tzinfo=PARIS)):
        call("demo", personnes=300, seed=5)
        yield


@pytest.mark.parametrize(
    ("username", "territory"),
    [
        ("manager.ain", "departement-01"),
        ("manager.rhone", "departement-69"),
        ("pilotage", "organisme"),
        ("pilotage", "region-84"),
    ],
)
def test_every_linked_figure_lists_exactly_what_it_counts(client, demo, username, territory):
    login_as(client, User.objects.get(username=username))
    checked: dict[str, int] = {}
    for year in (YEAR, YEAR - 1):
        params = {"annee": year, "territoire": territory}
        for page in ("pilotage", "pilotage-rapport"):
            html = client.get(reverse(page), params).content.decode()
            links = linked_figures(html)
            assert links, page
            for href, shown in links:
                code = parse_qs(urlsplit(href).query)["chiffre"][0]
                response = client.get(href)
                assert response.status_code == 200, href
                listed = LISTED.search(response.content.decode())
                assert listed is not None, href
                assert _number(listed["n"] or listed["total"]) == shown, (page, year, code)
                checked[f"{page}:{code}"] = shown
    # the dashboard's own figures are among those checked (« Personnes aidées individuellement »)
    assert {"pilotage:personnes_individuel", "pilotage:face_a_face"} <= set(checked)
    assert checked["pilotage:personnes_individuel"] > 0
    assert len(checked) >= 25


def test_a_ratio_or_a_share_is_never_linked_to_a_list():
    from parcours.steering.indicators import COUNTS, INDICATORS, Indicator

    assert all(i.unit in COUNTS for i in INDICATORS if i.figure)
    with pytest.raises(ValueError, match="ne se détaille pas"):
        Indicator("X", "x", "x", "par ETP", "hausse", lambda d, s: None, "personnes")
