"""Aucune réponse portant des données personnelles n'est gardée en cache (no-store)."""

import pytest
from django.urls import reverse

from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action, make_registration, make_session

pytestmark = pytest.mark.django_db


def _no_store(response):
    return (response["Cache-Control"], response["Pragma"]) == ("no-store", "no-cache")


def test_pages_pdf_csv_and_errors_of_an_agent_are_not_stored(client, org):
    import datetime

    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    person = make_person(org=org, actor=manager)
    action = make_action(org=org, actor=manager, facilitators=[manager])
    session = make_session(
        action=action, actor=manager, date=datetime.date(2026, 3, 10), capacity=2
    )
    make_registration(session=session, person=person, actor=manager)
    login_as(client, manager)
    urls = [
        reverse("accueil"),
        reverse("personnes"),
        reverse("personne", args=[person.pk]),
        reverse("personne-nouvelle"),
        reverse("mon-activite"),
        reverse("collectif-emargement", args=[session.pk]),
        reverse("aides-paiements-csv"),
        "/personnes/999999/",
    ]
    kinds = set()
    for url in urls:
        response = client.get(url)
        kinds.add(response["Content-Type"].split(";")[0])
        assert _no_store(response), url
    assert {"text/html", "application/pdf", "text/csv"} <= kinds
    # Une écriture (redirection) et un fragment htmx aussi.
    response = client.post(reverse("personne-nir", args=[person.pk]), HTTP_HX_REQUEST="true")
    assert _no_store(response)


def test_anonymous_pages_and_redirects_are_not_stored(client):
    for url in (reverse("connexion"), reverse("accueil"), reverse("sante")):
        assert _no_store(client.get(url)), url


def test_static_files_keep_their_cache(client):
    response = client.get("/static/parcours/parcours.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response
