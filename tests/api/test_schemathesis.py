"""L'API sous schemathesis : chaque opération du document OpenAPI (docs/openapi.json), des
données tirées de son schéma (valides et invalides), un jeton valide portant la portée de
l'opération ; aucune réponse 5xx, chaque réponse conforme au document (statut, type, en-têtes,
corps). Puis les scénarios à états : les liens du document enchaînés avec un jeton de toutes les
portées.

L'application est appelée en WSGI (le serveur de Django, sans réseau), dans la base de test ;
test_schemathesis_live.py refait les deux contre un vrai serveur HTTP.
"""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from parcours.core.models import Commune
from tests.api.conftest import issue, make_world
from tests.api.fuzz import (
    CASES,
    EXCLUDED,
    SCOPES,
    SPEC,
    assert_links_followed,
    authorization,
    run_stateful,
)

schema = schemathesis.openapi.from_dict(SPEC)
schema.app = get_wsgi_application()

#: Les cas tirés pour chaque opération (le tout reste sous la minute sur SQLite).
EXAMPLES = int(os.environ.get("PARCOURS_API_CAS", "40"))
#: Les scénarios à états et leur longueur au plus.
SCENARIOS = int(os.environ.get("PARCOURS_API_SCENARIOS", "25"))


def test_every_operation_has_a_scope():
    operations = {
        (method.upper(), path) for path, methods in SPEC["paths"].items() for method in methods
    }
    assert operations == set(SCOPES)


def test_the_document_declares_the_links():
    links = {
        (path, method, status, name): link["operationId"]
        for path, methods in SPEC["paths"].items()
        for method, operation in methods.items()
        for status, answer in operation["responses"].items()
        for name, link in answer.get("links", {}).items()
    }
    assert links == {
        ("/api/v1/signalements", "post", "201", "suivreSignalement"): (
            "parcours_api_endpoints_get_referral"
        ),
        ("/api/v1/orientations", "get", "200", "repondrePremiere"): (
            "parcours_api_endpoints_post_orientation_answer"
        ),
        ("/api/v1/orientations/{reference}/reponse", "post", "200", "repondreEncore"): (
            "parcours_api_endpoints_post_orientation_answer"
        ),
    }


@pytest.fixture
def world(org, settings, _connection_kept):
    settings.PARCOURS_API_LIMITE = 100_000
    assert Commune.objects.filter(departement_id="01").exists()
    return make_world(org)


@pytest.fixture
def tokens(org, world):
    return {scope: issue(org, scopes=[scope])[1] for scope in set(SCOPES.values())}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_document(case, tokens):
    # la portée de l'opération (une autre méthode sur la même adresse : 405 attendu)
    secret = tokens[next(scope for (_, path), scope in SCOPES.items() if path == case.path)]
    CASES["wsgi"] += 1
    case.call_and_validate(headers=authorization(case, secret), excluded_checks=EXCLUDED)


@pytest.mark.django_db
def test_stateful_scenarios_follow_the_links(world):
    seen = run_stateful(schema, world.secret, label="états", examples=SCENARIOS, steps=6)
    assert_links_followed(seen)
    assert not [key for key in seen if key[2] >= 500]
