"""Service standards: exact boundaries of every timer (day before / day of / day after)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.rules import timers
from parcours.rules.calendar import add_months
from parcours.rules.timers import (
    appointment_within_standard,
    days_waiting,
    home_visit_status,
    home_visit_target_to_date,
    is_waiting_too_long,
    is_without_activity,
    prado_within_standard,
    without_activity_cutoff,
)


def test_constants():
    assert timers.NO_ACTIVITY_MONTHS == 4
    assert timers.APPOINTMENT_DELAY_DAYS == 15
    assert timers.PRADO_EVALUATION_DAYS == 3


# --- 4 months without activity -------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "today", "flagged"),
    [
        (date(2026, 1, 15), date(2026, 5, 14), False),
        (date(2026, 1, 15), date(2026, 5, 15), True),
        (date(2026, 1, 15), date(2026, 5, 16), True),
        # month-end clamping: 31 January + 4 months = 31 May
        (date(2026, 1, 31), date(2026, 5, 30), False),
        (date(2026, 1, 31), date(2026, 5, 31), True),
        # 31 October + 4 months = 28 February (29 in a leap year)
        (date(2025, 10, 31), date(2026, 2, 27), False),
        (date(2025, 10, 31), date(2026, 2, 28), True),
        (date(2023, 10, 31), date(2024, 2, 28), False),
        (date(2023, 10, 31), date(2024, 2, 29), True),
        (date(2025, 10, 29), date(2026, 2, 28), True),
        (date(2026, 1, 15), date(2026, 1, 15), False),
        (date(2026, 1, 15), date(2025, 1, 1), False),
    ],
)
def test_is_without_activity(last, today, flagged):
    assert is_without_activity(last, today) is flagged


def test_is_without_activity_custom_months():
    assert is_without_activity(date(2026, 1, 15), date(2026, 3, 15), months=2) is True
    assert is_without_activity(date(2026, 1, 15), date(2026, 3, 14), months=2) is False


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        (date(2026, 5, 15), date(2026, 1, 15)),
        (date(2026, 5, 31), date(2026, 1, 31)),
        (date(2026, 2, 28), date(2025, 10, 31)),
        (date(2024, 2, 28), date(2023, 10, 28)),
        (date(2024, 2, 29), date(2023, 10, 31)),
        (date(2026, 6, 30), date(2026, 2, 28)),
        (date(2026, 4, 30), date(2025, 12, 31)),
    ],
)
def test_without_activity_cutoff(today, cutoff):
    assert without_activity_cutoff(today) == cutoff


@settings(database=None)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=1, max_value=12),
)
def test_cutoff_is_exactly_the_rule(last, delta, months):
    today = last + timedelta(days=delta)
    cutoff = without_activity_cutoff(today, months)
    assert is_without_activity(last, today, months) is (last <= cutoff)
    assert is_without_activity(cutoff, today, months)
    assert not is_without_activity(cutoff + timedelta(days=1), today, months)
    assert add_months(cutoff, months) <= today


# --- appointment within 15 days ------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "appointment", "ok"),
    [
        (date(2026, 3, 1), date(2026, 3, 1), True),
        (date(2026, 3, 1), date(2026, 3, 15), True),
        (date(2026, 3, 1), date(2026, 3, 16), True),  # 15 days
        (date(2026, 3, 1), date(2026, 3, 17), False),  # 16 days
        (date(2026, 2, 20), date(2026, 3, 7), True),  # across February (15 days)
        (date(2026, 2, 20), date(2026, 3, 8), False),
        (date(2024, 2, 20), date(2024, 3, 6), True),  # leap year: 15 days
        (date(2024, 2, 20), date(2024, 3, 7), False),
        (date(2026, 12, 20), date(2027, 1, 4), True),
        (date(2026, 3, 10), date(2026, 3, 1), True),  # dated before the request
    ],
)
def test_appointment_within_standard(requested, appointment, ok):
    assert appointment_within_standard(requested, appointment) is ok


def test_appointment_custom_days():
    assert appointment_within_standard(date(2026, 3, 1), date(2026, 3, 8), days=7)
    assert not appointment_within_standard(date(2026, 3, 1), date(2026, 3, 9), days=7)


@pytest.mark.parametrize(
    ("today", "late", "waiting"),
    [
        (date(2026, 3, 1), False, 0),
        (date(2026, 3, 15), False, 14),
        (date(2026, 3, 16), False, 15),
        (date(2026, 3, 17), True, 16),
        (date(2026, 4, 1), True, 31),
        (date(2026, 2, 28), False, 0),  # requested in the future: never negative
    ],
)
def test_waiting(today, late, waiting):
    requested = date(2026, 3, 1)
    assert is_waiting_too_long(requested, today) is late
    assert days_waiting(requested, today) == waiting


@settings(database=None)
@given(st.dates(), st.integers(min_value=0, max_value=60))
def test_waiting_and_appointment_share_the_boundary(requested, delta):
    try:
        other = requested + timedelta(days=delta)
    except OverflowError:
        return
    assert is_waiting_too_long(requested, other) is not appointment_within_standard(
        requested, other
    )


# --- PRADO: evaluation within 3 days after discharge --------------------------------------


@pytest.mark.parametrize(
    ("discharge", "evaluation", "ok"),
    [
        (date(2026, 3, 1), date(2026, 3, 1), True),
        (date(2026, 3, 1), date(2026, 3, 3), True),
        (date(2026, 3, 1), date(2026, 3, 4), True),  # 3 days
        (date(2026, 3, 1), date(2026, 3, 5), False),  # 4 days
        (date(2026, 2, 27), date(2026, 3, 2), True),
        (date(2026, 2, 27), date(2026, 3, 3), False),
        (date(2024, 2, 27), date(2024, 3, 1), True),  # leap year
        (date(2024, 2, 27), date(2024, 3, 2), False),
        (date(2026, 12, 30), date(2027, 1, 2), True),
        (date(2026, 3, 5), date(2026, 3, 1), True),  # evaluated before discharge
    ],
)
def test_prado(discharge, evaluation, ok):
    assert prado_within_standard(discharge, evaluation) is ok


# --- home visits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "today", "expected"),
    [
        (300, date(2025, 1, 1), 1),  # 0.82
        (300, date(2025, 1, 2), 2),  # 1.64
        (300, date(2025, 7, 2), 150),  # day 183: 150.41
        (300, date(2025, 12, 31), 300),
        (300, date(2024, 12, 31), 300),  # leap year, day 366
        (300, date(2024, 7, 1), 150),  # leap year, day 183 of 366: exactly 150
        (365, date(2025, 3, 1), 60),  # day 60
        (2, date(2025, 4, 2), 1),  # day 92: 0.504 -> 1
        (2, date(2025, 4, 1), 0),  # day 91: 0.4986 -> 0
        (1, date(2025, 7, 2), 1),  # 183/365 = 0.5014 -> 1
        (1, date(2025, 7, 1), 0),  # 182/365 = 0.4986 -> 0
        (1, date(2024, 7, 1), 1),  # 183/366 = 0.5 exactly -> half up -> 1
        (1, date(2024, 6, 30), 0),  # 182/366
        (0, date(2025, 12, 31), 0),
    ],
)
def test_home_visit_target_to_date(target, today, expected):
    assert home_visit_target_to_date(target, today) == expected


def test_negative_target_refused():
    with pytest.raises(ValueError):
        home_visit_target_to_date(-1, date(2025, 1, 1))


@pytest.mark.parametrize(
    ("done", "status"),
    [
        (0, "en_retard"),
        (134, "en_retard"),  # < 135 = 90 % of 150
        (135, "dans_la_cible"),
        (150, "dans_la_cible"),
        (164, "dans_la_cible"),
        (165, "en_avance"),  # >= 165 = 110 % of 150
        (400, "en_avance"),
    ],
)
def test_home_visit_status_boundaries(done, status):
    today = date(2025, 7, 2)  # pro-rata target 150 of 300
    assert home_visit_target_to_date(300, today) == 150
    assert home_visit_status(done, 300, today) == status


@pytest.mark.parametrize(
    ("done", "status"),
    [(8, "en_retard"), (9, "dans_la_cible"), (10, "dans_la_cible"), (11, "en_avance")],
)
def test_home_visit_status_exact_percentages(done, status):
    # target to date 10: 90 % = 9 exactly, 110 % = 11 exactly (no float rounding)
    today = date(2025, 1, 10)
    assert home_visit_target_to_date(365, today) == 10
    assert home_visit_status(done, 365, today) == status


def test_home_visit_status_zero_target():
    today = date(2025, 1, 1)
    assert home_visit_target_to_date(100, today) == 0
    assert home_visit_status(0, 100, today) == "dans_la_cible"
    assert home_visit_status(1, 100, today) == "en_avance"
    assert home_visit_status(0, 0, date(2025, 12, 31)) == "dans_la_cible"


def test_status_labels():
    assert timers.HOME_VISIT_STATUS_LABELS == {
        "en_avance": "En avance",
        "dans_la_cible": "Dans la cible",
        "en_retard": "En retard",
    }


@settings(database=None)
@given(
    st.integers(min_value=0, max_value=5000),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
)
def test_target_to_date_properties(target, today):
    value = home_visit_target_to_date(target, today)
    assert 0 <= value <= target
    assert value <= home_visit_target_to_date(target, today + timedelta(days=1)) or (
        today.month,
        today.day,
    ) == (12, 31)
    if (today.month, today.day) == (12, 31):
        assert value == target
