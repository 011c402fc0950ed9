"""Les pages des jetons d'API : administrateur de l'organisme seulement ; le jeton montré une
fois ; la révocation."""

import re

import pytest

from parcours.api.models import ApiToken, digest
from parcours.core.models import AuditEntry
from parcours.partners.models import Partner
from tests.api.conftest import bearer, issue
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org):
    return UserFactory(organisation=org, admin=True)


def test_only_the_organisation_admin_reaches_the_pages(client, org):
    token, _ = issue(org)
    for user in (UserFactory(organisation=org), UserFactory(organisation=org, manager=True)):
        login_as(client, user)
        for url in ("/administration/jetons-api/", f"/administration/jetons-api/{token.pk}/"):
            assert client.get(url).status_code == 404


def test_issue_from_the_page_shown_once_then_listed(client, org, admin):
    partner = Partner.objects.create(organisation=org, kind="CCAS", name="CCAS de Bourg")
    login_as(client, admin)
    page = client.get("/administration/jetons-api/nouveau/")
    assert page.status_code == 200 and "CCAS de Bourg" in page.content.decode()
    response = client.post(
        "/administration/jetons-api/nouveau/",
        {"holder": f"p{partner.pk}", "scopes": ["collectif:lire"], "label": "Accueil CCAS"},
    )
    token = ApiToken.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/administration/jetons-api/{token.pk}/"
    shown = client.get(response["Location"]).content.decode()
    secret = re.search(r'id="jeton-secret">(prc_[\w-]+)<', shown).group(1)
    assert digest(secret) == token.secret_hash and token.created_by == admin
    again = client.get(response["Location"]).content.decode()
    assert secret not in again and token.prefix in again
    listing = client.get("/administration/jetons-api/").content.decode()
    assert "CCAS de Bourg" in listing and "jamais" in listing and "Actif" in listing
    assert client.get("/api/v1/collectif/seances", **bearer(secret)).status_code == 200
    assert AuditEntry.objects.filter(object_type="apitoken", actor=admin).exists()


def test_refusals_answer_422_with_the_form(client, org, admin):
    login_as(client, admin)
    response = client.post("/administration/jetons-api/nouveau/", {"holder": "", "scopes": []})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoke(client, org, admin):
    token, secret = issue(org)
    login_as(client, admin)
    response = client.post(f"/administration/jetons-api/{token.pk}/revocation/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin
    assert client.get("/api/v1/collectif/seances", **bearer(secret)).status_code == 401
    assert "Révoqué" in client.get("/administration/jetons-api/").content.decode()


def test_another_organisation_token_is_404(client, org, other_org):
    token, _ = issue(other_org)
    login_as(client, UserFactory(organisation=org, admin=True))
    assert client.get(f"/administration/jetons-api/{token.pk}/").status_code == 404
    assert client.post(f"/administration/jetons-api/{token.pk}/revocation/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_administration_menu_links_the_tokens(client, org, admin):
    login_as(client, admin)
    assert 'href="/administration/jetons-api/"' in client.get("/administration/").content.decode()
