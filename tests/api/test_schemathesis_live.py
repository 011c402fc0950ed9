"""schemathesis contre un vrai serveur HTTP (``live_server`` : le serveur de Django dans un fil,
sur un port de la machine), comme un partenaire l'appelle : chaque opération avec moins de cas
que l'essai WSGI, puis quelques scénarios à états par les liens du document."""

import os

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from tests.api.conftest import make_world
from tests.api.fuzz import CASES, EXCLUDED, SPEC, authorization, run_stateful

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_kept")]

#: Les cas tirés par opération contre le serveur, et les scénarios à états.
EXAMPLES = int(os.environ.get("PARCOURS_API_CAS_SERVEUR", "12"))
SCENARIOS = int(os.environ.get("PARCOURS_API_SCENARIOS_SERVEUR", "20"))

live = schemathesis.openapi.from_dict(SPEC)  # sans application : les appels passent par HTTP


def test_every_operation_over_http(live_server, org, settings):
    settings.PARCOURS_API_LIMITE = 100_000
    world = make_world(org)
    operations = [result.ok() for result in live.get_all_operations()]
    assert len(operations) == 8
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @hypothesis.given(case=strategy)
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[hypothesis.Phase.generate],
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        def call(case):
            CASES["serveur"] += 1
            response = case.call_and_validate(
                base_url=live_server.url,
                headers=authorization(case, world.secret),
                excluded_checks=EXCLUDED,
            )
            assert response.request.url.startswith(live_server.url)

        call()
    assert CASES["serveur"] >= len(operations) * EXAMPLES // 2

    seen = run_stateful(
        live,
        world.secret,
        label="serveur, états",
        examples=SCENARIOS,
        steps=5,
        base_url=live_server.url,
    )
    # Chaque réponse a été validée contre le document ; que les liens mènent à un 200, l'essai
    # WSGI le prouve (tirage fixe) : par HTTP, l'ordre des scénarios varie d'un processus à
    # l'autre et n'en fait pas une condition.
    assert sum(seen.values()) >= SCENARIOS
    assert not [key for key in seen if key[2] >= 500]
