"""rules.fragility : le score à chaque borne d'âge et chaque combinaison, le secret, la
concentration, la référence d'un département construit à la main, les zones blanches."""

from fractions import Fraction
from statistics import fmean, pstdev

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import fragility as f


@pytest.mark.parametrize(
    ("age", "points"),
    [(0, 1), (59, 1), (60, 1), (69, 1), (70, 2), (79, 2), (80, 3), (89, 3), (90, 4), (120, 4)],
)
def test_age_points_at_every_boundary(age, points):
    assert f.age_points(age) == points


@pytest.mark.parametrize(
    ("age", "survivor", "exempt", "expected"),
    [
        (69, False, False, 1),
        (69, True, False, 4),
        (69, False, True, 5),
        (69, True, True, 8),
        (70, False, False, 2),
        (79, True, True, 9),
        (80, True, False, 6),
        (89, False, True, 7),
        (90, False, False, 4),
        (90, True, True, 11),
    ],
)
def test_score_every_flag_combination(age, survivor, exempt, expected):
    assert f.score(age, survivor, exempt) == expected


def test_age_bands_are_a_parameter():
    assert f.score(74, False, False, (65, 75, 85)) == 2
    assert f.score(75, False, False, (65, 75, 85)) == 3
    assert f.score(64, False, False, (65, 75, 85)) == 1


@given(st.integers(0, 130), st.booleans(), st.booleans())
def test_score_between_1_and_11(age, survivor, exempt):
    assert f.MIN_SCORE <= f.score(age, survivor, exempt) <= f.MAX_SCORE


@pytest.mark.parametrize(
    ("raw", "expected", "error"),
    [
        (None, (70, 80, 90), None),
        ("65, 75, 85", (65, 75, 85), None),
        ([60, 75, 90], (60, 75, 90), None),
        ("70, 80", (70, 80, 90), "Trois âges attendus (début des tranches 2, 3 et 4)."),
        ("70, 70, 90", (70, 80, 90), "Les trois âges doivent être strictement croissants."),
        ("0, 80, 90", (70, 80, 90), "Chaque âge doit être compris entre 1 et 120 ans."),
        ("a, b, c", (70, 80, 90), "Trois âges entiers attendus, par exemple « 70, 80, 90 »."),
    ],
)
def test_clean_age_thresholds(raw, expected, error):
    assert f.clean_age_thresholds(raw) == (expected, error)


def test_secrecy_threshold():
    assert f.is_secret(0) and f.is_secret(10)
    assert not f.is_secret(11)


def test_concentration_threshold():
    assert not f.is_concentration(200)
    assert f.is_concentration(201)


def test_rounding_half_away_from_zero():
    assert f.round2(Fraction(3345, 1000)) == 3.35
    assert f.round2(Fraction(3344, 1000)) == 3.34
    assert f.round2(Fraction(10, 3)) == 3.33
    assert f.round4(Fraction(123455, 100000)) == 1.2346
    assert f.round4(Fraction(-123455, 100000)) == -1.2346


def test_hand_built_departement_reference_and_fragile_threshold():
    # quatre communes : moyennes 2, 3, 4, 7 → moyenne 4, variance (4+1+0+9)/4 = 3.5,
    # écart type 1.8708…, seuil 4 + 0.9354 = 4.9354
    means = [Fraction(2), Fraction(3), Fraction(4), Fraction(7)]
    ref = f.reference(means)
    assert ref.mean == 4 and ref.variance == Fraction(7, 2) and ref.communes == 4
    assert f.round4(ref.sd) == 1.8708
    assert ref.threshold == pytest.approx(4.935414, abs=1e-6)
    assert f.is_fragile(Fraction(7), False, ref)
    assert not f.is_fragile(Fraction(4), False, ref)
    assert not f.is_fragile(Fraction(49354, 10000), False, ref)  # juste sous le seuil
    assert f.is_fragile(Fraction(49355, 10000), False, ref)  # juste au-dessus
    assert not f.is_fragile(Fraction(7), True, ref)  # une commune secrète n'est jamais fragile


def test_fragile_exactly_at_threshold():
    # moyennes 1 et 3 : moyenne 2, écart type 1, seuil 2.5 exactement
    ref = f.reference([Fraction(1), Fraction(3)])
    assert f.is_fragile(Fraction(5, 2), False, ref)
    assert not f.is_fragile(Fraction(5, 2) - Fraction(1, 10**9), False, ref)


def test_one_commune_is_its_own_reference_and_fragile():
    ref = f.reference([Fraction(3)])
    assert ref.variance == 0 and f.is_fragile(Fraction(3), False, ref)


def test_empty_reference():
    ref = f.reference([])
    assert ref.mean is None and ref.sd is None and ref.threshold is None
    assert not f.is_fragile(Fraction(5), False, ref)
    assert f.map_class(Fraction(5), ref) is None


@given(st.lists(st.fractions(min_value=1, max_value=11, max_denominator=500), min_size=1))
def test_reference_agrees_with_statistics(values):
    ref = f.reference(values)
    floats = [float(v) for v in values]
    assert float(ref.mean) == pytest.approx(fmean(floats))
    assert ref.sd == pytest.approx(pstdev(floats), abs=1e-9)


@pytest.mark.parametrize(("actions", "white"), [(0, True), (1, True), (2, False), (5, False)])
def test_white_zone_with_0_1_2_actions(actions, white):
    assert f.is_white_zone(True, actions) is white
    assert f.is_white_zone(False, actions) is False


def test_map_classes_follow_the_reference():
    ref = f.reference([Fraction(1), Fraction(3)])  # moyenne 2, écart type 1
    assert f.map_class(Fraction(1), ref) == 0  # m − 1 σ
    assert f.map_class(Fraction(3, 2), ref) == 0  # m − ½ σ exactement
    assert f.map_class(Fraction(19, 10), ref) == 1
    assert f.map_class(Fraction(2), ref) == 2
    assert f.map_class(Fraction(24, 10), ref) == 2
    assert f.map_class(Fraction(5, 2), ref) == 3  # le seuil de fragilité
    assert f.map_class(Fraction(29, 10), ref) == 3
    assert f.map_class(Fraction(3), ref) == 4  # m + 1 σ
    assert f.map_class(None, ref) is None


@given(st.fractions(min_value=1, max_value=11, max_denominator=100))
def test_class_3_or_4_iff_fragile(value):
    ref = f.reference([Fraction(2), Fraction(3), Fraction(5)])
    assert (f.map_class(value, ref) >= 3) == f.is_fragile(value, False, ref)


def test_score_sql_agrees_with_score_in_duckdb():
    import duckdb

    con = duckdb.connect()
    for thresholds in [(70, 80, 90), (65, 75, 85)]:
        expr = f.score_sql("a", "r", "e", thresholds)
        rows = con.sql(
            f"SELECT a, r, e, {expr} FROM range(0, 121) t(a), (VALUES (0), (1)) s(r), "
            "(VALUES (0), (1)) x(e)"
        ).fetchall()
        assert len(rows) == 121 * 4
        assert all(s == f.score(a, r, e, thresholds) for a, r, e, s in rows)
