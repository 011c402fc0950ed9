"""Orientations : envoi (base, consentement, catégories), réponse par le lien, relances, vers un
autre organisme (signalement chez lui, suivi par le crochet de la détection)."""

import datetime
import json

import pytest

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.outreach import services as outreach_services
from parcours.outreach.models import Referral
from parcours.partners import services as partner_services
from parcours.rules import nir as nir_rules
from parcours.sharing.models import Consent, Disclosure, Orientation, OrientationEvent
from parcours.sharing.services import consents as consent_services
from parcours.sharing.services import orientations as services
from tests.factories import UserFactory, make_case, make_person

pytestmark = pytest.mark.django_db

BASE = "1841275108005"
NIR = f"{BASE}{nir_rules.compute_key(BASE):02d}"


class Box:
    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)


@pytest.fixture
def contact(partner, worker):
    return partner_services.create_contact(
        actor=worker,
        partner=partner,
        data={"name": "Jeanne Roux", "email": "jeanne.roux@capemploi.example"},
    )


@pytest.fixture
def consent(person, worker, partner, today):
    return consent_services.record_consent(
        actor=worker,
        person=person,
        categories=["IDENTITE", "SITUATION"],
        purpose="Maintien dans l'emploi",
        given_on=datetime.date(2026, 11, 20),
        method="ECRIT",
        given_by="PERSONNE",
        partners=[partner],
    )


def orient(person, worker, partner, **kw):
    args = {
        "actor": worker,
        "person": person,
        "partner": partner,
        "reason": "EMPLOI",
        "request": "Étudier un maintien dans l'emploi",
        "categories": ["IDENTITE"],
        "basis": "MISSION_LEGALE",
    } | kw
    return services.send_orientation(**args)


def test_send_under_legal_basis_traces_everything(
    person, worker, partner, contact, today, django_capture_on_commit_callbacks
):
    box = Box()
    with django_capture_on_commit_callbacks(execute=True):
        o = orient(person, worker, partner, partner_contact=contact, sender=box)
    assert o.status == "ENVOYEE"
    assert o.deadline == o.first_deadline == datetime.date(2026, 12, 18)
    assert len(o.reference) == 16
    assert [e.to_status for e in o.events.all()] == ["ENVOYEE"]
    d = Disclosure.objects.get()
    assert (d.basis, d.partner, d.object_type, d.object_id) == (
        "MISSION_LEGALE",
        partner,
        "orientation",
        str(o.pk),
    )
    assert AuditEntry.objects.filter(object_type="orientation", object_id=str(o.pk)).exists()
    [message] = box.sent
    assert message.to == "jeanne.roux@capemploi.example"
    assert services.make_token(o) in message.body
    assert person.last_name not in message.body  # rien de la personne dans le courriel


def test_nothing_is_sent_before_commit(person, worker, partner, contact, today):
    box = Box()
    orient(person, worker, partner, partner_contact=contact, sender=box)
    assert box.sent == []  # en test, la transaction n'est pas validée : rien ne part


def test_without_basis_nothing_is_saved(person, worker, partner, today):
    with pytest.raises(BusinessError) as error:
        orient(person, worker, partner, basis="")
    assert "base du partage" in error.value.errors["basis"]
    with pytest.raises(BusinessError, match="consentement"):
        orient(person, worker, partner, basis="CONSENTEMENT")
    assert not Orientation.objects.exists() and not Disclosure.objects.exists()


def test_consent_must_cover_every_category(person, worker, partner, consent, today):
    o = orient(person, worker, partner, basis="CONSENTEMENT", consent=consent)
    assert o.consent == consent
    with pytest.raises(BusinessError) as error:
        orient(
            person,
            worker,
            partner,
            basis="CONSENTEMENT",
            consent=consent,
            categories=["IDENTITE", "EVALUATION"],
        )
    assert "ne couvre pas" in error.value.errors["categories"]
    assert Orientation.objects.count() == 1


def test_consent_must_name_the_recipient(person, worker, partner, consent, org, today):
    other = partner_services.create_partner(
        actor=worker, organisation_id=org.pk, data={"kind": "CCAS", "name": "CCAS"}, territories=[]
    )
    with pytest.raises(BusinessError, match="ne nomme pas"):
        orient(person, worker, other, basis="CONSENTEMENT", consent=consent)


def test_consent_recorded_inline(person, worker, partner, today):
    o = orient(
        person,
        worker,
        partner,
        basis="CONSENTEMENT",
        categories=["IDENTITE", "EVALUATION"],
        new_consent={"given_on": today, "method": "ORAL", "given_by": "PERSONNE"},
    )
    consent = Consent.objects.get()
    assert o.consent == consent and consent.recorded_by == worker
    assert consent.categories == ["IDENTITE", "EVALUATION"]
    assert list(consent.partners.all()) == [partner]


def test_inline_consent_errors_save_nothing(person, worker, partner, today):
    with pytest.raises(BusinessError):
        orient(
            person,
            worker,
            partner,
            basis="CONSENTEMENT",
            new_consent={"given_on": today, "method": "", "given_by": "PERSONNE"},
        )
    assert not Consent.objects.exists() and not Orientation.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"reason": "MAGIE"}, "reason"),
        ({"request": "  "}, "request"),
        ({"categories": ["ETAPES"]}, "categories"),
        ({"categories": ["SYNTHESE"]}, "categories"),
        ({"deadline": datetime.date(2026, 12, 2)}, "deadline"),
    ],
)
def test_bad_orientations_are_refused(person, worker, partner, today, kw, field):
    with pytest.raises(BusinessError) as error:
        orient(person, worker, partner, **kw)
    assert field in error.value.errors
    assert not Orientation.objects.exists()


def test_deadline_today_is_accepted(person, worker, partner, today):
    assert orient(person, worker, partner, deadline=today).deadline == today


def test_partner_of_another_directory_is_refused(person, worker, other_org, today):
    foreign = partner_services.create_partner(
        actor=None, organisation_id=other_org.pk, data={"kind": "CCAS", "name": "X"}, territories=[]
    )
    with pytest.raises(BusinessError, match="annuaire"):
        orient(person, worker, foreign)


def test_token_round_trip_and_tampering(person, worker, partner, today):
    o = orient(person, worker, partner)
    token = services.make_token(o)
    assert services.read_token(token) == o
    assert services.read_token(token.upper()) == o
    assert services.read_token(token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert services.read_token("") is None
    assert services.read_token("a-b-c") is None
    other = orient(person, worker, partner)
    assert services.read_token(services.make_token(other)) == other


def test_token_expires_after_90_days(person, worker, partner, today):
    o = orient(person, worker, partner)
    token = services.make_token(o)
    with clock.frozen(datetime.datetime(2027, 3, 2, 10, tzinfo=datetime.UTC)):  # J+89
        assert services.read_token(token) == o
    with clock.frozen(datetime.datetime(2027, 3, 3, 10, tzinfo=datetime.UTC)):  # J+90
        assert services.read_token(token) is None


def test_partner_answers_receipt_then_acceptance(person, worker, partner, today):
    o = orient(person, worker, partner)
    services.answer_by_link(orientation=o, status="RECUE")
    o = services.answer_by_link(orientation=o, status="ACCEPTEE", comment="Rendez-vous le 10")
    assert (o.status, o.received_on, o.answered_on) == ("ACCEPTEE", today, today)
    assert o.answer_comment == "Rendez-vous le 10"
    events = list(o.events.values_list("from_status", "to_status", "by_partner"))
    assert events == [
        ("", "ENVOYEE", False),
        ("ENVOYEE", "RECUE", True),
        ("RECUE", "ACCEPTEE", True),
    ]
    with pytest.raises(BusinessError, match="ne peut passer"):
        services.answer_by_link(orientation=o, status="REFUSEE", comment="Non")
    services.answer_by_link(orientation=o, status="CLOTUREE")
    with pytest.raises(BusinessError, match="clôturée"):
        services.answer_by_link(orientation=o, status="RECUE")


def test_refusal_needs_a_comment_and_relancee_is_not_for_the_partner(
    person, worker, partner, today
):
    o = orient(person, worker, partner)
    with pytest.raises(BusinessError) as error:
        services.answer_by_link(orientation=o, status="REFUSEE")
    assert "comment" in error.value.errors
    with pytest.raises(BusinessError):
        services.answer_by_link(orientation=o, status="RELANCEE")


def test_withdrawn_consent_closes_the_answer(person, worker, partner, consent, today):
    o = orient(person, worker, partner, basis="CONSENTEMENT", consent=consent)
    consent_services.withdraw_consent(actor=worker, consent=consent)
    with pytest.raises(BusinessError, match="retiré"):
        services.answer_by_link(orientation=o, status="RECUE")
    assert not services.consent_still_valid(Orientation.objects.get(pk=o.pk))


def test_reminders_after_the_deadline_once(person, worker, partner, contact, today):
    o = orient(person, worker, partner, partner_contact=contact)
    box = Box()
    assert services.send_due_reminders(today=datetime.date(2026, 12, 18), sender=box) == 0
    with clock.frozen(datetime.datetime(2026, 12, 19, 8, tzinfo=datetime.UTC)):
        assert services.send_due_reminders(sender=box) == 1
        assert services.send_due_reminders(sender=box) == 0
    o.refresh_from_db()
    assert (o.status, o.reminder_count, o.last_reminder_on) == (
        "RELANCEE",
        1,
        datetime.date(2026, 12, 19),
    )
    assert o.deadline == datetime.date(2026, 12, 27) and o.first_deadline == datetime.date(
        2026, 12, 18
    )
    # le partenaire répond encore après la relance
    services.answer_by_link(orientation=o, status="RECUE")
    o.refresh_from_db()
    assert o.status == "RECUE"
    with clock.frozen(datetime.datetime(2026, 12, 28, 8, tzinfo=datetime.UTC)):
        assert services.send_due_reminders(sender=box) == 1
    o.refresh_from_db()
    assert o.reminder_count == 2


def test_reminder_file_is_written_with_the_link(
    person, worker, partner, contact, today, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PARCOURS_REMINDER_DIR = tmp_path
    o = orient(person, worker, partner, partner_contact=contact)
    with (
        clock.frozen(datetime.datetime(2026, 12, 19, 8, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.send_due_reminders(base_url="https://parcours.example")
    [path] = tmp_path.glob("*.json")
    body = json.loads(path.read_text())["body"]
    assert f"https://parcours.example/orientations/lien/{services.make_token(o)}/" in body


def test_answered_orientations_are_not_reminded(person, worker, partner, today):
    o = orient(person, worker, partner)
    services.answer_by_link(orientation=o, status="ACCEPTEE")
    assert services.send_due_reminders(today=datetime.date(2027, 1, 30), sender=Box()) == 0


# --- Vers un autre organisme --------------------------------------------------------------------


@pytest.fixture
def target_as(other_org):
    return UserFactory(organisation=other_org, social_worker=True, departements=["01"])


def test_cross_organisation_lands_as_referral_matched_by_nir(
    org, other_org, worker, target_as, today
):
    person = make_person(org=org, actor=worker, nir=NIR)
    known = make_person(org=other_org, actor=target_as, nir=NIR, last_name="Connue")
    o = orient(person, worker, None, organisation=other_org)
    referral = o.incoming_referral
    assert referral.organisation == other_org and referral.person == known
    assert referral.emitter_name == org.name and referral.status == "RECU"
    d = Disclosure.objects.get()
    assert d.recipient_organisation == other_org
    # audit des deux côtés
    assert AuditEntry.objects.filter(organisation=other_org, object_type="disclosure").exists()
    assert AuditEntry.objects.filter(organisation=org, object_type="disclosure").exists()


def test_cross_organisation_creates_the_person_when_unknown(org, other_org, worker, today):
    person = make_person(org=org, actor=worker, nir=NIR, last_name="Nouvelle")
    o = orient(person, worker, None, organisation=other_org, categories=["IDENTITE"])
    created = o.incoming_referral.person
    assert created.organisation == other_org and created.pk != person.pk
    assert (created.last_name, created.nir_hash) == ("Nouvelle", person.nir_hash)


def test_cross_organisation_requires_identity(person, worker, other_org, today):
    with pytest.raises(BusinessError, match="identité"):
        orient(person, worker, None, organisation=other_org, categories=["SITUATION"])


def test_target_workflow_moves_the_orientation(org, other_org, worker, target_as, today):
    person = make_person(org=org, actor=worker)
    o = orient(person, worker, None, organisation=other_org)
    referral = o.incoming_referral
    outreach_services.assign_referral(actor=target_as, referral=referral, social_worker=target_as)
    o.refresh_from_db()
    assert o.status == "RECUE"
    referral.refresh_from_db()
    outreach_services.set_referral_status(actor=target_as, referral=referral, status="RENCONTRE")
    o.refresh_from_db()
    assert (o.status, o.answered_on) == ("ACCEPTEE", today)
    assert OrientationEvent.objects.filter(orientation=o, by_partner=True).count() == 2


@pytest.mark.parametrize("outcome", ["REFUS", "REORIENTE"])
def test_target_refusal_refuses_the_orientation(org, other_org, worker, target_as, today, outcome):
    person = make_person(org=org, actor=worker)
    o = orient(person, worker, None, organisation=other_org)
    referral = Referral.objects.get(pk=o.incoming_referral_id)
    if outcome == "REFUS":
        outreach_services.assign_referral(
            actor=target_as, referral=referral, social_worker=target_as
        )
        referral.refresh_from_db()
    outreach_services.set_referral_status(actor=target_as, referral=referral, status=outcome)
    o.refresh_from_db()
    assert o.status == "REFUSEE"


def test_target_with_open_case_takes_in_charge_at_once(org, other_org, worker, target_as, today):
    person = make_person(org=org, actor=worker, nir=NIR)
    known = make_person(org=other_org, actor=target_as, nir=NIR)
    make_case(person=known, referent=target_as)
    o = orient(person, worker, None, organisation=other_org)
    o.refresh_from_db()
    assert o.incoming_referral.status == "PRIS_EN_CHARGE" and o.status == "RECUE"


def test_origin_must_be_the_persons(person, worker, partner, org, today):
    other = make_person(org=org, actor=worker, last_name="Autre")
    case = make_case(person=other, referent=worker)
    with pytest.raises(BusinessError) as error:
        orient(person, worker, partner, case=case)
    assert "case" in error.value.errors
