import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import evaluation


@pytest.mark.parametrize(
    ("gir", "body"),
    [(1, "DEPARTEMENT"), (2, "DEPARTEMENT"), (3, "DEPARTEMENT"), (4, "DEPARTEMENT"),
     (5, "CAISSE_RETRAITE"), (6, "CAISSE_RETRAITE")],
)  # fmt: skip
def test_routing(gir, body):
    assert evaluation.competent_body(gir) == body


@pytest.mark.parametrize("gir", [0, 7, -1])
def test_routing_refuses_invalid_gir(gir):
    with pytest.raises(ValueError, match="attendu 1 à 6"):
        evaluation.competent_body(gir)


def test_needs_handover():
    assert evaluation.needs_handover(3, evaluation.CAISSE) is True
    assert evaluation.needs_handover(5, evaluation.CAISSE) is False
    assert evaluation.needs_handover(5, evaluation.DEPARTEMENT) is True
    assert evaluation.needs_handover(4, evaluation.DEPARTEMENT) is False


@pytest.mark.parametrize(
    ("on", "deadline"),
    [
        (datetime.date(2026, 3, 15), datetime.date(2026, 5, 15)),
        (datetime.date(2025, 12, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2023, 12, 31), datetime.date(2024, 2, 29)),
    ],
)
def test_handover_deadline_two_months(on, deadline):
    assert evaluation.handover_deadline(on) == deadline


@pytest.mark.parametrize(
    ("count", "price", "amount"),
    [(0, "180", "0.00"), (1, "180", "180.00"), (244, "152.45", "37197.80"), (3, "0.005", "0.02")],
)
def test_invoice_amount(count, price, amount):
    result = evaluation.invoice_amount(count, Decimal(price))
    assert result == Decimal(amount) and isinstance(result, Decimal)


def test_invoice_refuses_negative():
    with pytest.raises(ValueError):
        evaluation.invoice_amount(-1, Decimal("10"))


@given(st.integers(1, 6))
def test_every_gir_has_exactly_one_body(gir):
    assert evaluation.competent_body(gir) in evaluation.BODY_LABELS
