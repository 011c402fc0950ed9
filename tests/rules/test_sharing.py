"""Règles du partage : catégories, état d'un consentement, base d'un partage."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import sharing as rules

D = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("given_on", "withdrawn_on", "expected"),
    [
        (D, None, rules.ACTIF),
        (D + timedelta(days=1), None, rules.A_VENIR),
        (D - timedelta(days=30), D, rules.RETIRE),  # retiré le jour même : ne couvre plus
        (D - timedelta(days=30), D + timedelta(days=1), rules.ACTIF),  # retrait à venir
        (D - timedelta(days=30), D - timedelta(days=1), rules.RETIRE),
        (D, D, rules.RETIRE),
    ],
)
def test_status_boundaries(given_on, withdrawn_on, expected):
    assert rules.status(given_on, withdrawn_on, D) == expected
    assert rules.is_active(given_on, withdrawn_on, D) is (expected == rules.ACTIF)


def test_categories_keep_the_list_order_and_refuse_unknown_or_none():
    assert rules.check_categories(["EVALUATION", "IDENTITE", "IDENTITE"]) == [
        "IDENTITE",
        "EVALUATION",
    ]
    with pytest.raises(rules.SharingRefused, match="inconnue : NIR"):
        rules.check_categories(["IDENTITE", "NIR"])
    with pytest.raises(rules.SharingRefused, match="au moins une"):
        rules.check_categories([])


def test_missing_categories():
    assert rules.missing_categories(["IDENTITE"], ["IDENTITE", "SITUATION"]) == ["SITUATION"]
    assert rules.missing_categories(list(rules.CATEGORIES), list(rules.CATEGORIES)) == []


def _check(**kw):
    args = {
        "basis": rules.CONSENTEMENT,
        "requested": ["IDENTITE"],
        "consent_categories": ["IDENTITE", "SITUATION"],
        "consent_given_on": D - timedelta(days=1),
        "consent_withdrawn_on": None,
        "today": D,
    } | kw
    rules.check_basis(**args)


def test_basis_rules():
    _check()
    _check(basis=rules.MISSION_LEGALE, consent_categories=None, consent_given_on=None)
    with pytest.raises(rules.SharingRefused, match="Indiquez la base"):
        _check(basis="")
    with pytest.raises(rules.SharingRefused, match="enregistrez-le"):
        _check(consent_categories=None, consent_given_on=None)
    with pytest.raises(rules.SharingRefused, match="retiré"):
        _check(consent_withdrawn_on=D)
    with pytest.raises(rules.SharingRefused, match="qu'à sa date"):
        _check(consent_given_on=D + timedelta(days=1))
    with pytest.raises(rules.SharingRefused, match="ne couvre pas : Évaluation des besoins et GIR"):
        _check(requested=["IDENTITE", "EVALUATION"])


@given(
    covered=st.sets(st.sampled_from(sorted(rules.CATEGORIES))),
    requested=st.sets(st.sampled_from(sorted(rules.CATEGORIES)), min_size=1),
)
def test_a_consent_allows_exactly_the_subsets_it_covers(covered, requested):
    try:
        _check(consent_categories=sorted(covered), requested=sorted(requested))
    except rules.SharingRefused:
        assert not requested <= covered
    else:
        assert requested <= covered
