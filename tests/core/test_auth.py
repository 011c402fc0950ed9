"""Connexion : verrouillage après échecs, second facteur, en-têtes de sécurité."""

import base64
import datetime
import os
import re
import subprocess
import sys
from html import unescape

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-de-test-42"


def post_login(client, username, password=PASSWORD):
    return client.post(
        reverse("connexion"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1"
    )


def test_login_lands_on_role_home_and_is_audited(client, org):
    user = UserFactory(organisation=org, social_worker=True, username="claire")
    response = post_login(client, "claire")
    assert response.status_code == 302
    assert response.url == reverse("mon-activite")  # directement, sans passer par « / »
    assert AuditEntry.objects.filter(actor=user, action=AuditEntry.Action.LOGIN).count() == 1


def test_wrong_password_gives_a_french_message(client, org):
    UserFactory(organisation=org, username="claire")
    response = post_login(client, "claire", "mauvais")
    assert "Identifiant ou mot de passe incorrect." in unescape(response.content.decode())


def test_lockout_after_five_failures_even_with_the_right_password(client, org):
    UserFactory(organisation=org, username="claire")
    for _ in range(4):
        assert post_login(client, "claire", "mauvais").status_code == 200
    locked = post_login(client, "claire", "mauvais")
    assert locked.status_code == 429
    assert "temporairement bloqué" in locked.content.decode()
    assert post_login(client, "claire").status_code == 429
    assert "_auth_user_id" not in client.session


def test_pages_require_login(client):
    for name in ("mon-activite", "personnes", "equipe", "accompagnements"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("connexion"))


def test_admin_is_sent_to_enrolment_then_verified(client, org):
    admin = UserFactory(organisation=org, admin=True, username="admin")
    post_login(client, "admin")
    response = client.get(reverse("mon-compte"))
    assert response.status_code == 302 and response.url == reverse("second-facteur")
    page = client.get(reverse("second-facteur"))
    assert "<svg" in page.content.decode()
    again = unescape(client.get(reverse("second-facteur")).content.decode())
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", again).group(1)
    assert secret in unescape(page.content.decode())  # même clé d'une page à l'autre
    assert not TOTPDevice.objects.filter(user=admin).exists()  # afficher n'écrit rien
    bad = client.post(reverse("second-facteur"), {"code": "000000"})
    assert "Code incorrect" in unescape(bad.content.decode())
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert base64.b32encode(device.bin_key).decode() == secret.replace(" ", "")
    too_soon = client.post(reverse("second-facteur"), {"code": f"{totp(device.bin_key):06d}"})
    assert "patientez quelques secondes" in unescape(too_soon.content.decode())
    device.refresh_from_db()  # une minute passe : la temporisation de django-otp est écoulée
    device.throttling_failure_timestamp -= datetime.timedelta(minutes=1)
    device.save()
    ok = client.post(reverse("second-facteur"), {"code": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("mon-compte")).status_code == 200


def test_a_dpo_without_other_role_must_enrol_a_second_factor(client, org):
    UserFactory(organisation=org, dpo=True, username="dpo")
    post_login(client, "dpo")
    response = client.get(reverse("mon-compte"))
    assert response.status_code == 302 and response.url == reverse("second-facteur")


def test_user_with_a_device_must_give_the_code_after_password(client, org):
    user = UserFactory(organisation=org, social_worker=True, username="claire")
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    post_login(client, "claire")
    response = client.get(reverse("mon-activite"))
    assert response.url == reverse("verification-otp")
    wrong = client.post(reverse("verification-otp"), {"code": "12"})
    assert "6 chiffres" in unescape(wrong.content.decode())
    client.post(reverse("verification-otp"), {"code": f"{totp(device.bin_key):06d}"})
    assert client.get(reverse("mon-activite")).status_code == 200


def test_security_headers_and_csp(client, org):
    response = client.get(reverse("connexion"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self' 'nonce-" in csp
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert "unsafe-inline" not in directives["script-src"] + directives["style-src"]
    assert directives["style-src-attr"] == "'unsafe-inline'"
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_logout_is_post_only(client, org):
    user = UserFactory(organisation=org, social_worker=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("deconnexion")).status_code == 405
    client.post(reverse("deconnexion"))
    assert "_auth_user_id" not in client.session


def _production_settings(**env):
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.DEBUG, s.SECURE_SSL_REDIRECT)"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("PARCOURS_")}
    base |= {"PARCOURS_ENV": "production", "DJANGO_SETTINGS_MODULE": "parcours.settings"}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=base | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_are_secure():
    result = _production_settings(
        PARCOURS_SECRET_KEY="x" * 50,
        PARCOURS_NIR_KEY="dGVzdC1uaXIta2V5LTMyLWJ5dGVzLWxvbmctMDEyMzQ=",
        PARCOURS_NIR_HMAC_KEY="h",
    )
    assert result.stdout.split() == ["True", "True", "31536000", "False", "True"]


def test_production_refuses_to_start_without_keys():
    result = _production_settings()
    assert result.returncode != 0
    assert "Clés manquantes" in result.stderr
