"""Premier créneau réservé en même temps par plusieurs agents d'accueil : un seul rendez-vous
(PostgreSQL, verrou de la ligne de l'AS)."""

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection, connections

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.outreach import services
from parcours.outreach.models import Appointment, Permanence
from tests.factories import SiteFactory, UserFactory, make_person

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_kept"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="verrou de ligne : PostgreSQL seulement"
    ),
]


def test_simultaneous_first_slot_bookings_make_one_appointment(org):
    site = SiteFactory(organisation=org, departement_id="01", name="Accueil Bourg")
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    desks = [UserFactory(organisation=org, front_line=True, departements=["01"]) for _ in range(6)]
    people = [make_person(org=org, actor=desks[0], last_name=f"P{i}") for i in range(len(desks))]
    now = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)  # lundi
    with clock.frozen(now):
        created = services.add_permanence(
            actor=worker,
            staff=worker,
            weekday=1,  # mardi
            start=datetime.time(9, 0),
            end=datetime.time(10, 30),
            mode="RECEPTION_RDV",
            site=site,
        )
    barrier = threading.Barrier(len(desks))
    booked, refused, errors = [], [], []

    def book(desk, person):
        try:
            permanence = Permanence.objects.select_related("staff", "site").get(pk=created.pk)
            barrier.wait(timeout=10)
            services.book_first_slot(
                actor=desk,
                person=person,
                permanence=permanence,
                starts=datetime.datetime(2026, 6, 16, 9, 0),  # noqa: DTZ001 (heure locale)
            )
            booked.append(person.pk)
        except BusinessError as error:
            refused.append(error.errors)
        except Exception as error:  # noqa: BLE001 - remonté par l'assertion
            errors.append(error)
        finally:
            connections.close_all()

    with clock.frozen(now):
        threads = [threading.Thread(target=book, args=pair) for pair in zip(desks, people)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    assert len(booked) == 1
    assert refused == [{"starts_at": services.SLOT_TAKEN}] * (len(desks) - 1)
    (appointment,) = Appointment.objects.all()
    assert appointment.person_id == booked[0]
    assert appointment.starts_at == datetime.datetime(2026, 6, 16, 9, 0, tzinfo=PARIS)
