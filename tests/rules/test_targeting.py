from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import targeting
from parcours.rules.targeting import SickLeaveFacts, clean_parameters, matches_sick_leave

EXTRACTION = date(2026, 5, 1)


def params(**overrides):
    cleaned, errors = clean_parameters(targeting.ARRET_LONG, overrides)
    assert errors == {}
    return cleaned


def facts(start, birth=date(1980, 6, 15), dep="69"):
    return SickLeaveFacts(sick_leave_start=start, birth_date=birth, departement=dep)


def test_defaults_are_60_days_no_age_no_departement():
    assert params() == {"duree_min_jours": 60, "age_min": None, "age_max": None, "departements": []}


@pytest.mark.parametrize(
    ("start", "targeted"),
    [
        (date(2026, 3, 1), True),  # 61 jours au 1er mai
        (date(2026, 3, 2), False),  # 60 jours : pas « plus de 60 »
        (date(2026, 3, 3), False),  # 59 jours
        (date(2026, 5, 1), False),  # 0 jour
        (date(2025, 5, 1), True),  # un an
    ],
)
def test_more_than_60_days_day_boundary(start, targeted):
    assert targeting.sick_leave_days(date(2026, 3, 1), EXTRACTION) == 61
    assert matches_sick_leave(facts(start), EXTRACTION, params()) is targeted


def test_boundary_with_90_days_and_leap_year():
    p = params(duree_min_jours=90)
    extraction = date(2024, 3, 1)  # 2024 bissextile
    assert matches_sick_leave(facts(date(2023, 12, 2)), extraction, p) is False  # 90 jours
    assert matches_sick_leave(facts(date(2023, 12, 1)), extraction, p) is True  # 91 jours


@pytest.mark.parametrize(
    ("birth", "targeted"),
    [
        (date(1976, 5, 1), True),  # 50 ans le jour même
        (date(1976, 5, 2), False),  # 49 ans la veille de ses 50 ans
        (date(1966, 5, 1), True),  # 60 ans pile
        (date(1965, 5, 1), False),  # 61 ans
        (date(1966, 5, 2), True),  # 59 ans
    ],
)
def test_age_range_bounds_included(birth, targeted):
    p = params(age_min=50, age_max=60)
    assert matches_sick_leave(facts(date(2026, 1, 1), birth=birth), EXTRACTION, p) is targeted


def test_departements_filter():
    p = params(departements=["01", "69"])
    assert matches_sick_leave(facts(date(2026, 1, 1), dep="69"), EXTRACTION, p)
    assert not matches_sick_leave(facts(date(2026, 1, 1), dep="38"), EXTRACTION, p)


def test_clean_parameters_errors_in_french():
    _, errors = clean_parameters(targeting.ARRET_LONG, {"duree_min_jours": "abc"})
    assert errors == {"duree_min_jours": "Nombre entier attendu."}
    _, errors = clean_parameters(targeting.ARRET_LONG, {"duree_min_jours": 0})
    assert errors == {"duree_min_jours": "La durée doit être comprise entre 1 et 3 650 jours."}
    _, errors = clean_parameters(targeting.ARRET_LONG, {"age_min": 60, "age_max": 50})
    assert errors == {"age_max": "L'âge maximum doit être supérieur ou égal à l'âge minimum."}
    _, errors = clean_parameters(targeting.ARRET_LONG, {"couleur": "bleu"})
    assert errors == {"__all__": "Paramètres inconnus : couleur."}
    _, errors = clean_parameters("INCONNUE", {})
    assert errors == {"code": "Règle de ciblage inconnue : « INCONNUE »."}


def test_clean_parameters_normalises_departements():
    assert params(departements="69, 01 2a")["departements"] == ["01", "2A", "69"]
    assert params(age_min="45")["age_min"] == 45


def test_describe():
    assert targeting.describe(targeting.ARRET_LONG, params()) == (
        "Arrêt de travail de plus de 60 jours à la date d'extraction."
    )
    assert targeting.describe(
        targeting.ARRET_LONG, params(age_min=50, age_max=62, departements=["01"])
    ) == (
        "Arrêt de travail de plus de 60 jours à la date d'extraction, âge de 50 à 62 ans, "
        "départements 01."
    )


def test_catalogue():
    spec = targeting.RULES[targeting.ARRET_LONG]
    assert (spec.programme, spec.source) == ("PDP", "extrait_arrets")


@given(
    days=st.integers(min_value=1, max_value=400),
    offset=st.integers(min_value=0, max_value=800),
)
def test_targeted_exactly_when_more_than_n_days(days, offset):
    start = EXTRACTION - timedelta(days=offset)
    assert matches_sick_leave(facts(start), EXTRACTION, params(duree_min_jours=days)) is (
        offset > days
    )
