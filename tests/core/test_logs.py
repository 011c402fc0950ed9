"""Rien de personnel dans les URL ni les journaux techniques."""

import logging

import pytest
from django.urls import reverse

from tests.conftest import login_as
from tests.factories import UserFactory, make_person

pytestmark = pytest.mark.django_db


def test_search_and_person_pages_log_no_personal_data(client, org, caplog):
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    person = make_person(org=org, actor=worker, last_name="Confidentiel", phone="0611223344")
    login_as(client, worker)
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("personnes"), {"q": "Confidentiel"})
        client.post(reverse("personnes"), {"q": "0611223344"})
        client.get(reverse("personne", args=[person.pk]))
        client.get("/personnes/999999/")  # 404 journalisée par Django
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Confidentiel" not in logged and "CONFIDENTIEL" not in logged
    assert "0611223344" not in logged


def test_server_error_shows_and_logs_nothing_personal(client, org, caplog):
    """Un NIR chiffré avec une autre clé fait échouer l'affichage : page 500 générique."""
    from cryptography.fernet import Fernet

    from parcours.people.models import Person
    from parcours.rules import nir

    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    base = "1700501053123"
    value = f"{base}{nir.compute_key(base):02d}"
    person = make_person(org=org, actor=worker, last_name="Secretnom", nir=value, sex="M")
    other_key = Fernet(Fernet.generate_key()).encrypt(value.encode()).decode()
    Person.objects.filter(pk=person.pk).update(nir_encrypted=other_key)
    client.raise_request_exception = False
    login_as(client, worker)
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("personne-nir", args=[person.pk]))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur du service" in html and "Secretnom" not in html and value not in html
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert "Internal Server Error" in logged
    assert "Secretnom" not in logged and value not in logged
