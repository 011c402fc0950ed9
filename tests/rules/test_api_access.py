"""Règles d'accès à l'API : portées, validité d'un jeton, fenêtre de débit (valeurs exactes et
bornes)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import api_access as rules


def test_parse_scopes_orders_and_deduplicates():
    assert rules.parse_scopes("rapports:lire, signalements:ecrire,rapports:lire") == [
        "signalements:ecrire",
        "rapports:lire",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Indiquez au moins une portée."),
        (" , ", "Indiquez au moins une portée."),
        ("rapports:lire,tout", "Portée inconnue : tout"),
        ("Rapports:lire", "Portée inconnue : Rapports:lire"),
    ],
)
def test_parse_scopes_refusals(raw, message):
    with pytest.raises(rules.ScopeError, match=message):
        rules.parse_scopes(raw)


def test_the_eight_scopes_of_the_contract():
    assert rules.SCOPES == (
        "signalements:ecrire",
        "signalements:lire",
        "orientations:lire",
        "orientations:repondre",
        "evaluations:lire",
        "collectif:lire",
        "rapports:lire",
        "referentiel:lire",
    )


@pytest.mark.parametrize(
    ("expires_on", "revoked", "today", "active"),
    [
        (None, False, date(2026, 12, 3), True),
        (date(2026, 12, 3), False, date(2026, 12, 3), True),  # jusqu'au soir de l'échéance
        (date(2026, 12, 3), False, date(2026, 12, 4), False),
        (date(2026, 12, 3), False, date(2026, 12, 2), True),
        (None, True, date(2026, 12, 3), False),
        (date(2027, 1, 1), True, date(2026, 12, 3), False),
    ],
)
def test_is_active(expires_on, revoked, today, active):
    assert rules.is_active(expires_on=expires_on, revoked=revoked, today=today) is active


def test_window_start_and_decision_boundaries():
    assert rules.window_start(120, 60) == 120
    assert rules.window_start(179, 60) == 120
    assert rules.rate_decision(calls=120, limit=120, now_seconds=125, window=60) == 0
    assert rules.rate_decision(calls=121, limit=120, now_seconds=125, window=60) == 55
    assert rules.rate_decision(calls=121, limit=120, now_seconds=120, window=60) == 60
    assert rules.rate_decision(calls=121, limit=120, now_seconds=179, window=60) == 1
    with pytest.raises(ValueError):
        rules.window_start(10, 0)


@given(
    now=st.integers(min_value=0, max_value=2**40),
    window=st.integers(min_value=1, max_value=86_400),
    calls=st.integers(min_value=0, max_value=10_000),
    limit=st.integers(min_value=0, max_value=10_000),
)
def test_retry_after_lands_in_the_next_window(now, window, calls, limit):
    start = rules.window_start(now, window)
    assert start <= now < start + window and start % window == 0
    wait = rules.rate_decision(calls=calls, limit=limit, now_seconds=now, window=window)
    if calls <= limit:
        assert wait == 0
    else:
        assert 1 <= wait <= window
        assert rules.window_start(now + wait, window) == start + window
