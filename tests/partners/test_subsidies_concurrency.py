"""Versements et années accordées simultanés : jamais au-delà de l'accordé ni du budget
(PostgreSQL, verrou de ligne)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from parcours.core.exceptions import BusinessError
from parcours.partners import services
from parcours.partners.models import Grant, Payment
from tests.partners.factories import (
    make_application,
    make_call,
    make_convention,
    make_grant,
    make_partner,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_kept"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="verrou de ligne : PostgreSQL seulement"
    ),
]


def _together(n, work):
    barrier = threading.Barrier(n)
    refused, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            work(i)
        except BusinessError:
            refused.append(i)
        except Exception as error:  # noqa: BLE001 - remonté par l'assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return refused


@pytest.fixture
def setting(org, manager):
    partner = make_partner(org=org, actor=manager)
    convention = make_convention(partner=partner, actor=manager)
    call = make_call(org=org, actor=manager, budget="18000")
    return {"partner": partner, "convention": convention, "call": call}


def test_simultaneous_payments_and_grants_never_exceed_their_ceiling(setting, manager):
    application = make_application(
        call=setting["call"], partner=setting["partner"], actor=manager, status="RETENUE"
    )
    grant = make_grant(
        application=application, actor=manager, convention=setting["convention"], amount="10000"
    )
    refused = _together(
        6,
        lambda i: services.record_payment(
            actor=manager, grant=grant, paid_on=datetime.date(2026, 6, 1), amount=Decimal("3000")
        ),
    )
    assert len(refused) == 3
    assert services.paid_total(grant) == Decimal("9000")
    assert Payment.objects.count() == 3

    applications = [
        make_application(
            call=setting["call"],
            partner=setting["partner"],
            actor=manager,
            title=f"Projet {i}",
            status="RETENUE",
        )
        for i in range(5)
    ]
    refused = _together(
        5,
        lambda i: make_grant(
            application=applications[i],
            actor=manager,
            convention=setting["convention"],
            amount="4000",
        ),
    )
    assert len(refused) == 3  # 10 000 déjà accordés sur 18 000 : deux fois 4 000 passent
    assert Grant.objects.count() == 3
    assert services.granted_total(setting["call"]) == Decimal("18000")
