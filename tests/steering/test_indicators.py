"""Indicateurs : valeurs exactes, bornes, « pas de donnée »."""

import datetime
import zoneinfo
from datetime import date
from decimal import Decimal

import pytest

from parcours.core.nomenclatures import Mode
from parcours.outreach.models import Appointment, AppointmentRequest
from parcours.steering import dashboard, report
from parcours.steering.indicators import BY_CODE, INDICATORS
from tests.factories import UserFactory
from tests.steering.factories import case, contact, person

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.django_db


def value(org, code, year=2025, departement=""):
    where = report.territory(org, departement=departement)
    document = report.build(org, year, where, departements=False)
    return BY_CODE[code].compute(document, report.Scope(org.pk, year, where, False))


def test_every_indicator_has_a_french_definition():
    assert len({i.code for i in INDICATORS}) == len(INDICATORS)
    for i in INDICATORS:
        assert i.label and i.definition and i.unit and i.direction in {"hausse", "baisse"}
    assert {"PERS.IND", "PERS.COL", "VAD.ETP", "FILE.ETP", "SER.PSB.05.01", "OFF.TAUX"} <= set(
        BY_CODE
    )


def test_home_visits_and_caseload_per_fte(org):
    a = UserFactory(organisation=org, social_worker=True, departements=["01"], fte=Decimal("0.8"))
    UserFactory(organisation=org, social_worker=True, departements=["01"], fte=Decimal("0.5"))
    UserFactory(organisation=org, social_worker=True, departements=["69"], fte=Decimal(1))
    UserFactory(organisation=org, social_worker=True, departements=["01"], is_active=False)
    c = case(person(org))
    for on in (date(2025, 2, 1), date(2025, 3, 1)):
        contact(c, on, Mode.VAD, by=a)
    contact(case(person(org, name="B")), date(2025, 3, 1), Mode.TELEPHONE, by=a)
    assert value(org, "VAD.ETP", departement="01") == Decimal("1.5")  # 2 / 1.3
    assert value(org, "FILE.ETP", departement="01") == Decimal("1.5")
    assert value(org, "VAD.ETP") == Decimal("0.9")  # 2 / 2.3
    assert value(org, "VAD.ETP", departement="69") == Decimal("0.0")
    assert value(org, "VAD.ETP", departement="38") is None  # no AS


@pytest.mark.parametrize(("day", "within"), [(16, True), (17, False)])
def test_appointment_within_15_days(org, day, within):
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    p = person(org)
    request = AppointmentRequest.objects.create(
        organisation=org,
        person=p,
        departement_id="01",
        received_on=date(2025, 3, 1),
        created_by=worker,
    )
    at = datetime.datetime(2025, 3, day, 23, 30, tzinfo=PARIS)
    Appointment.objects.create(
        organisation=org, person=p, staff=worker, request=request, starts_at=at, created_by=worker
    )
    AppointmentRequest.objects.create(
        organisation=org,
        person=p,
        departement_id="01",
        received_on=date(2025, 3, 1),
        created_by=worker,
        status=AppointmentRequest.Status.ANNULEE,
    )
    assert value(org, "SER.PSB.05.01") == (Decimal("100.0") if within else Decimal("0.0"))
    assert value(org, "SER.PSB.05.01", year=2024) is None


def test_no_data_gives_none(org):
    assert value(org, "PDP.MAINTIEN") is None
    assert value(org, "OFF.TAUX") is None
    assert value(org, "AID.DELAI.MED") is None
    assert value(org, "PERS.COL") == Decimal(0)


def test_dashboard_rows_with_trend(org):
    contact(case(person(org), opened=date(2024, 1, 1)), date(2024, 5, 1))
    contact(case(person(org, name="B")), date(2025, 5, 1))
    contact(case(person(org, name="C")), date(2025, 5, 1))
    rows = {
        r["indicator"].code: r for r in dashboard.indicator_rows(org, 2025, report.territory(org))
    }
    row = rows["PERS.IND"]
    assert row["history"] == [(2023, Decimal(0)), (2024, Decimal(1)), (2025, Decimal(2))]
    assert row["trend"] == "hausse" and row["target"] is None and row["status"] == "sans_objectif"


def test_demo_targets(org):
    from parcours.demo import steering as demo
    from parcours.steering.models import Target

    UserFactory(organisation=org, steering=True)
    contact(case(person(org)), date(2025, 5, 1))
    with_clock = datetime.datetime(2025, 6, 1, 12, tzinfo=PARIS)
    from parcours.core import clock

    with clock.frozen(with_clock):
        created = demo.generate(code=org.code, seed=1)
        again = demo.generate(code=org.code, seed=1)
    assert created == again > 0
    assert Target.objects.filter(year=2025).count() == created


def test_children_of_a_region_and_per_social_worker(org):
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    contact(case(person(org, departement="01")), date(2025, 5, 1), Mode.VAD, by=worker)
    contact(case(person(org, name="B", departement="69")), date(2025, 5, 1), by=worker)
    contact(case(person(org, name="C", departement="69")), date(2024, 5, 1), by=worker)
    region = report.territory(org, region="84")
    visible = [report.territory(org, departement=d) for d in ("01", "38", "69")]
    rows = dashboard.children(org, 2025, region, "PERS.IND", visible)
    assert [(r["territory"].code, r["previous"], r["value"]) for r in rows] == [
        ("01", Decimal(0), Decimal(1)),
        ("38", Decimal(0), Decimal(0)),
        ("69", Decimal(1), Decimal(1)),
    ]
    workers = dashboard.per_social_worker(org, 2025, report.territory(org, departement="01"))
    assert [(w["entretiens"], w["vad"], w["file_active"]) for w in workers] == [(1, 1, 1)]
