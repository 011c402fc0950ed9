import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parcours.rules import loans

D = Decimal
FIRST = datetime.date(2026, 1, 31)


def test_baby_equipment_loan_500_at_25_per_month():
    plan = loans.schedule(D("500"), D("25"), FIRST, minimum=D("25"))
    assert len(plan) == 20
    assert {i.amount for i in plan} == {D("25.00")}
    assert plan[0].due_on == FIRST and plan[1].due_on == datetime.date(2026, 2, 28)
    assert plan[-1].due_on == datetime.date(2027, 8, 31)


def test_last_instalment_takes_the_remainder():
    plan = loans.schedule(D("750"), D("40"), FIRST)
    assert [i.amount for i in plan] == [D("40.00")] * 18 + [D("30.00")]
    assert sum(i.amount for i in plan) == D("750.00")


def test_monthly_above_principal_is_one_instalment():
    assert [i.amount for i in loans.schedule(D("100"), D("250"), FIRST)] == [D("100.00")]


@pytest.mark.parametrize(
    ("principal", "monthly", "minimum", "message"),
    [
        ("0", "10", None, "positif"),
        ("100", "0", None, "mensualité doit être positive"),
        ("700", "29.99", "30", "inférieure au minimum de 30 €"),
    ],
)
def test_invalid_terms(principal, monthly, minimum, message):
    with pytest.raises(loans.LoanError, match=message):
        loans.schedule(D(principal), D(monthly), FIRST, minimum=D(minimum) if minimum else None)


def test_minimum_exactly_is_accepted():
    assert len(loans.schedule(D("900"), D("40"), FIRST, minimum=D("40"))) == 23


def test_outstanding():
    assert loans.outstanding(D("500"), [D("25"), D("25")]) == D("450.00")
    assert loans.outstanding(D("500"), [D("600")]) == D("0.00")


amounts = st.decimals(min_value=D("0.01"), max_value=D("20000"), places=2)


@settings(deadline=None)
@given(amounts, amounts)
def test_schedule_always_sums_to_the_loan(principal, monthly):
    assume(monthly * 240 >= principal)  # at most 20 years of instalments
    plan = loans.schedule(principal, monthly, FIRST)
    assert sum(i.amount for i in plan) == principal
    assert all(D("0") < i.amount <= monthly for i in plan)
    assert all(i.amount == plan[0].amount for i in plan[:-1])
    assert [i.number for i in plan] == list(range(1, len(plan) + 1))
    assert all(a.due_on < b.due_on for a, b in zip(plan, plan[1:], strict=False))
