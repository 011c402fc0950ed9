"""Orientations : table des états, échéance, relance, délais (rules.orientations)."""

import statistics
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import orientations as rules

ALL = list(rules.TRANSITIONS)

EXPECTED = {
    ("ENVOYEE", "RECUE"),
    ("ENVOYEE", "ACCEPTEE"),
    ("ENVOYEE", "REFUSEE"),
    ("ENVOYEE", "RELANCEE"),
    ("RELANCEE", "RECUE"),
    ("RELANCEE", "ACCEPTEE"),
    ("RELANCEE", "REFUSEE"),
    ("RECUE", "ACCEPTEE"),
    ("RECUE", "REFUSEE"),
    ("RECUE", "RELANCEE"),
    ("ACCEPTEE", "CLOTUREE"),
    ("REFUSEE", "CLOTUREE"),
}


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_every_pair_of_states(current, target):
    if (current, target) in EXPECTED:
        rules.check_transition(current, target)
        assert target in rules.allowed_targets(current)
    else:
        with pytest.raises(rules.TransitionError):
            rules.check_transition(current, target)


def test_cloturee_is_the_only_final_state():
    assert {"CLOTUREE"} == rules.FINAL
    with pytest.raises(rules.TransitionError, match="clôturée"):
        rules.check_transition("CLOTUREE", "RECUE")


def test_unknown_target_is_refused_in_french():
    with pytest.raises(rules.TransitionError, match="inconnu"):
        rules.check_transition("ENVOYEE", "PERDUE")


def test_refusal_message_names_both_states():
    with pytest.raises(rules.TransitionError) as error:
        rules.check_transition("ACCEPTEE", "REFUSEE")
    assert error.value.message == "Une orientation « acceptée » ne peut passer à « refusée »."


def test_partner_cannot_choose_relancee():
    assert "RELANCEE" not in rules.PARTNER_TARGETS
    assert {"RECUE", "ACCEPTEE", "REFUSEE", "CLOTUREE"} == rules.PARTNER_TARGETS


def test_default_deadline_is_15_days_after_sending():
    assert rules.DEFAULT_DEADLINE_DAYS == 15
    assert rules.default_deadline(date(2026, 12, 3)) == date(2026, 12, 18)
    assert rules.default_deadline(date(2026, 12, 20)) == date(2027, 1, 4)


DEADLINE = date(2026, 12, 18)


@pytest.mark.parametrize(
    ("status", "today", "last", "due"),
    [
        ("ENVOYEE", date(2026, 12, 18), None, False),  # le jour de l'échéance : pas encore
        ("ENVOYEE", date(2026, 12, 19), None, True),  # le lendemain : relance
        ("RECUE", date(2026, 12, 19), None, True),
        ("RELANCEE", date(2026, 12, 19), None, False),
        ("ACCEPTEE", date(2026, 12, 19), None, False),
        ("REFUSEE", date(2026, 12, 19), None, False),
        ("CLOTUREE", date(2026, 12, 19), None, False),
        ("ENVOYEE", date(2026, 12, 30), date(2026, 12, 18), True),  # relancé avant l'échéance
        ("ENVOYEE", date(2026, 12, 30), date(2026, 12, 19), False),  # relancé depuis
    ],
)
def test_reminder_due(status, today, last, due):
    assert rules.reminder_due(status, DEADLINE, last, today) is due


def test_next_deadline_after_reminder():
    assert rules.next_deadline_after_reminder(date(2026, 12, 19)) == date(2026, 12, 27)


@given(
    sent=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    days=st.integers(min_value=0, max_value=60),
    late=st.integers(min_value=1, max_value=60),
)
def test_reminded_once_per_deadline(sent, days, late):
    """Relancée le lendemain de l'échéance au plus tôt ; aussitôt relancée, plus due tant que
    la nouvelle échéance n'est pas dépassée."""
    deadline = sent + timedelta(days=days)
    today = deadline + timedelta(days=late)
    assert rules.reminder_due("ENVOYEE", deadline, None, today)
    assert not rules.reminder_due("ENVOYEE", deadline, None, deadline)
    assert not rules.reminder_due("ENVOYEE", deadline, today, today)
    new_deadline = rules.next_deadline_after_reminder(today)
    assert not rules.reminder_due("RECUE", new_deadline, today, new_deadline)
    assert rules.reminder_due("RECUE", new_deadline, today, new_deadline + timedelta(days=1))


def test_answer_delay_and_deadline_boundaries():
    sent = date(2026, 12, 3)
    assert rules.answer_delay_days(sent, None) is None
    assert rules.answer_delay_days(sent, sent) == 0
    assert rules.answer_delay_days(sent, date(2026, 12, 18)) == 15
    assert rules.answered_within_deadline(DEADLINE, date(2026, 12, 18))
    assert not rules.answered_within_deadline(DEADLINE, date(2026, 12, 19))
    assert not rules.answered_within_deadline(DEADLINE, None)


def test_link_validity_boundaries():
    issued = date(2026, 12, 3)
    assert not rules.link_expired(issued, issued)
    assert not rules.link_expired(issued, issued + timedelta(days=89))
    assert rules.link_expired(issued, issued + timedelta(days=90))


def test_delay_summary_exact_values():
    sent = date(2026, 1, 1)
    deadline = date(2026, 1, 16)
    rows = [
        (sent, deadline, date(2026, 1, 5)),  # 4 jours, dans l'échéance
        (sent, deadline, date(2026, 1, 16)),  # 15 jours, le jour même
        (sent, deadline, date(2026, 1, 21)),  # 20 jours, en retard
        (sent, deadline, None),  # sans réponse
    ]
    assert rules.delay_summary(rows) == {
        "total": 4,
        "answered": 3,
        "median_days": 15.0,
        "within_deadline_pct": 50.0,
    }
    assert rules.delay_summary(rows[:2])["median_days"] == 9.5
    assert rules.delay_summary([]) == {
        "total": 0,
        "answered": 0,
        "median_days": None,
        "within_deadline_pct": None,
    }


@given(st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=30))
def test_median_between_min_and_max(delays):
    sent = date(2026, 1, 1)
    rows = [(sent, sent, sent + timedelta(days=d)) for d in delays]
    summary = rules.delay_summary(rows)
    assert min(delays) <= summary["median_days"] <= max(delays)
    assert 0.0 <= summary["within_deadline_pct"] <= 100.0


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(min_value=-3, max_value=60)),
            st.booleans(),
            st.integers(min_value=1, max_value=5),
        ),
        max_size=25,
    )
)
def test_summary_of_counted_groups_is_the_summary_of_the_rows(groups):
    """Le compte par groupes (délai, dans l'échéance, combien) que rend la base donne les mêmes
    chiffres que les orientations une à une ; la médiane, celle de ``statistics``."""
    summary = rules.delay_summary_of_counts(groups)
    delays = [max(0, d) for d, _, n in groups if d is not None for _ in range(n)]
    total = sum(n for _, _, n in groups)
    assert summary["total"] == total
    assert summary["answered"] == len(delays)
    assert summary["median_days"] == (float(statistics.median(delays)) if delays else None)
    within = sum(n for _, in_time, n in groups if in_time)
    half_up = int(Fraction(1000 * within, total) + Fraction(1, 2)) / 10 if total else None
    assert summary["within_deadline_pct"] == half_up


def test_summary_of_counts_exact_values():
    # 2 × 4 jours, 1 × 15 jours, 1 × 20 jours : rangs du milieu 4 et 15
    groups = [(4, True, 2), (15, True, 1), (20, False, 1), (None, False, 3)]
    assert rules.delay_summary_of_counts(groups) == {
        "total": 7,
        "answered": 4,
        "median_days": 9.5,
        "within_deadline_pct": 42.9,
    }
    assert rules.delay_summary_of_counts([(7, True, 3)])["median_days"] == 7.0
    assert rules.delay_summary_of_counts([(-2, True, 1)])["median_days"] == 0.0
