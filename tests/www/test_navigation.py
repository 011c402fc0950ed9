"""Le menu principal de chaque rôle, tiré des politiques des domaines."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from parcours.www.context_processors import navigation
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENTRIES = {
    "social_worker": {
        "my_activity",
        "people",
        "detection",
        "collective",
        "aid",
        "partners",
        "pathways",
    },
    "front_line": {"people", "detection", "collective", "aid", "partners"},
    "secretary": {"people", "detection", "collective", "aid", "partners"},
    "manager": {
        "people",
        "detection",
        "collective",
        "aid",
        "team",
        "cases",
        "partners",
        "pathways",
        "steering",
        "observatory",
    },
    "steering": {"aid", "partners", "steering", "observatory"},
    "admin": {"aid", "partners", "history", "observatory_imports", "privacy", "administration"},
    "dpo": {"privacy"},
}
LINKS = {
    "my_activity": "mon-activite",
    "people": "personnes",
    "detection": "detection",
    "collective": "collectif",
    "aid": "aides",
    "team": "equipe",
    "cases": "accompagnements",
    "partners": "partenaires",
    "pathways": "parcours-partages",
    "steering": "pilotage",
    "history": "pilotage-historique",
    "observatory": "observatoire",
    "observatory_imports": "observatoire-imports",
    "privacy": "protection-donnees",
    "administration": "administration",
}


@pytest.mark.parametrize("role", sorted(ENTRIES))
def test_menu_entries_by_role(org, role):
    request = RequestFactory().get("/")
    request.user = UserFactory(organisation=org, departements=["01"], **{role: True})
    menu = navigation(request)["menu"]
    assert {entry for entry, shown in menu.items() if shown} == ENTRIES[role]


def test_no_menu_when_logged_out():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert navigation(request) == {"menu": None}


@pytest.mark.parametrize("role", sorted(ENTRIES))
def test_menu_links_shown_by_role(client, org, role):
    user = UserFactory(organisation=org, departements=["01"], **{role: True})
    login_as(client, user)
    html = client.get(reverse("aides")).content.decode()
    nav = html[html.index('aria-label="Menu principal"') :]
    nav = nav[: nav.index("</nav>")]
    shown = {entry for entry, name in LINKS.items() if f'href="{reverse(name)}"' in nav}
    assert shown == ENTRIES[role]  # une seule entrée « Pilotage » : tableau de bord ou historique
