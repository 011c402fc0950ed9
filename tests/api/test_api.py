"""L'API des partenaires (formats.md §7) : jetons, portées, périmètre, erreurs, ressources."""

import datetime
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from parcours.api import endpoints
from parcours.api.models import ApiToken, ReceivedReferral, digest
from parcours.api.services import revoke_token
from parcours.core import clock
from parcours.core.models import AuditEntry
from parcours.groups.models import GroupAction, Registration, Session
from parcours.outreach import services as outreach_services
from parcours.outreach.models import Referral
from parcours.partners.models import Partner
from parcours.people.models import Person
from parcours.rules import api_access
from tests.api.conftest import bearer, issue, referral_body
from tests.factories import make_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def post(client, secret, body):
    return client.post(
        "/api/v1/signalements",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(secret),
    )


# --- Jetons --------------------------------------------------------------------------------


def test_the_token_is_stored_hashed_and_shown_by_its_prefix(org):
    token, secret = issue(org)
    assert secret.startswith("prc_") and len(secret) >= 40
    assert token.secret_hash == digest(secret) and secret not in token.secret_hash
    assert token.prefix == secret[:12]
    assert not ApiToken.objects.filter(prefix=secret).exists()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer prc_inconnu", "Basic abc", "bearer prc_x"],
)
def test_without_a_valid_token_401_problem(client, org, header):
    kwargs = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/referentiel/communes?departement=01", **kwargs)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["title"] == "Authentification requise"
    assert body["detail"] == "Jeton absent, inconnu, expiré ou révoqué."


def test_revoked_token_401(client, org):
    token, secret = issue(org)
    url = "/api/v1/referentiel/communes?departement=01"
    assert client.get(url, **bearer(secret)).status_code == 200
    revoke_token(actor=None, token=token)
    assert client.get(url, **bearer(secret)).status_code == 401


def test_expired_token_401_the_day_after_its_expiry(client, org, monkeypatch):
    _, secret = issue(org, expires_on=TODAY)
    url = "/api/v1/referentiel/communes?departement=01"
    assert client.get(url, **bearer(secret)).status_code == 200
    monkeypatch.setattr(clock, "today", lambda: TODAY + datetime.timedelta(days=1))
    assert client.get(url, **bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    ("method", "url", "scope"),
    [
        ("post", "/api/v1/signalements", "signalements:ecrire"),
        ("get", "/api/v1/signalements/SIG-2222222222222222", "signalements:lire"),
        ("get", "/api/v1/collectif/seances", "collectif:lire"),
        ("get", "/api/v1/rapports/activite?annee=2026", "rapports:lire"),
        ("get", "/api/v1/referentiel/communes?departement=01", "referentiel:lire"),
    ],
)
def test_each_resource_needs_its_scope(client, org, method, url, scope):
    others = [s for s in api_access.SCOPES if s != scope]
    _, secret = issue(org, scopes=others)
    if method == "post":
        response = post(client, secret, referral_body())
    else:
        response = client.get(url, **bearer(secret))
    assert response.status_code == 403
    assert response.json()["detail"] == f"Ce jeton n'a pas la portée « {scope} »."
    _, allowed = issue(org, scopes=[scope])
    if method == "post":
        assert post(client, allowed, referral_body()).status_code == 201
    else:
        assert client.get(url, **bearer(allowed)).status_code in {200, 404}


def test_rate_limit_429_with_retry_after(client, org, settings):
    settings.PARCOURS_API_LIMITE = 3
    settings.PARCOURS_API_FENETRE = 3600
    _, secret = issue(org)
    url = "/api/v1/referentiel/communes?departement=01"
    statuses = [client.get(url, **bearer(secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(url, **bearer(secret))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert response["Content-Type"] == "application/problem+json"
    _, other = issue(org)  # un autre jeton a sa propre fenêtre
    assert client.get(url, **bearer(other)).status_code == 200


def test_last_use_is_recorded(client, org):
    token, secret = issue(org)
    assert token.last_used_at is None
    client.get("/api/v1/referentiel/communes?departement=01", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- Signalements --------------------------------------------------------------------------


def test_post_referral_creates_person_and_referral_then_status(client, org, partner):
    token, secret = issue(org, partner=partner)
    response = post(client, secret, referral_body(**{"personne.nir": "270050105300173"}))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["statut"] == "RECU" and body["reference"].startswith("SIG-")
    referral = Referral.objects.get(reference=body["reference"])
    assert referral.organisation == org and referral.emitter == "ETABLISSEMENT_SANTE"
    assert referral.emitter_partner == partner and referral.received_on == TODAY
    assert referral.person.last_name == "Martin" and referral.person.nir_masked
    received = ReceivedReferral.objects.get(referral=referral)
    assert received.token == token and received.partner == partner
    assert received.legal_basis == "CONSENTEMENT"
    assert received.consent_date == datetime.date(2026, 11, 30)
    summaries = list(
        AuditEntry.objects.filter(person_id=referral.person_id).values_list("summary", flat=True)
    )
    assert any("API, jeton" in s and "CH Bourg" in s for s in summaries)

    status = client.get(f"/api/v1/signalements/{body['reference']}", **bearer(secret))
    assert status.status_code == 200
    assert status.json() == {
        "reference": body["reference"],
        "statut": "RECU",
        "date": "2026-12-03",
        "reponse": None,
    }
    read = AuditEntry.objects.filter(action="READ", object_type="referral").latest("id")
    assert read.actor is None and read.changes["jeton"] == token.pk
    assert read.person_id == referral.person_id and "1 personne" in read.summary


def test_status_carries_the_answer_to_the_emitter(client, org, partner):
    from tests.factories import UserFactory

    _, secret = issue(org, partner=partner)
    reference = post(client, secret, referral_body()).json()["reference"]
    referral = Referral.objects.get(reference=reference)
    worker = UserFactory(organisation=org)
    outreach_services.assign_referral(actor=worker, referral=referral, social_worker=worker)
    outreach_services.record_answer_to_emitter(actor=worker, referral=referral)
    body = client.get(f"/api/v1/signalements/{reference}", **bearer(secret)).json()
    assert body["statut"] == "PRIS_EN_CHARGE"
    assert body["reponse"]["date"] == "2026-12-03"
    assert "a pris la situation en charge" in body["reponse"]["texte"]


def test_the_same_person_is_found_again(client, org, partner):
    person = make_person(
        org=org,
        last_name="Martin",
        first_names="Claire",
        sex="F",
        birth_date=datetime.date(1970, 5, 4),
    )
    _, secret = issue(org, partner=partner)
    reference = post(client, secret, referral_body()).json()["reference"]
    assert Referral.objects.get(reference=reference).person == person
    assert Person.objects.filter(organisation=org).count() == 1


def test_another_partner_or_organisation_never_reads_the_referral(client, org, other_org, partner):
    _, secret = issue(org, partner=partner)
    reference = post(client, secret, referral_body()).json()["reference"]
    url = f"/api/v1/signalements/{reference}"
    _, same_partner = issue(org, partner=partner)  # un nouveau jeton du même partenaire
    assert client.get(url, **bearer(same_partner)).status_code == 200
    _, other_partner = issue(org)
    _, other_org_token = issue(other_org)
    _, peer = issue(other_org, peer=org)
    for secret_b in (other_partner, other_org_token, peer):
        response = client.get(url, **bearer(secret_b))
        assert response.status_code == 404
        assert response.json()["detail"] == "Introuvable pour ce jeton."


def test_a_referral_from_the_web_is_not_readable(client, org, partner):
    person = make_person(org=org)
    referral = outreach_services.record_referral(
        actor=None,
        person=person,
        emitter="CPAM",
        received_on=TODAY,
        reason="x",
        programme="PDP",
    )
    _, secret = issue(org, partner=partner)
    response = client.get(f"/api/v1/signalements/{referral.reference}", **bearer(secret))
    assert response.status_code == 404


def test_a_peer_organisation_posts_and_reads(client, org, other_org):
    _, secret = issue(org, peer=other_org)
    reference = post(client, secret, referral_body()).json()["reference"]
    assert client.get(f"/api/v1/signalements/{reference}", **bearer(secret)).status_code == 200
    assert Referral.objects.get(reference=reference).emitter_name == other_org.name


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"personne.date_naissance": "04/05/1970"}, "personne.date_naissance"),
        ({"personne.date_naissance": "2027-01-01"}, "personne.date_naissance"),
        ({"personne.nir": "170050105300100"}, "personne.nir"),
        ({"personne.sexe": "X"}, "personne.sexe"),
        ({"personne.nom": "  "}, "personne.nom"),
        ({"personne.commune_insee": "99999"}, "personne.commune_insee"),
        ({"emetteur": "HOPITAL"}, "emetteur"),
        ({"programme": "X"}, "programme"),
        ({"base_legale": "AUTRE"}, "base_legale"),
        ({"date_consentement": None}, "date_consentement"),
        ({"date_consentement": "2026-12-04"}, "date_consentement"),
        ({"departement": "75", "personne.commune_insee": ""}, "departement"),
        ({"motif": "x" * 501}, "motif"),
    ],
)
def test_422_names_each_field(client, org, overrides, field):
    _, secret = issue(org)
    response = post(client, secret, referral_body(**overrides))
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422 and body["type"] == "/api/v1/problemes/donnees-invalides"
    assert field in [e["champ"] for e in body["erreurs"]]
    assert all(e["message"] for e in body["erreurs"])
    assert not Referral.objects.exists()


def test_mission_legale_without_consent_date_and_without_nir(client, org):
    _, secret = issue(org)
    body = referral_body(base_legale="MISSION_LEGALE", date_consentement=None)
    del body["personne"]["nir"]
    assert post(client, secret, body).status_code == 201


def test_missing_fields_and_bad_json(client, org):
    _, secret = issue(org)
    response = post(client, secret, {"personne": {}})
    fields = {e["champ"] for e in response.json()["erreurs"]}
    assert response.status_code == 422
    assert {"personne.nom", "emetteur", "motif", "base_legale"} <= fields
    assert response.json()["erreurs"][0]["message"] == "Ce champ est obligatoire."
    response = client.post(
        "/api/v1/signalements", data="{", content_type="application/json", **bearer(secret)
    )
    assert response.status_code in {400, 422}
    assert response["Content-Type"] == "application/problem+json"


def test_an_unexpected_error_is_a_500_problem_without_details(caplog):
    request = RequestFactory().get("/api/v1/collectif/seances")
    with caplog.at_level(logging.ERROR, logger="parcours.api"):
        try:
            raise RuntimeError("Claire Martin 270050105300173")
        except RuntimeError as error:
            response = endpoints._unexpected(request, error)
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body == {
        "type": "/api/v1/problemes/erreur-du-service",
        "title": "Erreur du service",
        "status": 500,
        "detail": "Erreur du service ; réessayez plus tard.",
    }
    assert "RuntimeError" in caplog.text and "Martin" not in caplog.text


# --- Séances, rapport, référentiel ---------------------------------------------------------


def _session(org, *, title_public, on, capacity=10, title="Atelier après un cancer"):
    action = GroupAction.objects.create(
        organisation=org,
        type="ATELIER",
        programme="PARCOURS_SANTE",
        title=title,
        title_is_public=title_public,
        departement_id="01",
    )
    return Session.objects.create(
        organisation=org,
        action=action,
        date=on,
        start_time=datetime.time(14, 0),
        capacity=capacity,
        partner_place="Salle des fêtes",
    )


def test_upcoming_sessions_neutral_title_places_left_and_organisation(client, org, other_org):
    hidden = _session(org, title_public=False, on=TODAY, capacity=2)
    _session(org, title_public=True, on=TODAY + datetime.timedelta(days=3), title="Bien vieillir")
    _session(org, title_public=True, on=TODAY - datetime.timedelta(days=1), title="Passée")
    _session(other_org, title_public=True, on=TODAY, title="Autre organisme")
    person = make_person(org=org)
    Registration.objects.create(
        organisation=org,
        session=hidden,
        person=person,
        status="INSCRIT",
        channel="AGENT",
        registered_at=clock.now(),
    )
    _, secret = issue(org)
    rows = client.get("/api/v1/collectif/seances", **bearer(secret)).json()
    assert [r["titre"] for r in rows] == ["Atelier", "Bien vieillir"]
    assert rows[0]["places_restantes"] == 1 and rows[0]["titre_public"] is False
    assert rows[0]["lieu"] == "Salle des fêtes" and rows[0]["date"] == "2026-12-03"
    later = client.get(
        "/api/v1/collectif/seances?du=2026-12-04&au=2026-12-31&departement=01", **bearer(secret)
    ).json()
    assert [r["titre"] for r in later] == ["Bien vieillir"]
    assert client.get("/api/v1/collectif/seances?departement=69", **bearer(secret)).json() == []


def test_upcoming_sessions_give_the_commune_typed_then_the_partner_s(client, org):
    from parcours.partners.models import Partner

    typed = _session(org, title_public=True, on=TODAY, title="Saisie")
    typed.commune_id = "01053"
    typed.save()
    hosted = _session(org, title_public=True, on=TODAY, title="Chez le partenaire")
    hosted.partner = Partner.objects.create(
        organisation=org, kind="CCAS", name="CCAS d'Ambérieu", commune_id="01004"
    )
    hosted.save()
    _session(org, title_public=True, on=TODAY, title="Sans commune")
    _, secret = issue(org)
    rows = client.get("/api/v1/collectif/seances", **bearer(secret)).json()
    communes = {r["titre"]: r["commune"] for r in rows}
    assert communes == {
        "Saisie": {"code": "01053", "nom": "Bourg-en-Bresse"},
        "Chez le partenaire": {"code": "01004", "nom": "Ambérieu-en-Bugey"},
        "Sans commune": None,
    }


def test_report_is_byte_for_byte_the_command_output(client, org):
    _, secret = issue(org)
    response = client.get("/api/v1/rapports/activite?annee=2026&departement=01", **bearer(secret))
    assert response.status_code == 200
    out = io.StringIO()
    call_command(
        "rapport-activite", organisation=org.code, annee=2026, departement="01", stdout=out
    )
    assert response.content.decode() + "\n" == out.getvalue()
    assert response.json()["territoire"]["niveau"] == "departement"


def test_report_territory_errors(client, org):
    _, secret = issue(org)
    both = client.get(
        "/api/v1/rapports/activite?annee=2026&region=84&departement=01", **bearer(secret)
    )
    assert both.status_code == 422 and both.json()["erreurs"][0]["champ"] == "region"
    unknown = client.get("/api/v1/rapports/activite?annee=2026&region=99", **bearer(secret))
    assert unknown.status_code == 422
    assert client.get("/api/v1/rapports/activite", **bearer(secret)).status_code == 422


def test_communes_of_a_departement(client, org):
    _, secret = issue(org)
    rows = client.get("/api/v1/referentiel/communes?departement=01", **bearer(secret)).json()
    assert rows and all(r["departement"] == "01" for r in rows)
    assert rows == sorted(rows, key=lambda r: r["code"])
    bourg = next(r for r in rows if r["code"] == "01053")
    assert bourg["nom"] == "Bourg-en-Bresse" and "01000" in bourg["codes_postaux"]
    response = client.get("/api/v1/referentiel/communes?departement=1", **bearer(secret))
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "departement"


# --- Commande, documents -------------------------------------------------------------------


def test_command_prints_the_token_alone_on_its_last_line(client, org):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "jeton-api",
        organisation=org.code,
        partenaire="CH-BOURG",
        portees="collectif:lire,referentiel:lire",
        expire="2027-06-30",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().splitlines()[-1]
    assert secret.startswith("prc_") and " " not in secret
    assert "absent de l'annuaire, créé" in err.getvalue()
    partner = Partner.objects.get(organisation=org, code="CH-BOURG")
    assert partner.name == "CH-BOURG"
    token = ApiToken.objects.get(secret_hash=digest(secret))
    assert token.partner == partner and token.scopes == ["collectif:lire", "referentiel:lire"]
    assert token.expires_on == datetime.date(2027, 6, 30)
    assert client.get("/api/v1/collectif/seances", **bearer(secret)).status_code == 200
    # une seconde fois : le partenaire est retrouvé par son code, sans avertissement
    err = io.StringIO()
    call_command(
        "jeton-api",
        organisation=org.code,
        partenaire="CH-BOURG",
        portees="rapports:lire",
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "absent" not in err.getvalue()
    assert Partner.objects.filter(code="CH-BOURG").count() == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"portees": "tout"}, "Portée inconnue : tout"),
        ({"portees": ""}, "Indiquez au moins une portée."),
        ({"expire": "30/06/2027"}, "n'est pas une date AAAA-MM-JJ"),
        ({"expire": "2026-12-02"}, "L'échéance ne peut pas être passée."),
        ({"organisation": "inconnu"}, "Organisme inconnu"),
    ],
)
def test_command_refusals(org, options, message):
    from django.core.management.base import CommandError

    kwargs = {"organisation": org.code, "partenaire": "X", "portees": "rapports:lire"} | options
    with pytest.raises(CommandError, match=message):
        call_command("jeton-api", stdout=io.StringIO(), stderr=io.StringIO(), **kwargs)


def test_openapi_served_and_committed_spec_is_up_to_date(client):
    from pathlib import Path

    from django.conf import settings

    served = client.get("/api/v1/openapi.json").json()
    assert served["openapi"].startswith("3.")
    committed = Path(settings.BASE_DIR).parent.parent / "docs" / "openapi.json"
    out = io.StringIO()
    call_command("spec-api", stdout=out)
    assert json.loads(out.getvalue()) == served
    assert committed.read_text(encoding="utf-8") == out.getvalue(), (
        "docs/openapi.json diffère du code : `make openapi` le réécrit."
    )


def test_docs_page_loads_its_assets_locally(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html
    directives = dict(
        d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";")
    )
    assert "unsafe-inline" not in directives["script-src"]
    assert "cdn" not in directives["script-src"] + directives["style-src"]


@pytest.mark.parametrize(
    "path", ["/api/v1/signalements/a/b", "/api/v1/signalements/", "/api/v2/x", "/api/v1/inconnu"]
)
def test_any_other_api_address_is_a_404_problem(client, org, path):
    _, secret = issue(org)
    response = client.get(path, **bearer(secret))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
