"""Les pages écrivent les nombres accordés (« aucune séance »), « né » / « née » selon la personne
et « 1er » pour le premier du mois (filtres ``compte``, ``ne``, ``date_lettres``)."""

import datetime
import re
from html import unescape

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_person
from tests.groups.factories import make_action, make_session

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def as01(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


@pytest.mark.parametrize(("sex", "born"), [("F", "née"), ("M", "né")])
def test_person_and_case_pages_say_ne_or_nee(client, org, as01, sex, born):
    person = make_person(org=org, actor=as01, sex=sex, birth_date=datetime.date(1970, 5, 1))
    case = make_case(person=person, referent=as01)
    login_as(client, as01)
    assert f"{born} le 01/05/1970" in text_of(client.get(reverse("personne", args=[person.pk])))
    page = text_of(client.get(reverse("accompagnement", args=[case.pk])))
    assert f", {born} le 01/05/1970" in page
    assert "né·e" not in page


def test_group_action_counts_its_sessions(client, org, as01):
    action = make_action(org=org, actor=as01, facilitators=[as01])
    login_as(client, as01)
    url = reverse("collectif-action", args=[action.pk])
    assert "aucune séance" in text_of(client.get(url))
    assert "0 séance" not in text_of(client.get(url))
    make_session(action=action, actor=as01, date=datetime.date(2026, 6, 1))
    page = text_of(client.get(url))
    assert "1 séance" in page and "lundi 1er juin 2026" in page
    make_session(action=action, actor=as01, date=datetime.date(2026, 6, 2))
    page = text_of(client.get(url))
    assert "2 séances" in page and "mardi 2 juin 2026" in page


def test_filters_exact_values():
    template = Template(
        "{% load parcours %}{{ n|compte:'une séance' }}/{{ sex|ne }}/{{ d|date_lettres }}/"
        "{{ d|date_lettres:'jour' }}/{{ d|date_lettres:'jour sans année' }}"
    )
    context = {"n": 0, "sex": "", "d": datetime.date(2026, 5, 1)}
    assert template.render(Context(context)) == (
        "aucune séance/né·e/1er mai 2026/vendredi 1er mai 2026/vendredi 1er mai"
    )
    context = {"n": 2, "sex": "F", "d": datetime.datetime(2026, 4, 30, 23, 30, tzinfo=datetime.UTC)}
    assert template.render(Context(context)) == (  # 1er mai à Paris
        "2 séances/née/1er mai 2026/vendredi 1er mai 2026/vendredi 1er mai"
    )


def test_no_template_counts_with_django_pluralize():
    """Un seul moyen d'accorder un nombre : le filtre ``compte`` (« 0 séances » est faux)."""
    from pathlib import Path

    import parcours

    root = Path(parcours.__file__).parent
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "|pluralize" in path.read_text(encoding="utf-8")
        or "né·e le" in path.read_text(encoding="utf-8")
    ]
    assert found == []
