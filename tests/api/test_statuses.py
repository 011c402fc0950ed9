"""Chaque statut que docs/openapi.json documente pour une opération est atteint par un vrai
appel (l'application en WSGI), et la réponse est conforme au document : corps selon son
schéma, ``application/problem+json`` au ``detail`` en français pour une erreur.

La liste (opération, statut) est lue dans le document : un statut documenté sans appel qui
l'obtient fait échouer ``test_every_documented_status_has_a_call`` ; un statut qu'aucun appel
ne peut obtenir se retire du document, il ne se simule pas.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from werkzeug.test import Client

from parcours.rules import api_access
from tests.api.conftest import World, issue, make_world, referral_body
from tests.api.fuzz import SCOPES, SPEC

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(SPEC)
DOCUMENTED = sorted(
    (method.upper(), path, int(status))
    for path, methods in SPEC["paths"].items()
    for method, operation in methods.items()
    for status in operation["responses"]
)
#: Le début du ``detail`` (français) de chaque erreur.
DETAILS = {
    400: r"Requête illisible \(corps JSON attendu\)\.",
    401: r"Jeton absent, inconnu, expiré ou révoqué\.",
    403: r"Ce jeton n'a pas la portée « [a-z]+:[a-z]+ »\.",
    404: r"Introuvable pour ce jeton\.",
    422: r"La (requête contient des données invalides|requête est refusée|réponse est refusée)",
    429: r"Trop d'appels pour ce jeton : réessayez dans \d+ secondes?\.",
}


@dataclass
class Call:
    path: str
    query: dict = field(default_factory=dict)
    body: object = None  # un dict envoyé en JSON, une chaîne telle quelle


def _valid(world: World, method: str, path: str) -> Call:
    """L'appel qui réussit, pour le jeton de toutes les portées du partenaire."""
    return {
        ("POST", "/api/v1/signalements"): lambda: Call(path, body=referral_body()),
        ("GET", "/api/v1/signalements/{reference}"): lambda: Call(
            f"/api/v1/signalements/{world.referral}"
        ),
        ("GET", "/api/v1/orientations"): lambda: Call(path),
        ("POST", "/api/v1/orientations/{reference}/reponse"): lambda: Call(
            f"/api/v1/orientations/{world.orientations[0].reference}/reponse",
            body={"statut": "ACCEPTEE"},
        ),
        ("GET", "/api/v1/evaluations/{reference}"): lambda: Call(
            f"/api/v1/evaluations/{world.evaluation_share.reference}"
        ),
        ("GET", "/api/v1/collectif/seances"): lambda: Call(path, {"departement": "01"}),
        ("GET", "/api/v1/rapports/activite"): lambda: Call(path, {"annee": "2026"}),
        ("GET", "/api/v1/referentiel/communes"): lambda: Call(path, {"departement": "01"}),
    }[(method, path)]()


#: Les appels propres à une opération : (méthode, chemin, statut) → l'appel, depuis le monde.
SPECIFIC = {
    ("POST", "/api/v1/signalements", 400): lambda w: Call("/api/v1/signalements", body="{"),
    ("POST", "/api/v1/signalements", 422): lambda w: Call(
        "/api/v1/signalements", body=referral_body(**{"personne.date_naissance": "04/05/1970"})
    ),
    # le signalement d'un autre organisme
    ("GET", "/api/v1/signalements/{reference}", 404): lambda w: Call(
        f"/api/v1/signalements/{w.foreign_referral}"
    ),
    ("GET", "/api/v1/signalements/{reference}", 422): lambda w: Call(
        f"/api/v1/signalements/{w.referral}", {"statut": "RECU"}
    ),
    ("GET", "/api/v1/orientations", 422): lambda w: Call(
        "/api/v1/orientations", {"statut": "INCONNU"}
    ),
    ("POST", "/api/v1/orientations/{reference}/reponse", 400): lambda w: Call(
        f"/api/v1/orientations/{w.orientations[0].reference}/reponse", body="{"
    ),
    # l'orientation adressée à un autre partenaire
    ("POST", "/api/v1/orientations/{reference}/reponse", 404): lambda w: Call(
        f"/api/v1/orientations/{w.other_orientation.reference}/reponse",
        body={"statut": "ACCEPTEE"},
    ),
    # clôturer avant toute réponse : les règles refusent
    ("POST", "/api/v1/orientations/{reference}/reponse", 422): lambda w: Call(
        f"/api/v1/orientations/{w.orientations[1].reference}/reponse",
        body={"statut": "CLOTUREE"},
    ),
    ("GET", "/api/v1/evaluations/{reference}", 404): lambda w: Call(
        "/api/v1/evaluations/EVA-" + "A" * 16
    ),
    ("GET", "/api/v1/evaluations/{reference}", 422): lambda w: Call(
        f"/api/v1/evaluations/{w.evaluation_share.reference}", {"gir": "1"}
    ),
    ("GET", "/api/v1/collectif/seances", 422): lambda w: Call(
        "/api/v1/collectif/seances", {"departement": "ZZ"}
    ),
    ("GET", "/api/v1/rapports/activite", 422): lambda w: Call("/api/v1/rapports/activite"),
    ("GET", "/api/v1/referentiel/communes", 422): lambda w: Call("/api/v1/referentiel/communes"),
}
#: Les statuts que toute opération atteint de la même façon (jeton absent, portée manquante,
#: débit épuisé) ou par l'appel valide.
GENERIC = {200, 201, 401, 403, 429}


def send(client: Client, method: str, call: Call, secret: str | None):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    data = call.body if isinstance(call.body, str) else None
    if isinstance(call.body, dict):
        data = json.dumps(call.body)
    return client.open(
        call.path,
        method=method,
        query_string=call.query,
        data=data,
        content_type="application/json" if data is not None else None,
        headers=headers,
    )


@pytest.fixture
def world(org, other_org, _connection_kept):
    world = make_world(org, orientations=2)
    client = Client(get_wsgi_application())
    posted = send(client, "POST", Call("/api/v1/signalements", body=referral_body()), world.secret)
    assert posted.status_code == 201, posted.get_data(as_text=True)
    world.referral = posted.get_json()["reference"]
    _, foreign = issue(other_org, scopes=["signalements:ecrire"])
    theirs = send(client, "POST", Call("/api/v1/signalements", body=referral_body()), foreign)
    world.foreign_referral = theirs.get_json()["reference"]
    return world


def test_every_documented_status_has_a_call():
    missing = [key for key in DOCUMENTED if key[2] not in GENERIC and key not in SPECIFIC]
    assert not missing, f"statuts documentés sans appel qui les obtienne : {missing}"
    undocumented = set(SPECIFIC) - set(DOCUMENTED)
    assert not undocumented, f"appels de statuts que le document ne dit pas : {undocumented}"


def test_every_documented_status_is_reached(world, org, settings, subtests):
    """Un seul organisme pour tous les appels (chacun sous son propre sous-test) : les appels
    qui changent l'état (accepter une orientation) passent après ceux qui la lisent."""
    client = Client(get_wsgi_application())
    for method, path, status in DOCUMENTED:
        with subtests.test(msg=f"{method} {path} → {status}"):
            reach(client, world, org, settings, method, path, status)


def reach(client, world, org, settings, method, path, status):
    secret = world.secret
    settings.PARCOURS_API_LIMITE = 100_000
    if status in {200, 201}:
        call = _valid(world, method, path)
    elif status == 401:
        call, secret = _valid(world, method, path), None
    elif status == 403:
        others = [scope for scope in api_access.SCOPES if scope != SCOPES[(method, path)]]
        _, secret = issue(org, partner=world.partner, scopes=others)
        call = _valid(world, method, path)
    elif status == 429:
        settings.PARCOURS_API_LIMITE = 1
        _, secret = issue(org, partner=world.partner)
        call = _valid(world, method, path)
        send(client, method, call, secret)
    else:
        call = SPECIFIC[(method, path, status)](world)
    response = send(client, method, call, secret)

    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    schema[path][method].validate_response(response)  # le corps suit le schéma documenté
    if status < 400:
        assert response.headers["Content-Type"].startswith("application/json")
        return
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == status
    assert re.match(DETAILS[status], problem["detail"]), problem["detail"]
    assert "Traceback" not in body and "Exception" not in body
    if status == 422:
        assert problem["erreurs"] and all(e["message"] for e in problem["erreurs"])
    if status == 429:
        assert int(response.headers["Retry-After"]) >= 1
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
