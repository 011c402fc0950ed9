"""Inscriptions simultanées : jamais plus d'inscrits que de places (PostgreSQL, verrou de ligne)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from parcours.core import clock
from parcours.groups import services
from parcours.groups.models import Registration
from parcours.rules import collective as rules
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action, make_session

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="verrou de ligne : PostgreSQL seulement"
    ),
]


def test_simultaneous_registrations_never_exceed_capacity(org):
    actor = UserFactory(organisation=org, social_worker=True, departements=["01"])
    action = make_action(org=org, actor=actor)
    session = make_session(action=action, actor=actor, date=datetime.date(2099, 3, 10), capacity=3)
    people = [make_person(org=org, actor=actor, last_name=f"P{i}") for i in range(8)]
    barrier = threading.Barrier(len(people))
    errors = []

    def register(person):
        try:
            barrier.wait(timeout=10)
            services.register(actor=actor, session=session, person=person)
        except Exception as error:  # noqa: BLE001 - remonté par l'assertion
            errors.append(error)
        finally:
            connections.close_all()

    with clock.frozen(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)):
        threads = [threading.Thread(target=register, args=(p,)) for p in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count(rules.REGISTERED) == 3
    assert statuses.count(rules.WAITING) == 5
