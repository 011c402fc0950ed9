"""``parcours verifier-config`` et ``check --deploy`` refusent une configuration de production
mal formée (clés, hôtes, débogage), en français et avec un code de sortie non nul."""

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

GOOD = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "PARCOURS_NIR_KEY": Fernet.generate_key().decode(),
    "PARCOURS_NIR_HMAC_KEY": secrets.token_urlsafe(32),
    "ALLOWED_HOSTS": ["parcours.exemple.fr"],
    "DEBUG": False,
}


@pytest.fixture
def good(settings):
    for name, value in GOOD.items():
        setattr(settings, name, value)
    return settings


def _run(call, *args):
    return call("verifier-config", "--production", *args)


def test_a_good_configuration_passes(good, call):
    assert "Configuration de production correcte." in _run(call)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PARCOURS_NIR_KEY", "pas-une-cle-fernet", "n'est pas une clé Fernet valide"),
        ("PARCOURS_NIR_KEY", "", "n'est pas une clé Fernet valide"),
        ("PARCOURS_NIR_HMAC_KEY", "courte", "PARCOURS_NIR_HMAC_KEY est trop courte (6 octets"),
        ("SECRET_KEY", "x" * 60, "PARCOURS_SECRET_KEY est trop faible"),
        ("SECRET_KEY", "abc", "PARCOURS_SECRET_KEY est trop faible (3 caractères"),
        ("ALLOWED_HOSTS", [], "ALLOWED_HOSTS est vide"),
        ("ALLOWED_HOSTS", ["*"], "ALLOWED_HOSTS accepte tout hôte"),
        ("DEBUG", True, "Le mode de débogage (DEBUG) est actif en production."),
        (
            "PARCOURS_NIR_KEY",
            "dGVzdC1uaXIta2V5LTMyLWJ5dGVzLWxvbmctMDEyMzQ=",
            "Clés publiques des tests utilisées en production : PARCOURS_NIR_KEY",
        ),
    ],
)
def test_each_defect_is_refused_in_french(good, call, name, value, message):
    setattr(good, name, value)
    with pytest.raises(CommandError, match="Configuration refusée : 1 défaut"):
        _run(call)
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--deploy", "--fail-level", "ERROR")
    assert message in str(raised.value)


def test_the_same_key_twice_is_refused(good, call):
    good.PARCOURS_NIR_HMAC_KEY = good.PARCOURS_NIR_KEY
    with pytest.raises(CommandError):
        _run(call)


def _command(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PARCOURS_", "DJANGO_"))}
    base |= {"PARCOURS_ENV": "production", "DATABASE_URL": "sqlite:///:memory:"}
    return subprocess.run(
        [sys.executable, "-m", "parcours.cli", "verifier-config"],
        env=base | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_command_in_a_real_production_environment():
    keys = {
        "PARCOURS_SECRET_KEY": GOOD["SECRET_KEY"],
        "PARCOURS_NIR_KEY": GOOD["PARCOURS_NIR_KEY"],
        "PARCOURS_NIR_HMAC_KEY": GOOD["PARCOURS_NIR_HMAC_KEY"],
    }
    ok = _command(**keys, PARCOURS_ALLOWED_HOSTS="parcours.exemple.fr")
    assert ok.returncode == 0, ok.stderr
    assert "Configuration de production correcte." in ok.stdout
    bad = _command(**keys | {"PARCOURS_NIR_HMAC_KEY": "h", "PARCOURS_NIR_KEY": "abc"})
    assert bad.returncode != 0
    for message in ("n'est pas une clé Fernet valide", "trop courte", "ALLOWED_HOSTS est vide"):
        assert message in bad.stderr
    assert "Configuration refusée : 3 défaut(s)." in bad.stderr
