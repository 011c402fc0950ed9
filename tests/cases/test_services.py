import datetime
import zoneinfo

import pytest

from parcours.cases import services
from parcours.cases.models import Case, CaseEvent, Contact
from parcours.core import clock
from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import Mode, Programme
from tests.factories import UserFactory, make_case, make_contact, make_person

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


@pytest.fixture
def case(org, worker):
    return make_case(
        person=make_person(org=org, actor=worker),
        referent=worker,
        opened_on=datetime.date(2026, 3, 1),
    )


def test_open_case_records_event_and_audit(case, worker):
    assert case.state == Case.State.OUVERT and case.departement_id == "01"
    assert CaseEvent.objects.get(case=case).kind == CaseEvent.Kind.OUVERTURE
    assert AuditEntry.objects.filter(object_type="case", action="CREATE").count() == 1


def test_record_contact_with_actions_and_problems(case, worker):
    contact = make_contact(
        case=case,
        actor=worker,
        on=datetime.date(2026, 6, 15),
        mode=Mode.VAD,
        duration_minutes=50,
        actions=["INFO_ORIENTATION", "AIDE_ADMINISTRATIVE"],
        problems=["SANTE"],
        note="Visite au domicile",
    )
    assert sorted(contact.actions.values_list("code", flat=True)) == [
        "AIDE_ADMINISTRATIVE",
        "INFO_ORIENTATION",
    ]
    assert list(contact.problems.values_list("code", flat=True)) == ["SANTE"]
    entry = AuditEntry.objects.get(object_type="contact")
    assert entry.person_id == case.person_id
    assert entry.changes["apres"]["actions"] == ["AIDE_ADMINISTRATIVE", "INFO_ORIENTATION"]


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (datetime.date(2026, 6, 16), "futur"),
        (datetime.date(2026, 2, 28), "antérieure à l'ouverture"),
    ],
)
def test_contact_dates_refused(case, worker, on, message):
    with pytest.raises(BusinessError) as error:
        make_contact(case=case, actor=worker, on=on)
    assert message in error.value.errors["on"]
    assert not Contact.objects.exists()


def test_contact_on_opening_day_and_today_accepted(case, worker):
    make_contact(case=case, actor=worker, on=datetime.date(2026, 3, 1))
    make_contact(case=case, actor=worker, on=datetime.date(2026, 6, 15))
    assert Contact.objects.count() == 2


def test_close_pdp_requires_outcome_risk_and_sector(case, worker):
    with pytest.raises(BusinessError) as error:
        services.close_case(
            actor=worker,
            case=case,
            closed_on=datetime.date(2026, 6, 1),
            outcome="",
            expected_version=case.version,
        )
    assert set(error.value.errors) >= {"outcome", "risk", "sector"}
    case.refresh_from_db()
    assert case.state == Case.State.OUVERT


def test_close_then_reopen_keeps_history(case, worker):
    closed = services.close_case(
        actor=worker,
        case=case,
        closed_on=datetime.date(2026, 6, 1),
        outcome="MAINTIEN_EMPLOI",
        risk="MALADIE",
        sector="INDUSTRIE",
        employment_contract="CDI",
        expected_version=case.version,
    )
    assert (closed.state, closed.outcome, closed.risk) == ("clos", "MAINTIEN_EMPLOI", "MALADIE")
    reopened = services.reopen_case(actor=worker, case=closed, expected_version=closed.version)
    assert reopened.state == "ouvert" and reopened.closed_on is None
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["ouverture", "cloture", "reouverture"]
    reopening = CaseEvent.objects.get(case=case, kind="reouverture")
    assert reopening.details["cloture_annulee"] == {
        "date_fin": "2026-06-01",
        "issue": "MAINTIEN_EMPLOI",
    }


def test_general_outcome_refused_for_unknown_and_pdp_outcome_refused_outside_pdp(org, worker):
    person = make_person(org=org, actor=worker)
    case = make_case(person=person, referent=worker, programme=Programme.BIEN_VIEILLIR)
    with pytest.raises(BusinessError) as error:
        services.close_case(
            actor=worker,
            case=case,
            closed_on=datetime.date(2026, 6, 1),
            outcome="MAINTIEN_EMPLOI",
            expected_version=case.version,
        )
    assert "outcome" in error.value.errors
    closed = services.close_case(
        actor=worker,
        case=case,
        closed_on=datetime.date(2026, 6, 1),
        outcome="OBJECTIFS_ATTEINTS",
        expected_version=case.version,
    )
    assert closed.outcome == "OBJECTIFS_ATTEINTS" and closed.risk == ""


def test_closure_before_last_contact_refused(case, worker):
    make_contact(case=case, actor=worker, on=datetime.date(2026, 6, 10))
    with pytest.raises(BusinessError) as error:
        services.close_case(
            actor=worker,
            case=case,
            closed_on=datetime.date(2026, 6, 1),
            outcome="PARCOURS_SOINS",
            risk="AT_MP",
            sector="CONSTRUCTION",
            expected_version=case.version,
        )
    assert "dernier entretien" in error.value.errors["closed_on"]


def test_concurrent_synthesis_second_save_refused(case, worker):
    colleague = UserFactory(organisation=case.organisation, social_worker=True, departements=["01"])
    version = case.version
    services.update_synthesis(
        actor=worker, case=case, synthesis="Version A", expected_version=version
    )
    with pytest.raises(ConflictError) as error:
        services.update_synthesis(
            actor=colleague, case=case, synthesis="Version B", expected_version=version
        )
    assert error.value.current.synthesis == "Version A"
    case.refresh_from_db()
    assert case.synthesis == "Version A"


def test_reassign_only_to_a_worker_of_the_departement(case, org):
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    other = UserFactory(organisation=org, social_worker=True, departements=["69"])
    with pytest.raises(BusinessError):
        services.reassign_case(actor=manager, case=case, referent=other)
    colleague = UserFactory(organisation=org, social_worker=True, departements=["01"])
    services.reassign_case(actor=manager, case=case, referent=colleague)
    case.refresh_from_db()
    assert case.referent == colleague
    event = CaseEvent.objects.get(case=case, kind="reaffectation")
    assert event.details["apres"] == colleague.pk


def test_audit_entries_cannot_be_modified(case):
    from django.db import DatabaseError, transaction

    entry = AuditEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="falsifié")
