"""Verrouillage : 5 échecs pour un identifiant, 20 pour une adresse IP tous identifiants
confondus (pulvérisation de mots de passe), avec la page française."""

from html import unescape

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-de-test-42"


def post_login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("connexion"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _locked(response):
    return response.status_code == 429 and "Connexion temporairement bloquée" in unescape(
        response.content.decode()
    )


def test_password_spraying_from_one_ip_is_blocked(client, org):
    UserFactory(organisation=org, username="claire")
    for i in range(20):
        response = post_login(client, f"agent-{i}", "Printemps2026!")
        assert response.status_code == 200 if i < 19 else _locked(response), i
    # L'adresse est bloquée, même pour un vrai compte avec le bon mot de passe.
    assert _locked(post_login(client, "claire"))
    assert _locked(post_login(client, "nouvel-identifiant", "x"))
    assert "_auth_user_id" not in client.session
    # Une autre adresse n'est pas concernée.
    assert post_login(client, "claire", ip="10.0.0.2").status_code == 302


def test_a_few_failures_of_a_whole_office_do_not_block_it(client, org):
    UserFactory(organisation=org, username="claire")
    for i in range(19):
        assert post_login(client, f"agent-{i}", "faute-de-frappe").status_code == 200
    assert post_login(client, "claire").status_code == 302


def test_one_username_still_locks_after_five_failures(client, org):
    UserFactory(organisation=org, username="claire")
    for _ in range(4):
        assert post_login(client, "claire", "mauvais").status_code == 200
    assert _locked(post_login(client, "claire", "mauvais"))
    assert _locked(post_login(client, "claire"))
    # Le couple est bloqué, pas l'adresse : un collègue se connecte.
    UserFactory(organisation=org, username="marc")
    assert post_login(client, "marc").status_code == 302


def test_a_success_clears_only_its_own_failures(client, org):
    """Se connecter avec son propre compte n'efface pas les échecs des autres identifiants."""
    UserFactory(organisation=org, username="attaquant")
    for i in range(15):
        post_login(client, f"cible-{i}", "mauvais")
    for _ in range(3):
        post_login(client, "attaquant", "mauvais")
    assert post_login(client, "attaquant").status_code == 302
    client.post(reverse("deconnexion"))
    for i in range(4):
        assert post_login(client, f"autre-{i}", "mauvais").status_code == 200
    assert _locked(post_login(client, "autre-5", "mauvais"))  # 15 + 5 : le seuil de l'adresse


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("10.0.0.9", "", 0, "10.0.0.9"),
        ("10.0.0.9", "203.0.113.5", 0, "10.0.0.9"),  # sans mandataire déclaré : ignoré
        ("10.0.0.9", "203.0.113.5", 1, "203.0.113.5"),
        ("10.0.0.9", "1.2.3.4, 203.0.113.5", 1, "203.0.113.5"),  # 1.2.3.4 écrit par le client
        ("10.0.0.9", "1.2.3.4, 203.0.113.5, 10.0.0.8", 2, "203.0.113.5"),
        ("10.0.0.9", "203.0.113.5", 2, "10.0.0.9"),  # en-tête trop court
        ("10.0.0.9", "pas-une-adresse", 1, "10.0.0.9"),
        ("10.0.0.9", " 2001:db8::1 ", 1, "2001:db8::1"),
    ],
)
def test_client_address_behind_trusted_proxies(remote, forwarded, proxies, expected):
    from parcours.core.lockout import forwarded_client

    assert forwarded_client(remote, forwarded, proxies) == expected


def test_behind_a_proxy_each_client_has_its_own_counter(client, org, settings):
    """Derrière nginx, toutes les connexions viennent de 127.0.0.1 : sans lecture de
    X-Forwarded-For, 20 échecs d'un poste bloqueraient tout le service."""
    settings.PARCOURS_MANDATAIRES = 1
    UserFactory(organisation=org, username="claire")
    for i in range(20):
        client.post(
            reverse("connexion"),
            {"username": f"agent-{i}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    attacker = client.post(
        reverse("connexion"),
        {"username": "claire", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert _locked(attacker)
    colleague = client.post(
        reverse("connexion"),
        {"username": "claire", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert colleague.status_code == 302
