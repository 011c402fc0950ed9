"""The contracts' legend: met / not met but improving / not met and worsening."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.indicators import ATTEINT, HIGHER, LOWER, PROGRES, RECUL, status, trend


@pytest.mark.parametrize(
    ("value", "target", "previous", "direction", "expected"),
    [
        (D("90"), D("90"), None, HIGHER, ATTEINT),
        (D("90.1"), D("90"), D("95"), HIGHER, ATTEINT),
        (D("89.9"), D("90"), D("89.8"), HIGHER, PROGRES),
        (D("89.9"), D("90"), D("89.9"), HIGHER, RECUL),
        (D("89.9"), D("90"), D("92"), HIGHER, RECUL),
        (D("89.9"), D("90"), None, HIGHER, RECUL),
        (D("21"), D("21"), None, LOWER, ATTEINT),
        (D("20"), D("21"), D("30"), LOWER, ATTEINT),
        (D("25"), D("21"), D("30"), LOWER, PROGRES),
        (D("31"), D("21"), D("30"), LOWER, RECUL),
        (None, D("21"), D("30"), LOWER, None),
        (D("3"), None, D("30"), LOWER, None),
    ],
)
def test_status(value, target, previous, direction, expected):
    assert status(value, target, previous, direction) == expected


def test_unknown_direction():
    with pytest.raises(ValueError):
        status(D(1), D(1), None, "n'importe")


@given(st.decimals(0, 1000, places=2), st.decimals(0, 1000, places=2))
def test_met_is_symmetric_in_direction(value, target):
    up = status(value, target, None, HIGHER)
    down = status(value, target, None, LOWER)
    if value == target:
        assert up == down == ATTEINT
    else:
        assert {up, down} == {ATTEINT, RECUL}


def test_trend():
    assert trend(D(2), D(1)) == "hausse"
    assert trend(D(1), D(2)) == "baisse"
    assert trend(D(1), D(1)) == "stable"
    assert trend(None, D(1)) is None
