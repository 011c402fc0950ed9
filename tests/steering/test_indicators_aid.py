"""Indicateurs des aides : délais de traitement (médiane, 40 jours, déciles) et exécution du
budget, lus dans le module des aides (``aid.queries`` et ``rules.aid_workflow``)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from parcours.aid.models import AidRequest, BudgetLine, Payment
from parcours.core import clock
from parcours.steering import report
from parcours.steering.indicators import BY_CODE
from tests.aid.factories import NOW, install_catalogue, make_request
from tests.factories import UserFactory, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def setup(org):
    worker = UserFactory(organisation=org, social_worker=True, departements=["01", "69"])
    install_catalogue(org, UserFactory(organisation=org, admin=True, departements=[]))
    return worker


def value(org, code, year=2026, departement=""):
    where = report.territory(org, departement=departement)
    document = report.build(org, year, where, departements=False)
    return BY_CODE[code].compute(document, report.Scope(org.pk, year, where, False))


def decided(org, worker, days, *, departement="01", decided_on=date(2026, 6, 1), state="ACCORDEE"):
    person = make_person(org=org, actor=worker, departement=departement)
    request = make_request(person=person, actor=worker)
    AidRequest.objects.filter(pk=request.pk).update(
        departement_id=departement,
        completed_on=decided_on - timedelta(days=days),
        decided_on=decided_on,
        state=state,
        decided_amount=Decimal("100.00"),
    )
    return request


def test_no_aid_gives_none(org, setup):
    for code in ("AID.DELAI.MED", "AID.DELAI.40J", "AID.DELAI.D8", "AID.DELAI.D9"):
        assert value(org, code) is None, code


def test_processing_times_exact(org, setup):
    # 10 decisions in 01: 10, 20, ..., 100 days; 40 days is within (inclusive), 41 is not
    for days in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100):
        decided(org, setup, days)
    decided(org, setup, 41, departement="69")
    decided(org, setup, 5, decided_on=date(2025, 12, 31))  # decided the year before
    request = make_request(person=make_person(org=org, actor=setup), actor=setup)  # undecided
    assert request.decided_on is None
    assert value(org, "AID.DELAI.MED", departement="01") == Decimal("55")
    assert value(org, "AID.DELAI.40J", departement="01") == Decimal("40.0")
    assert value(org, "AID.DELAI.D8", departement="01") == Decimal("80")
    assert value(org, "AID.DELAI.D9", departement="01") == Decimal("90")
    assert value(org, "AID.DELAI.MED", departement="69") == Decimal("41")
    assert value(org, "AID.DELAI.40J", departement="69") == Decimal("0.0")
    # organisation: 11 values, median the 6th (50), 4 of 11 within 40 days = 36.4 %
    assert value(org, "AID.DELAI.MED") == Decimal("50")
    assert value(org, "AID.DELAI.40J") == Decimal("36.4")
    assert value(org, "AID.DELAI.MED", year=2025) == Decimal("5")


def test_budget_execution(org, setup):
    lines = BudgetLine.objects.filter(organisation=org, year=2026)
    lines.update(allocated=Decimal("0"))
    first = lines.order_by("code").first()
    BudgetLine.objects.filter(pk=first.pk).update(allocated=Decimal("3000.00"))
    request = decided(org, setup, 10)
    for amount, day in (
        (Decimal("500.00"), date(2026, 6, 2)),
        (Decimal("500.00"), date(2026, 12, 31)),
    ):
        Payment.objects.create(
            organisation=org,
            request=request,
            amount=amount,
            paid_on=day,
            payee=Payment.Payee.values[0],
            recorded_by=setup,
        )
    Payment.objects.create(
        organisation=org,
        request=request,
        amount=Decimal("900.00"),
        paid_on=date(2027, 1, 1),
        payee=Payment.Payee.values[0],
        recorded_by=setup,
    )
    assert value(org, "AID.BUDGET") == Decimal("33.3")  # 1000 / 3000
    assert value(org, "AID.BUDGET", departement="01") is None  # the budget is the organisation's
    lines.update(allocated=Decimal("0"))
    assert value(org, "AID.BUDGET") is None
    assert value(org, "AID.BUDGET", year=2030) is None


def test_dashboard_lists_aid_indicators(org, setup):
    from parcours.steering import dashboard

    decided(org, setup, 30)
    rows = {
        r["indicator"].code: r for r in dashboard.indicator_rows(org, 2026, report.territory(org))
    }
    assert rows["AID.DELAI.MED"]["value"] == Decimal("30")
    assert rows["AID.DELAI.40J"]["value"] == Decimal("100.0")
