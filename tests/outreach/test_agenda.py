"""Agenda : plages, premier créneau libre, norme des 15 jours, rappels, « a eu lieu »."""

import datetime
import json
import zoneinfo
from html import unescape

import pytest
from django.urls import reverse

from parcours.cases.models import Contact
from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.outreach import services
from parcours.outreach.models import Appointment, AppointmentRequest
from tests.conftest import login_as
from tests.factories import SiteFactory, UserFactory, make_case, make_person

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen_today():
    # lundi 15 juin 2026, 10 h
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def team(org):
    site = SiteFactory(organisation=org, departement_id="01", name="Accueil Bourg")
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    desk = UserFactory(organisation=org, front_line=True, departements=["01"])
    services.add_permanence(
        actor=worker,
        staff=worker,
        weekday=1,  # mardi
        start=datetime.time(9, 0),
        end=datetime.time(10, 30),
        slot_minutes=45,
        mode="RECEPTION_RDV",
        site=site,
    )
    return {"site": site, "as": worker, "desk": desk}


def test_front_line_books_first_free_slot_for_waiting_request(
    client, org, team, django_capture_on_commit_callbacks
):
    person = make_person(org=org, actor=team["desk"], phone="0601020304")
    make_case(person=person, referent=team["as"])
    services.record_request(
        actor=team["desk"],
        person=person,
        received_on=datetime.date(2026, 6, 1),
        assigned_to=team["as"],
    )
    login_as(client, team["desk"])
    page = unescape(client.get(reverse("premier-creneau", args=[person.pk])).content.decode())
    assert "au plus tard le <strong>16/06/2026</strong>" in page
    assert "mardi 16/06/2026 09:00" in page and "mardi 16/06/2026 09:45" in page
    plage = team["as"].permanences.get()
    response = client.post(
        reverse("premier-creneau", args=[person.pk]),
        {"debut": "2026-06-16T09:00", "plage": plage.pk},
    )
    assert response.url == reverse("personne", args=[person.pk])
    appointment = Appointment.objects.get()
    assert (appointment.staff, appointment.site, appointment.duration_minutes) == (
        team["as"],
        team["site"],
        45,
    )
    assert appointment.starts_at == datetime.datetime(2026, 6, 16, 9, 0, tzinfo=PARIS)
    assert AppointmentRequest.objects.get().status == "planifiee"
    # Le même créneau n'est plus proposé ni réservable.
    page = unescape(client.get(reverse("premier-creneau", args=[person.pk])).content.decode())
    assert "mardi 16/06/2026 09:00" not in page and "mardi 16/06/2026 09:45" in page
    response = client.post(
        reverse("premier-creneau", args=[person.pk]),
        {"debut": "2026-06-16T09:00", "plage": plage.pk},
    )
    assert Appointment.objects.count() == 1

    # Rappel la veille, par SMS, à travers l'expéditeur choisi.
    class Memory:
        messages = []

        def send(self, message):
            self.messages.append(message)

    memory = Memory()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.send_reminders(actor=None, day=datetime.date(2026, 6, 16), sender=memory) == 1
        )
    assert memory.messages[0].channel == "SMS" and memory.messages[0].to == "0601020304"
    assert "mardi 16 juin à 09h00" in memory.messages[0].body
    assert services.send_reminders(actor=None, day=datetime.date(2026, 6, 16), sender=memory) == 0


def test_file_sender_writes_json(tmp_path):
    from parcours.core.messaging import FileSender, Message

    FileSender(tmp_path).send(Message("EMAIL", "a@b.fr", "Rappel", "Bonjour", "RDV1"))
    data = json.loads((tmp_path / "RDV1-email.json").read_text())
    assert data == {
        "channel": "EMAIL",
        "to": "a@b.fr",
        "subject": "Rappel",
        "body": "Bonjour",
        "reference": "RDV1",
    }


def test_agenda_shows_requests_at_risk_and_took_place_makes_a_contact(client, org, team):
    person = make_person(org=org, actor=team["desk"], last_name="Risque")
    case = make_case(person=person, referent=team["as"])
    services.record_request(
        actor=team["desk"],
        person=person,
        received_on=datetime.date(2026, 6, 2),  # échéance 17/06 : 2 jours restants
        assigned_to=team["as"],
    )
    with clock.frozen(datetime.datetime(2026, 6, 8, 10, 0, tzinfo=PARIS)):
        appointment = services.book_appointment(
            actor=team["desk"],
            person=person,
            staff=team["as"],
            starts_at=datetime.datetime(2026, 6, 12, 14, 0, tzinfo=PARIS),
            mode="VAD",
        )
    login_as(client, team["as"])
    page = unescape(client.get(reverse("agenda") + "?semaine=2026-06-08").content.decode())
    assert "À risque" in page and "17/06/2026" in page
    assert "A eu lieu → entretien" in page
    client.post(reverse("rendez-vous-a-eu-lieu", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == "honore"
    contact = Contact.objects.get(case=case)
    assert (contact.on, contact.mode, contact.staff) == (
        datetime.date(2026, 6, 12),
        "VAD",
        team["as"],
    )


def test_took_place_without_open_case_is_refused(org, team):
    from parcours.core.exceptions import BusinessError

    person = make_person(org=org, actor=team["desk"])
    with clock.frozen(datetime.datetime(2026, 6, 8, 10, 0, tzinfo=PARIS)):
        appointment = services.book_appointment(
            actor=team["desk"],
            person=person,
            staff=team["as"],
            starts_at=datetime.datetime(2026, 6, 12, 14, 0, tzinfo=PARIS),
            mode="VAD",
        )
    with pytest.raises(BusinessError, match="pas d'accompagnement ouvert"):
        services.appointment_took_place(actor=team["as"], appointment=appointment)


def test_front_line_cannot_turn_appointment_into_contact(client, org, team):
    person = make_person(org=org, actor=team["desk"])
    make_case(person=person, referent=team["as"])
    with clock.frozen(datetime.datetime(2026, 6, 8, 10, 0, tzinfo=PARIS)):
        appointment = services.book_appointment(
            actor=team["desk"],
            person=person,
            staff=team["as"],
            starts_at=datetime.datetime(2026, 6, 12, 14, 0, tzinfo=PARIS),
            mode="VAD",
        )
    login_as(client, team["desk"])
    assert client.post(reverse("rendez-vous-a-eu-lieu", args=[appointment.pk])).status_code == 404
    page = client.get(reverse("agenda") + f"?as={team['as'].pk}&semaine=2026-06-08")
    assert page.status_code == 200
    assert "A eu lieu" not in unescape(page.content.decode())


@pytest.mark.parametrize("role", ["steering", "admin"])
def test_agenda_out_of_scope(client, org, team, role):
    login_as(client, UserFactory(organisation=org, departements=["01"], **{role: True}))
    assert client.get(reverse("agenda")).status_code == 404
    person = make_person(org=org, actor=team["desk"])
    assert client.get(reverse("premier-creneau", args=[person.pk])).status_code == 404


def test_permanence_form(client, org, team):
    login_as(client, team["as"])
    response = client.post(
        reverse("agenda") + f"?as={team['as'].pk}",
        {
            "staff": team["as"].pk,
            "weekday": "3",
            "start": "14:00",
            "end": "13:00",
            "slot_minutes": "30",
            "mode": "TELEPHONE",
        },
    )
    assert "L'heure de fin doit être après l'heure de début." in unescape(response.content.decode())
    client.post(
        reverse("agenda") + f"?as={team['as'].pk}",
        {
            "staff": team["as"].pk,
            "weekday": "3",
            "start": "14:00",
            "end": "16:00",
            "slot_minutes": "30",
            "mode": "TELEPHONE",
        },
    )
    assert team["as"].permanences.count() == 2


def test_reminder_command_writes_files_by_default(
    call, settings, tmp_path, org, team, django_capture_on_commit_callbacks
):
    settings.PARCOURS_REMINDER_DIR = tmp_path
    person = make_person(org=org, actor=team["desk"], email="claire@example.org")
    appointment = services.book_appointment(
        actor=team["desk"],
        person=person,
        staff=team["as"],
        starts_at=datetime.datetime(2026, 6, 16, 9, 0, tzinfo=PARIS),
        mode="RECEPTION_RDV",
        site=team["site"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert call("envoyer-rappels").strip() == "1 rappel envoyé pour le 16/06/2026."
    data = json.loads((tmp_path / f"RDV{appointment.pk}-email.json").read_text())
    assert data["to"] == "claire@example.org"
    assert "(Accueil Bourg)" in data["body"]
    appointment.refresh_from_db()
    assert appointment.reminded_at is not None
    assert call("envoyer-rappels").strip() == "0 rappel envoyé pour le 16/06/2026."


def test_first_free_slot_at_a_site(client, org, team):
    other_site = SiteFactory(organisation=org, departement_id="01", name="Permanence Belley")
    colleague = UserFactory(organisation=org, social_worker=True, departements=["01"])
    services.add_permanence(
        actor=colleague,
        staff=colleague,
        weekday=4,  # vendredi
        start=datetime.time(14, 0),
        end=datetime.time(15, 0),
        slot_minutes=60,
        mode="PERMANENCE",
        site=other_site,
    )
    person = make_person(org=org, actor=team["desk"])
    make_case(person=person, referent=team["as"])
    login_as(client, team["desk"])
    page = unescape(client.get(reverse("premier-creneau", args=[person.pk])).content.decode())
    assert "vendredi" not in page  # l'AS de la personne n'a pas de plage le vendredi
    url = reverse("premier-creneau", args=[person.pk]) + f"?lieu={other_site.pk}"
    page = unescape(client.get(url).content.decode())
    assert "à Permanence Belley" in page
    assert "vendredi 19/06/2026 14:00" in page and "mardi" not in page


def test_taken_first_slot_is_refused_with_a_message(client, org, team):
    first = make_person(org=org, actor=team["desk"], last_name="Premier")
    second = make_person(org=org, actor=team["desk"], last_name="Second")
    plage = team["as"].permanences.get()
    nine = datetime.datetime(2026, 6, 16, 9, 0)  # noqa: DTZ001 (heure locale, comme le formulaire)
    appointment = services.book_first_slot(
        actor=team["desk"], person=first, permanence=plage, starts=nine
    )
    assert appointment.starts_at == datetime.datetime(2026, 6, 16, 9, 0, tzinfo=PARIS)
    with pytest.raises(BusinessError) as refused:
        services.book_first_slot(actor=team["desk"], person=second, permanence=plage, starts=nine)
    assert refused.value.errors == {
        "starts_at": "Ce créneau vient d'être pris : choisissez-en un autre."
    }
    # Un créneau qui n'existe pas dans la plage est refusé de même.
    with pytest.raises(BusinessError, match="vient d'être pris"):
        services.book_first_slot(
            actor=team["desk"],
            person=second,
            permanence=plage,
            starts=datetime.datetime(2026, 6, 16, 9, 10),  # noqa: DTZ001 (heure locale)
        )
    login_as(client, team["desk"])
    response = client.post(
        reverse("premier-creneau", args=[second.pk]),
        {"debut": "2026-06-16T09:00", "plage": plage.pk},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("premier-creneau", args=[second.pk]), 302)]
    page = unescape(response.content.decode())
    assert "Ce créneau vient d'être pris : choisissez-en un autre." in page
    assert Appointment.objects.count() == 1
    # Le créneau suivant reste réservable.
    response = client.post(
        reverse("premier-creneau", args=[second.pk]),
        {"debut": "2026-06-16T09:45", "plage": plage.pk},
    )
    assert response.url == reverse("personne", args=[second.pk])
    assert Appointment.objects.count() == 2


def test_first_slot_of_an_invisible_permanence_is_404(client, org, other_org, team):
    foreign_as = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    foreign = services.add_permanence(
        actor=foreign_as,
        staff=foreign_as,
        weekday=1,
        start=datetime.time(9, 0),
        end=datetime.time(10, 30),
        mode="RECEPTION_RDV",
    )
    person = make_person(org=org, actor=team["desk"])
    login_as(client, team["desk"])
    for data in ({"debut": "2026-06-16T09:00", "plage": foreign.pk}, {"debut": "x", "plage": 1}):
        response = client.post(reverse("premier-creneau", args=[person.pk]), data)
        assert response.status_code == 404
    assert Appointment.objects.count() == 0
