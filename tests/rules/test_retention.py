"""Durées de conservation : bornes des valeurs permises et dates seuils (jour avant / jour de /
jour après, 29 février, fins de mois)."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.rules.calendar import add_months
from parcours.rules.retention import (
    BOUNDS,
    DEFAULTS,
    Cutoffs,
    cutoff_for,
    cutoffs,
    has_expired,
    validate,
)


@dataclass
class Rules:
    closed_files_years: int = 5
    unreached_targets_months: int = 12
    import_files_months: int = 3
    audit_years: int = 5


def test_defaults_are_those_of_the_contract():
    assert DEFAULTS == {
        "closed_files_years": 5,
        "unreached_targets_months": 12,
        "import_files_months": 3,
        "audit_years": 5,
    }
    assert validate(DEFAULTS) == {}


def test_bounds_chosen():
    assert {f: (b.minimum, b.maximum, b.unit) for f, b in BOUNDS.items()} == {
        "closed_files_years": (1, 10, "ans"),
        "unreached_targets_months": (1, 24, "mois"),
        "import_files_months": (1, 12, "mois"),
        "audit_years": (1, 10, "ans"),
    }


@pytest.mark.parametrize("field", sorted(BOUNDS))
def test_validate_at_each_bound(field):
    bound = BOUNDS[field]
    for value in (bound.minimum, bound.maximum):
        assert validate({**DEFAULTS, field: value}) == {}
    for value in (bound.minimum - 1, bound.maximum + 1):
        errors = validate({**DEFAULTS, field: value})
        assert list(errors) == [field]
        assert errors[field] == (
            f"{bound.label} : de {bound.minimum} à {bound.maximum} {bound.unit} "
            f"(vous avez écrit {value})."
        )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "Journal : indiquez une durée en ans."),
        ("", "Journal : indiquez une durée en ans."),
        ("5", "Journal : la durée s'écrit en chiffres, en ans."),
        (True, "Journal : la durée s'écrit en chiffres, en ans."),
        (2.5, "Journal : la durée s'écrit en chiffres, en ans."),
    ],
)
def test_validate_refuses_what_is_not_a_number(value, message):
    assert validate({**DEFAULTS, "audit_years": value}) == {"audit_years": message}


def test_validate_missing_field():
    values = dict(DEFAULTS)
    del values["import_files_months"]
    assert validate(values) == {
        "import_files_months": "Fichiers importés : indiquez une durée en mois."
    }


@pytest.mark.parametrize(
    ("dated", "months", "as_of", "expired"),
    [
        # 5 ans : l'anniversaire est inclus
        (date(2020, 3, 15), 60, date(2025, 3, 14), False),
        (date(2020, 3, 15), 60, date(2025, 3, 15), True),
        (date(2020, 3, 15), 60, date(2025, 3, 16), True),
        # 29 février + 5 ans = 28 février
        (date(2024, 2, 29), 60, date(2029, 2, 27), False),
        (date(2024, 2, 29), 60, date(2029, 2, 28), True),
        # 29 février + 4 ans = 29 février
        (date(2024, 2, 29), 48, date(2028, 2, 28), False),
        (date(2024, 2, 29), 48, date(2028, 2, 29), True),
        # 31 octobre + 4 mois = fin février
        (date(2025, 10, 31), 4, date(2026, 2, 27), False),
        (date(2025, 10, 31), 4, date(2026, 2, 28), True),
        # 31 mai + 1 mois = 30 juin
        (date(2026, 5, 31), 1, date(2026, 6, 29), False),
        (date(2026, 5, 31), 1, date(2026, 6, 30), True),
        # à travers l'année
        (date(2025, 11, 30), 3, date(2026, 2, 27), False),
        (date(2025, 11, 30), 3, date(2026, 2, 28), True),
    ],
)
def test_has_expired_boundaries(dated, months, as_of, expired):
    assert has_expired(dated, months, as_of) is expired
    assert (dated <= cutoff_for(as_of, months)) is expired


@pytest.mark.parametrize(
    ("as_of", "months", "cutoff"),
    [
        (date(2026, 6, 15), 12, date(2025, 6, 15)),
        (date(2026, 6, 15), 3, date(2026, 3, 15)),
        (date(2026, 6, 15), 60, date(2021, 6, 15)),
        # 28/02 d'une année non bissextile, 5 ans : le 29/02/2024 y arrive aussi
        (date(2029, 2, 28), 60, date(2024, 2, 29)),
        # 28/02/2025, 1 an : le 29/02/2024 y arrive
        (date(2025, 2, 28), 12, date(2024, 2, 29)),
        # 29/02/2028, 4 ans : exactement le 29/02/2024
        (date(2028, 2, 29), 48, date(2024, 2, 29)),
        # 01/03/2025, 1 an : tout février 2024 et le 1er mars
        (date(2025, 3, 1), 12, date(2024, 3, 1)),
        # 28 février, 4 mois : 29, 30 et 31 octobre y arrivent
        (date(2026, 2, 28), 4, date(2025, 10, 31)),
        # 30 juin, 1 mois : le 31 mai y arrive
        (date(2026, 6, 30), 1, date(2026, 5, 31)),
        # 30 avril, 2 mois : le 28 février (pas de 29, 30, 31 en 2026)
        (date(2026, 4, 30), 2, date(2026, 2, 28)),
        # 31 mars, 1 mois : le 28 février 2026 (bien avant le 31 mars)
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        # 29 février 2024, 1 mois : 29, 30, 31 janvier
        (date(2024, 2, 29), 1, date(2024, 1, 31)),
        # durée nulle : le jour même
        (date(2026, 6, 15), 0, date(2026, 6, 15)),
    ],
)
def test_cutoff_for(as_of, months, cutoff):
    assert cutoff_for(as_of, months) == cutoff


def test_cutoff_refuses_a_negative_period():
    with pytest.raises(ValueError, match="négative"):
        cutoff_for(date(2026, 1, 1), -1)


def test_cutoffs_of_the_default_rules():
    assert cutoffs(Rules(), date(2026, 12, 4)) == Cutoffs(
        as_of=date(2026, 12, 4),
        closed_files=date(2021, 12, 4),
        unreached_targets=date(2025, 12, 4),
        import_files=date(2026, 9, 4),
        audit=date(2021, 12, 4),
    )


def test_cutoffs_on_29_february_and_month_ends():
    rules = Rules(
        closed_files_years=1, unreached_targets_months=1, import_files_months=4, audit_years=10
    )
    assert cutoffs(rules, date(2025, 2, 28)) == Cutoffs(
        as_of=date(2025, 2, 28),
        closed_files=date(2024, 2, 29),
        unreached_targets=date(2025, 1, 31),
        import_files=date(2024, 10, 31),
        audit=date(2015, 2, 28),
    )


def test_cutoffs_reads_each_field():
    base = cutoffs(Rules(), date(2026, 6, 15))
    assert cutoffs(Rules(closed_files_years=2), date(2026, 6, 15)).closed_files == date(2024, 6, 15)
    assert cutoffs(Rules(audit_years=1), date(2026, 6, 15)).audit == date(2025, 6, 15)
    assert cutoffs(Rules(import_files_months=1), date(2026, 6, 15)).import_files == date(
        2026, 5, 15
    )
    assert cutoffs(Rules(unreached_targets_months=24), date(2026, 6, 15)).unreached_targets == date(
        2024, 6, 15
    )
    assert base.closed_files == date(2021, 6, 15)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
periods = st.integers(min_value=0, max_value=12 * 10)


@settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated=dates, months=periods, as_of=dates)
def test_cutoff_is_exactly_the_expiry(dated, months, as_of):
    """``d <= seuil`` équivaut à « a fait son temps », pour toute date et toute durée."""
    assert (dated <= cutoff_for(as_of, months)) == has_expired(dated, months, as_of)


@settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(as_of=dates, months=periods)
def test_cutoff_is_the_last_expired_day(as_of, months):
    cutoff = cutoff_for(as_of, months)
    assert add_months(cutoff, months) <= as_of
    assert add_months(cutoff + timedelta(days=1), months) > as_of
    # jamais plus de trois jours après le calcul naïf (29, 30, 31 → 28 février)
    assert 0 <= (cutoff - add_months(as_of, -months)).days <= 3


@settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(as_of=dates, months=st.integers(min_value=0, max_value=119))
def test_a_longer_period_keeps_more(as_of, months):
    assert cutoff_for(as_of, months + 1) <= cutoff_for(as_of, months)


@settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=dates, months=periods)
def test_cutoff_moves_forward_with_the_day(day, months):
    assert cutoff_for(day, months) <= cutoff_for(day + timedelta(days=1), months)
