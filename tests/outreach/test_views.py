import datetime
import zoneinfo
from html import unescape

import pytest
from django.urls import reverse

from parcours.core import clock
from parcours.core.models import AuditEntry
from parcours.outreach.models import Appointment, AppointmentRequest
from tests.conftest import login_as
from tests.factories import SiteFactory, UserFactory, make_person

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def people(org):
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    desk = UserFactory(organisation=org, front_line=True, departements=["01"])
    return worker, desk, make_person(org=org, actor=desk)


def test_front_line_records_a_request_then_books_an_appointment(client, org, people):
    worker, desk, person = people
    site = SiteFactory(organisation=org, departement_id="01")
    login_as(client, desk)
    response = client.post(
        reverse("demande-nouvelle", args=[person.pk]),
        {
            "received_on": "2026-05-30",
            "channel": "TELEPHONE",
            "reason": "Dossier retraite",
            "assigned_to": worker.pk,
        },
    )
    assert response.status_code == 302
    request_ = AppointmentRequest.objects.get()
    page = unescape(client.get(reverse("personne", args=[person.pk])).content.decode())
    assert "en attente depuis 16 jours" in page and "Plus de 15 jours" in page
    response = client.post(
        reverse("rendez-vous-nouveau", args=[person.pk]),
        {
            "day": "2026-06-17",
            "time": "09:30",
            "duration_minutes": "45",
            "mode": "RECEPTION_RDV",
            "staff": worker.pk,
            "site": site.pk,
            "request": request_.pk,
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.starts_at == datetime.datetime(2026, 6, 17, 9, 30, tzinfo=PARIS)
    request_.refresh_from_db()
    assert request_.status == AppointmentRequest.Status.PLANIFIEE
    assert AuditEntry.objects.filter(object_type="appointment").count() == 1


def test_fifteen_days_exactly_is_not_late(client, org, people):
    worker, desk, person = people
    login_as(client, desk)
    client.post(
        reverse("demande-nouvelle", args=[person.pk]),
        {"received_on": "2026-05-31", "assigned_to": worker.pk},
    )
    page = unescape(client.get(reverse("personne", args=[person.pk])).content.decode())
    assert "en attente depuis 15 jours" in page and "Plus de 15 jours" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2026-06-14", "time": "09:00"}, "dans le futur"),
        ({"day": "2026-06-16", "time": "25:00"}, "Saisissez une heure valide"),
        ({"day": "", "time": "09:00"}, "Ce champ est obligatoire"),
    ],
)
def test_bad_appointment_input(client, org, people, data, message):
    worker, desk, person = people
    login_as(client, desk)
    response = client.post(
        reverse("rendez-vous-nouveau", args=[person.pk]),
        {"duration_minutes": "45", "mode": "VAD", "staff": worker.pk, **data},
    )
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not Appointment.objects.exists()


def test_future_request_refused(client, org, people):
    worker, desk, person = people
    login_as(client, desk)
    response = client.post(
        reverse("demande-nouvelle", args=[person.pk]),
        {"received_on": "2026-06-16", "assigned_to": worker.pk},
    )
    assert "futur" in unescape(response.content.decode())
    assert not AppointmentRequest.objects.exists()


def test_past_appointment_marked_missed_but_not_a_future_one(client, org, people):
    worker, desk, person = people
    past = Appointment.objects.create(
        organisation=org,
        person=person,
        staff=worker,
        created_by=desk,
        starts_at=datetime.datetime(2026, 6, 12, 14, tzinfo=PARIS),
    )
    future = Appointment.objects.create(
        organisation=org,
        person=person,
        staff=worker,
        created_by=desk,
        starts_at=datetime.datetime(2026, 6, 18, 14, tzinfo=PARIS),
    )
    login_as(client, worker)
    client.post(reverse("rendez-vous-etat", args=[past.pk]), {"status": "manque"})
    client.post(reverse("rendez-vous-etat", args=[future.pk]), {"status": "honore"})
    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.status, future.status) == ("manque", "prevu")


@pytest.mark.parametrize("role", ["steering", "admin"])
def test_roles_without_people_cannot_book(client, org, people, role):
    worker, desk, person = people
    login_as(client, UserFactory(organisation=org, departements=["01"], **{role: True}))
    assert client.get(reverse("demande-nouvelle", args=[person.pk])).status_code == 404
    assert client.get(reverse("rendez-vous-nouveau", args=[person.pk])).status_code == 404


def test_other_organisation_appointment_is_404(client, org, other_org, people):
    worker, desk, person = people
    appointment = Appointment.objects.create(
        organisation=org,
        person=person,
        staff=worker,
        created_by=desk,
        starts_at=datetime.datetime(2026, 6, 12, 14, tzinfo=PARIS),
    )
    login_as(client, UserFactory(organisation=other_org, front_line=True, departements=["01"]))
    response = client.post(reverse("rendez-vous-etat", args=[appointment.pk]), {"status": "manque"})
    assert response.status_code == 404
