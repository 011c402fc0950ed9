"""Counting rules of the activity report: exact values at every boundary."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import report
from parcours.rules.report import (
    AGE_BANDS,
    PDP_AGE_BANDS,
    age_band,
    age_on_dec31,
    birth_range,
    follow_window,
    mean_months,
    pct,
    pdp_age_band,
    round1,
    year_bounds,
)


def test_year_bounds():
    assert year_bounds(2025) == (date(2025, 1, 1), date(2025, 12, 31))
    assert year_bounds(2024) == (date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction("12.25"), 12.3),
        (Fraction("12.249999"), 12.2),
        (Fraction("12.35"), 12.4),  # a float would give 12.3
        (Fraction("0.05"), 0.1),
        (Fraction("0.04"), 0.0),
        (Fraction("-12.25"), -12.3),
        (Fraction("-0.05"), -0.1),
        (Fraction(1, 3) * 100, 33.3),
        (Fraction(2, 3) * 100, 66.7),
        (100, 100.0),
        (0, 0.0),
    ],
)
def test_round_half_away_from_zero(value, expected):
    assert round1(value) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (0, 0, 0.0),
        (5, 0, 0.0),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 8, 12.5),
        (1, 16, 6.3),  # 6.25 -> 6.3
        (1, 1600, 0.1),  # 0.0625 -> 0.1
        (1, 2001, 0.0),  # 0.04997…
        (3, 3, 100.0),
        (1, 40, 2.5),
        (7, 200, 3.5),
        (1, 80, 1.3),  # 1.25
        (21, 400, 5.3),  # 5.25
    ],
)
def test_pct(part, whole, expected):
    assert pct(part, whole) == expected


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_pct_is_nearest_tenth(part, whole):
    result = pct(part, whole)
    exact = Fraction(part * 100, whole)
    assert abs(Fraction(str(result)) - exact) <= Fraction(1, 20)
    # half away from zero: an exact half always goes up
    if (exact * 20).denominator == 1 and (exact * 20).numerator % 2 == 1:
        assert Fraction(str(result)) == exact + Fraction(1, 20)


@given(st.integers(-(10**9), 10**9), st.integers(1, 1000))
def test_round1_is_symmetric(numerator, denominator):
    value = Fraction(numerator, denominator)
    assert round1(-value) == -round1(value)


@pytest.mark.parametrize(
    ("birth", "year", "age"),
    [
        (date(1980, 12, 31), 2025, 45),
        (date(1981, 1, 1), 2025, 44),
        (date(1980, 1, 1), 2025, 45),
        (date(2000, 2, 29), 2025, 25),
        (date(2000, 2, 29), 2024, 24),
        (date(2025, 6, 1), 2025, 0),
    ],
)
def test_age_on_31_december(birth, year, age):
    assert age_on_dec31(birth, year) == age


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "moins_26"),
        (25, "moins_26"),
        (26, "26_45"),
        (45, "26_45"),
        (46, "46_59"),
        (59, "46_59"),
        (60, "60_74"),
        (74, "60_74"),
        (75, "75_et_plus"),
        (110, "75_et_plus"),
        (-1, "moins_26"),
    ],
)
def test_age_bands(age, band):
    assert age_band(age) == band


@pytest.mark.parametrize(
    ("age", "band"), [(0, "moins_46"), (45, "moins_46"), (46, "46_et_plus"), (99, "46_et_plus")]
)
def test_pdp_age_bands(age, band):
    assert pdp_age_band(age) == band


def test_band_keys_are_those_of_the_contract():
    assert [b.key for b in AGE_BANDS] == ["moins_26", "26_45", "46_59", "60_74", "75_et_plus"]
    assert [b.key for b in PDP_AGE_BANDS] == ["moins_46", "46_et_plus"]


def test_birth_ranges_of_2025():
    ranges = {b.key: birth_range(b, 2025) for b in AGE_BANDS}
    assert ranges == {
        "moins_26": (date(2000, 1, 1), None),
        "26_45": (date(1980, 1, 1), date(1999, 12, 31)),
        "46_59": (date(1966, 1, 1), date(1979, 12, 31)),
        "60_74": (date(1951, 1, 1), date(1965, 12, 31)),
        "75_et_plus": (None, date(1950, 12, 31)),
    }
    assert birth_range(PDP_AGE_BANDS[0], 2025) == (date(1980, 1, 1), None)
    assert birth_range(PDP_AGE_BANDS[1], 2025) == (None, date(1979, 12, 31))


@given(st.dates(date(1900, 1, 1), date(2030, 12, 31)), st.integers(2030, 2040))
def test_birth_ranges_agree_with_age_bands(birth, year):
    key = age_band(age_on_dec31(birth, year))
    matching = []
    for band in AGE_BANDS:
        first, last = birth_range(band, year)
        if (first is None or birth >= first) and (last is None or birth <= last):
            matching.append(band.key)
    assert matching == [key]


@pytest.mark.parametrize(
    ("days", "count", "months"),
    [
        (0, 0, 0.0),
        (30, 1, 1.0),  # 0.9856 -> 1.0
        (3044, 1, 100.0),  # 100.008…
        (365, 1, 12.0),
        (200, 1, 6.6),  # 6.5708… -> 6.6
        (198, 1, 6.5),  # 6.5051… -> 6.5
        (183, 2, 3.0),  # 91.5 days -> 3.006…
        (0, 3, 0.0),
    ],
)
def test_mean_months(days, count, months):
    assert mean_months(days, count) == months


def test_days_per_month():
    assert Fraction("365.25") == report.DAYS_PER_MONTH * 12


def test_follow_window_is_90_days_inclusive():
    assert follow_window(date(2025, 10, 3)) == (date(2025, 10, 3), date(2026, 1, 1))
    start, end = follow_window(date(2024, 1, 1))
    assert (end - start).days == 90
    assert end == date(2024, 3, 31)  # leap year


@given(st.dates(date(2000, 1, 1), date(2040, 1, 1)))
def test_follow_window_property(sent):
    start, end = follow_window(sent)
    assert start == sent and end - start == timedelta(days=90)
