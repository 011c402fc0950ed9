from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import aid_workflow as wf

D = Decimal


def test_happy_paths():
    state = wf.RECUE
    for event in ("demander_pieces", "declarer_complete", "donner_avis", "accorder", "payer"):
        state = wf.next_state(state, event)
    assert state == wf.PAYEE
    state = wf.next_state(wf.AVIS_RENDU, "inscrire_commission")
    state = wf.next_state(state, "ajourner")
    state = wf.next_state(state, "inscrire_commission")
    assert wf.next_state(state, "refuser") == wf.REFUSEE


@pytest.mark.parametrize(
    ("state", "event"),
    [(wf.RECUE, "accorder"), (wf.A_COMPLETER, "donner_avis"), (wf.REFUSEE, "payer"),
     (wf.PAYEE, "payer"), (wf.AVIS_RENDU, "ajourner"), (wf.COMPLETE, "accorder")],
)  # fmt: skip
def test_forbidden_transitions(state, event):
    with pytest.raises(wf.TransitionError, match="impossible"):
        wf.next_state(state, event)


def test_terminal_states_have_no_event_but_payment():
    assert wf.allowed_events(wf.REFUSEE) == []
    assert wf.allowed_events(wf.PAYEE) == []
    assert wf.allowed_events(wf.ACCORDEE) == ["payer"]
    assert set(wf.allowed_events(wf.AVIS_RENDU)) == {"accorder", "refuser", "inscrire_commission"}


def test_every_state_has_a_label():
    states = {s for s, _ in wf.TRANSITIONS} | set(wf.TRANSITIONS.values())
    assert states == set(wf.STATE_LABELS)
    assert {e for _, e in wf.TRANSITIONS} == set(wf.EVENT_LABELS)


@pytest.mark.parametrize(
    ("amount", "ceiling", "route"),
    [("500", "500", wf.DELEGATION), ("500.01", "500", wf.COMMISSION), ("0", "0", wf.DELEGATION),
     ("100", None, wf.COMMISSION), ("1800", "2000", wf.DELEGATION)],
)  # fmt: skip
def test_decision_route(amount, ceiling, route):
    assert wf.decision_route(D(amount), D(ceiling) if ceiling else None) == route


def test_budget_warning_boundary():
    assert wf.budget_warning(D("1000"), D("500"), D("500")) == ""
    assert wf.budget_warning(D("1000"), D("500"), D("500.01")) == (
        "Attention : accorder 500,01 € porterait les engagements de la ligne à 1\u202f000,01 €, "
        "au-delà de sa dotation de 1\u202f000 €."
    )


def test_processing_times_pinned():
    days = [5, 10, 15, 20, 25, 30, 35, 40, 41, 60]
    result = wf.processing_times(days)
    assert result == wf.ProcessingTimes(10, D("27.5"), D("80.0"), 40, 41)


def test_processing_times_small_samples():
    assert wf.processing_times([]) == wf.ProcessingTimes(0, None, None, None, None)
    assert wf.processing_times([41]) == wf.ProcessingTimes(1, D("41"), D("0.0"), 41, 41)
    assert wf.processing_times([40, 41, 42]).share_within_40_days == D("33.3")
    assert wf.processing_times([1, 2, 3]).median == D("2")


def test_decile_nearest_rank():
    values = list(range(1, 101))
    assert [wf.decile(values, k) for k in (1, 5, 8, 9)] == [10, 50, 80, 90]
    assert wf.decile([7], 9) == 7


@given(st.lists(st.integers(0, 400), min_size=1, max_size=200))
def test_deciles_ordered_and_share_bounded(days):
    r = wf.processing_times(days)
    assert min(days) <= r.decile_8 <= r.decile_9 <= max(days)
    assert D("0") <= r.share_within_40_days <= D("100")
    assert sum(1 for d in days if d <= r.decile_9) * 10 >= 9 * len(days)


def test_recovery_rate():
    assert wf.recovery_rate(D("0"), D("0")) is None
    assert wf.recovery_rate(D("300"), D("271")) == D("90.3")
    assert wf.recovery_rate(D("3"), D("2")) == D("66.7")
