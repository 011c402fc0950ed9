"""Effets de bord après validation : une écriture annulée n'envoie ni courriel, ni SMS, et ne
lance aucune tâche de fond ; les services n'importent pas les tâches."""

import ast
import datetime
import pathlib
import zoneinfo

import pytest
from django.db import transaction

from parcours.core import clock
from parcours.outreach import services, tasks
from parcours.outreach.models import Appointment, Campaign, Referral, TargetingRun
from tests.factories import UserFactory, make_case, make_person
from tests.outreach.factories import extract_row, write_extract

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


class Recorder:
    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)


class Cancelled(Exception):
    pass


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def team(org):
    return {
        "as": UserFactory(organisation=org, social_worker=True, departements=["01"]),
        "manager": UserFactory(organisation=org, manager=True, departements=["01"]),
    }


def sms_campaign(team, people, sender):
    return services.create_campaign(
        actor=team["manager"],
        name="SMS",
        channel="SMS",
        proposal="APPEL",
        programme="PDP",
        people=people,
        sender=sender,
    )


def test_rolled_back_campaign_sends_nothing(org, team, django_capture_on_commit_callbacks):
    person = make_person(org=org, actor=team["as"], phone="0611223344")
    recorder = Recorder()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Cancelled),
        transaction.atomic(),
    ):
        sms_campaign(team, [person], recorder)
        assert recorder.sent == []  # rien ne part avant la validation
        raise Cancelled
    assert callbacks == [] and recorder.sent == []
    assert Campaign.objects.count() == 0
    # Validée, la même campagne envoie son SMS.
    with django_capture_on_commit_callbacks(execute=True):
        campaign = sms_campaign(team, [person], recorder)
    assert [(m.to, m.reference) for m in recorder.sent] == [
        ("0611223344", campaign.offers.get().reference)
    ]


def test_rolled_back_campaign_reminder_sends_nothing(org, team, django_capture_on_commit_callbacks):
    person = make_person(org=org, actor=team["as"], email="anne@example.org")
    recorder = Recorder()
    campaign = services.create_campaign(
        actor=team["manager"],
        name="Courriel",
        channel="EMAIL",
        proposal="APPEL",
        programme="PDP",
        people=[person],
        sender=recorder,
        sent_on=datetime.date(2026, 5, 1),
    )
    offers = list(campaign.offers.all())
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Cancelled),
        transaction.atomic(),
    ):
        services.remind_campaign(
            actor=team["manager"], campaign=campaign, offers=offers, sender=recorder
        )
        raise Cancelled
    assert recorder.sent == []
    assert campaign.offers.get().reminders == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_campaign(
            actor=team["manager"], campaign=campaign, offers=offers, sender=recorder
        )
    assert [m.to for m in recorder.sent] == ["anne@example.org"]


def test_rolled_back_reminders_send_nothing(org, team, django_capture_on_commit_callbacks):
    person = make_person(org=org, actor=team["as"], phone="0601020304")
    appointment = services.book_appointment(
        actor=team["as"],
        person=person,
        staff=team["as"],
        starts_at=datetime.datetime(2026, 6, 16, 9, 0, tzinfo=PARIS),
        mode="RECEPTION_RDV",
    )
    recorder = Recorder()
    day = datetime.date(2026, 6, 16)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Cancelled),
        transaction.atomic(),
    ):
        assert services.send_reminders(actor=None, day=day, sender=recorder) == 1
        raise Cancelled
    assert recorder.sent == []
    assert Appointment.objects.get(pk=appointment.pk).reminded_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(actor=None, day=day, sender=recorder) == 1
    assert [(m.channel, m.to) for m in recorder.sent] == [("SMS", "0601020304")]


def test_rolled_back_answer_to_emitter_sends_nothing(org, team, django_capture_on_commit_callbacks):
    person = make_person(org=org, actor=team["as"])
    make_case(person=person, referent=team["as"])
    referral = services.record_referral(
        actor=team["as"],
        person=person,
        emitter="CCAS",
        emitter_address="ccas@example.org",
        received_on=datetime.date(2026, 6, 1),
        reason="Isolement",
        programme="PDP",
    )
    recorder = Recorder()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Cancelled),
        transaction.atomic(),
    ):
        services.send_answer_email(actor=team["as"], referral=referral, sender=recorder)
        raise Cancelled
    assert recorder.sent == []
    assert Referral.objects.get(pk=referral.pk).answered_on is None
    referral.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_answer_email(actor=team["as"], referral=referral, sender=recorder)
    assert [(m.to, m.reference) for m in recorder.sent] == [("ccas@example.org", f"S{referral.pk}")]


def test_targeting_task_runs_only_after_commit(
    org, team, tmp_path, django_capture_on_commit_callbacks
):
    path = write_extract(tmp_path / "e.csv", [extract_row(1, commune="01053")])

    def start():
        run = services.start_targeting_run(
            actor=team["manager"],
            organisation=org,
            file_path=str(path),
            file_name="e.csv",
            extraction_date=datetime.date(2026, 6, 1),
            dry_run=True,
        )
        tasks.run_after_commit(run)
        return run

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Cancelled),
        transaction.atomic(),
    ):
        start()
        raise Cancelled
    assert callbacks == [] and TargetingRun.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = start()
    assert len(callbacks) == 1
    assert TargetingRun.objects.get(pk=run.pk).status == TargetingRun.Status.EN_ATTENTE
    callbacks[0]()  # la validation : la tâche (exécutée sur-le-champ en test) fait l'essai
    run.refresh_from_db()
    assert (run.status, run.targeted) == (TargetingRun.Status.TERMINE, 1)


def test_services_never_import_tasks():
    """Les tâches importent les services, jamais l'inverse (ni en tête, ni dans une fonction)."""
    root = pathlib.Path(services.__file__).parent
    offenders = []
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(name.startswith("parcours.outreach.tasks") for name in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
