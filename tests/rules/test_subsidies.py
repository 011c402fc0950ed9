"""Subventions : état d'un appel aux bornes, table des passages exhaustive, montants restants,
budget et versements (propriété : la somme des versements acceptés ne dépasse jamais l'accordé)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import subsidies as rules

OPENS = datetime.date(2026, 3, 1)
CLOSES = datetime.date(2026, 4, 30)
STATUSES = [rules.SUBMITTED, rules.UNDER_REVIEW, rules.RETAINED, rules.REJECTED]


@pytest.mark.parametrize(
    ("today", "received", "pending", "expected"),
    [
        (datetime.date(2026, 2, 28), 0, 0, rules.DRAFT),
        (datetime.date(2026, 3, 1), 0, 0, rules.OPEN),
        (datetime.date(2026, 4, 30), 3, 3, rules.OPEN),
        (datetime.date(2026, 4, 30), 3, 0, rules.OPEN),  # décidé avant la clôture : encore ouvert
        (datetime.date(2026, 5, 1), 0, 0, rules.CLOSED),
        (datetime.date(2026, 5, 1), 3, 1, rules.CLOSED),
        (datetime.date(2026, 5, 1), 3, 0, rules.DECIDED),
        (datetime.date(2027, 1, 1), 1, 0, rules.DECIDED),
    ],
)
def test_call_status_boundaries(today, received, pending, expected):
    assert rules.call_status(OPENS, CLOSES, today, received=received, pending=pending) == expected
    assert rules.CALL_LABELS[expected]


def test_one_day_call():
    day = datetime.date(2026, 6, 15)
    assert rules.call_status(day, day, day) == rules.OPEN
    assert rules.call_status(day, day, day - datetime.timedelta(days=1)) == rules.DRAFT
    assert rules.call_status(day, day, day + datetime.timedelta(days=1)) == rules.CLOSED


@pytest.mark.parametrize(
    ("received_on", "expected"),
    [
        (datetime.date(2026, 2, 28), False),
        (OPENS, True),
        (CLOSES, True),
        (datetime.date(2026, 5, 1), False),
    ],
)
def test_received_in_window(received_on, expected):
    assert rules.received_in_window(received_on, OPENS, CLOSES) is expected


ALLOWED = {
    (rules.SUBMITTED, rules.UNDER_REVIEW),
    (rules.UNDER_REVIEW, rules.RETAINED),
    (rules.UNDER_REVIEW, rules.REJECTED),
}


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_transition_table_is_exhaustive(current, target):
    error = rules.transition_error(current, target)
    if (current, target) in ALLOWED:
        assert error is None
    else:
        assert isinstance(error, str) and error.endswith(".")
    assert (target in rules.TRANSITIONS[current]) is ((current, target) in ALLOWED)


def test_transition_messages_in_french():
    assert rules.transition_error(rules.SUBMITTED, rules.RETAINED) == (
        "Une candidature déposée ne peut pas passer à « retenue » : elle doit d'abord être "
        "instruite."
    )
    assert rules.transition_error(rules.RETAINED, rules.REJECTED) == (
        "La candidature est déjà retenue : la décision ne se modifie plus."
    )
    assert rules.transition_error(rules.UNDER_REVIEW, rules.UNDER_REVIEW) == (
        "La candidature est déjà instruite."
    )
    assert rules.transition_error(rules.UNDER_REVIEW, rules.SUBMITTED) == (
        "Une candidature instruite ne peut pas passer à « déposée » : elle est retenue ou rejetée."
    )
    assert rules.transition_error("PERDUE", rules.RETAINED) == "État de candidature inconnu."
    assert set(rules.TRANSITIONS) == set(rules.APPLICATION_LABELS) == set(STATUSES)


@pytest.mark.parametrize(
    ("start", "end", "year", "expected"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), 2026, True),
        (datetime.date(2026, 12, 31), datetime.date(2027, 6, 30), 2026, True),
        (datetime.date(2025, 3, 1), datetime.date(2026, 1, 1), 2026, True),
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), 2026, False),
        (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31), 2026, False),
        (datetime.date(2025, 1, 1), datetime.date(2028, 12, 31), 2026, True),
        (datetime.date(2026, 12, 31), None, 2026, True),  # sans fin, dernier jour de l'année
        (datetime.date(2027, 1, 1), None, 2026, False),  # sans fin, mais pas commencée
        (datetime.date(2020, 1, 1), None, 2030, True),
    ],
)
def test_convention_covers_year(start, end, year, expected):
    assert rules.convention_covers(start, end, year) is expected


@pytest.mark.parametrize(
    ("granted", "paid", "left", "pct"),
    [
        ("10000", "0", "10000.00", "0.0"),
        ("10000", "2500", "7500.00", "25.0"),
        ("10000", "9999.99", "0.01", "100.0"),
        ("10000", "10000", "0.00", "100.0"),
        ("3", "1", "2.00", "33.3"),
        ("3", "2", "1.00", "66.7"),
    ],
)
def test_remaining_and_ratio(granted, paid, left, pct):
    assert rules.remaining(Decimal(granted), Decimal(paid)) == Decimal(left)
    assert rules.ratio_pct(Decimal(paid), Decimal(granted)) == Decimal(pct)


def test_ratio_of_nothing_and_remaining_never_negative():
    assert rules.ratio_pct(Decimal("5"), Decimal("0")) is None
    assert rules.remaining(Decimal("10"), Decimal("12")) == Decimal("0.00")


@pytest.mark.parametrize(
    ("paid", "amount", "ok"),
    [
        ("0", "10000", True),
        ("0", "10000.01", False),
        ("9999.99", "0.01", True),
        ("9999.99", "0.02", False),
        ("10000", "0.01", False),
        ("0", "0", False),
        ("0", "-5", False),
    ],
)
def test_payment_boundaries(paid, amount, ok):
    error = rules.payment_error(Decimal("10000"), Decimal(paid), Decimal(amount))
    assert (error is None) is ok


def test_payment_and_budget_messages():
    assert rules.payment_error(Decimal("10000"), Decimal("7500"), Decimal("3000")) == (
        "Ce versement dépasserait le montant accordé : il reste 2\u202f500 € à verser sur "
        "10\u202f000 €."
    )
    assert rules.payment_error(Decimal("1"), Decimal("0"), Decimal("0")) == (
        "Le montant d'un versement est positif."
    )
    assert rules.budget_error(Decimal("50000"), Decimal("45000"), Decimal("5000")) is None
    assert rules.budget_error(Decimal("50000"), Decimal("45000"), Decimal("5000.01")) == (
        "Le budget de l'appel serait dépassé : il reste 5\u202f000 € sur 50\u202f000 €."
    )
    assert rules.budget_error(Decimal("50000"), Decimal("0"), Decimal("0")) == (
        "Le montant accordé est positif."
    )


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "0 €"),
        ("12500", "12\u202f500 €"),
        ("1250.5", "1\u202f250,50 €"),
        ("0.005", "0,01 €"),
        ("-3", "-3 €"),
        ("1000000", "1\u202f000\u202f000 €"),
    ],
)
def test_euros(amount, text):
    assert rules.euros(Decimal(amount)) == text


cents = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n) / 100)


@given(granted=cents, attempts=st.lists(cents, max_size=30))
def test_accepted_payments_never_exceed_granted(granted, attempts):
    """Quel que soit l'ordre des versements proposés, ceux que la règle accepte ne dépassent
    jamais l'accordé, et le reste à verser vaut toujours accordé − versé."""
    paid = Decimal(0)
    for amount in attempts:
        if rules.payment_error(granted, paid, amount) is None:
            paid += amount
        assert paid <= granted
        assert rules.remaining(granted, paid) == granted - paid
        assert Decimal(0) <= rules.ratio_pct(paid, granted) <= Decimal(100)
    # le reste exact passe toujours, un centime de plus jamais
    left = granted - paid
    if left > 0:
        assert rules.payment_error(granted, paid, left) is None
    assert rules.payment_error(granted, paid, left + Decimal("0.01")) is not None


@given(budget=cents, grants=st.lists(cents, max_size=20))
def test_accepted_grants_stay_within_budget(budget, grants):
    total = Decimal(0)
    for amount in grants:
        if rules.budget_error(budget, total, amount) is None:
            total += amount
        assert total <= budget
