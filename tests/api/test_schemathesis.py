"""L'API sous schemathesis : chaque opération du document OpenAPI servi, des données tirées de
son schéma (valides et invalides), un jeton valide portant la portée de l'opération ; aucune
réponse 5xx, chaque réponse conforme au document (statut, type, en-têtes, corps).

L'application est appelée en WSGI (le serveur de Django, sans réseau), dans la base de test.
"""

import datetime
import json
import os
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from parcours.core.models import Commune
from parcours.groups.models import GroupAction, Session
from tests.api.conftest import issue

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
schema = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text(encoding="utf-8")))
schema.app = get_wsgi_application()

#: La portée de chaque opération (formats.md §7).
SCOPES = {
    ("POST", "/api/v1/signalements"): "signalements:ecrire",
    ("GET", "/api/v1/signalements/{reference}"): "signalements:lire",
    ("GET", "/api/v1/orientations"): "orientations:lire",
    ("POST", "/api/v1/orientations/{reference}/reponse"): "orientations:repondre",
    ("GET", "/api/v1/evaluations/{reference}"): "evaluations:lire",
    ("GET", "/api/v1/collectif/seances"): "collectif:lire",
    ("GET", "/api/v1/rapports/activite"): "rapports:lire",
    ("GET", "/api/v1/referentiel/communes"): "referentiel:lire",
}
#: « Une requête conforme au schéma est acceptée » ne vaut pas ici : 422 répond aussi aux règles
#: que le schéma ne dit pas (commune ou région inconnue, date dans le futur, date du
#: consentement exigée par la base légale, région et département ensemble).
EXCLUDED = [positive_data_acceptance]
#: Les cas tirés pour chaque opération (le tout reste sous la minute sur SQLite).
EXAMPLES = int(os.environ.get("PARCOURS_API_CAS", "40"))


def test_every_operation_has_a_scope():
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    operations = {
        (method.upper(), path) for path, methods in document["paths"].items() for method in methods
    }
    assert operations == set(SCOPES)


@pytest.fixture
def _connection_kept():
    """Comme le client de test de Django : l'application appelée en WSGI ne ferme pas la
    connexion de la base à la fin de chaque requête (elle porte la transaction du test)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(org, settings, _connection_kept):
    settings.PARCOURS_API_LIMITE = 100_000
    action = GroupAction.objects.create(
        organisation=org,
        type="ATELIER",
        programme="PDP",
        title="Atelier",
        departement_id="01",
    )
    Session.objects.create(
        organisation=org,
        action=action,
        date=datetime.date.today(),  # noqa: DTZ011
        start_time=datetime.time(9, 0),
        capacity=8,
        site=None,
        partner_place="Mairie",
    )
    assert Commune.objects.filter(departement_id="01").exists()
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
    # Un cas tiré porte « Bearer … » : il reçoit le vrai jeton. Un cas invalide sans en-tête, ou
    # avec un en-tête d'une autre forme, le garde tel quel (401 attendu).
    headers = {}
    if str((case.headers or {}).get("Authorization", "")).startswith("Bearer "):
        headers = {"Authorization": f"Bearer {secret}"}
    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
