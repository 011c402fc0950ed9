"""The contracts' legend: met / not met but improving / not met and worsening / not met with
nothing to compare with; no target, no value; and the trend, never guessed without data."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.indicators import (
    ATTEINT,
    HIGHER,
    LOWER,
    NO_PREVIOUS,
    NO_TARGET,
    NO_VALUE,
    NON_ATTEINT,
    PROGRES,
    RECUL,
    STABLE,
    STATUS_LABELS,
    TREND_LABELS,
    status,
    trend,
)


@pytest.mark.parametrize(
    ("value", "target", "previous", "direction", "expected"),
    [
        (D("90"), D("90"), None, HIGHER, ATTEINT),
        (D("90.1"), D("90"), D("95"), HIGHER, ATTEINT),
        (D("89.9"), D("90"), D("89.8"), HIGHER, PROGRES),
        (D("89.9"), D("90"), D("89.9"), HIGHER, RECUL),
        (D("89.9"), D("90"), D("92"), HIGHER, RECUL),
        (D("89.9"), D("90"), None, HIGHER, NON_ATTEINT),
        (D("0"), D("1"), None, HIGHER, NON_ATTEINT),
        (D("21"), D("21"), None, LOWER, ATTEINT),
        (D("20"), D("21"), D("30"), LOWER, ATTEINT),
        (D("25"), D("21"), D("30"), LOWER, PROGRES),
        (D("30"), D("21"), D("30"), LOWER, RECUL),
        (D("31"), D("21"), D("30"), LOWER, RECUL),
        (D("21.01"), D("21"), None, LOWER, NON_ATTEINT),
        (None, D("21"), D("30"), LOWER, NO_VALUE),
        (None, None, None, HIGHER, NO_VALUE),
        (D("3"), None, D("30"), LOWER, NO_TARGET),
        (D("3"), None, None, HIGHER, NO_TARGET),
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
        assert {up, down} == {ATTEINT, NON_ATTEINT}


@given(
    st.one_of(st.none(), st.decimals(0, 100, places=1)),
    st.one_of(st.none(), st.decimals(0, 100, places=1)),
    st.one_of(st.none(), st.decimals(0, 100, places=1)),
    st.sampled_from([HIGHER, LOWER]),
)
def test_every_outcome_has_a_label_and_no_previous_means_no_recul(value, target, prev, direction):
    result = status(value, target, prev, direction)
    assert result in STATUS_LABELS
    assert trend(value, prev) in TREND_LABELS
    if prev is None:
        assert result not in (PROGRES, RECUL)
        assert trend(value, prev) == NO_PREVIOUS


def test_trend():
    assert trend(D(2), D(1)) == HIGHER == "hausse"
    assert trend(D(1), D(2)) == LOWER == "baisse"
    assert trend(D(1), D(1)) == STABLE
    assert trend(D("1.0"), D("1.00")) == STABLE
    assert trend(D("1.1"), D("1.0")) == HIGHER
    assert trend(None, D(1)) == NO_PREVIOUS
    assert trend(D(1), None) == NO_PREVIOUS


def test_labels():
    assert STATUS_LABELS == {
        "atteint": "Objectif atteint",
        "progres": "Non atteint, en progrès",
        "recul": "Non atteint, en recul",
        "non_atteint": "Non atteint, pas de valeur antérieure",
        "sans_objectif": "Sans objectif",
        "sans_valeur": "Pas de valeur cette année",
    }
    assert TREND_LABELS[NO_PREVIOUS] == "Pas de valeur antérieure"
