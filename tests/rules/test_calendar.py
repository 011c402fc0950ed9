"""Calendar arithmetic: month addition with clamping, ages, week and month bounds."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.rules.calendar import (
    add_months,
    age_on,
    days_in_month,
    format_fr,
    month_bounds,
    week_bounds,
)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2100, 1, 31), 1, date(2100, 2, 28)),  # not leap (century)
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # leap (400)
        (date(2026, 1, 31), 4, date(2026, 5, 31)),
        (date(2025, 10, 31), 4, date(2026, 2, 28)),
        (date(2023, 10, 31), 4, date(2024, 2, 29)),
        (date(2026, 1, 15), 4, date(2026, 5, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
        (date(2026, 5, 31), -3, date(2026, 2, 28)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
        (date(2026, 5, 17), 120, date(2036, 5, 17)),
        (date(2026, 5, 17), -120, date(2016, 5, 17)),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(start, n) == expected


def test_add_months_out_of_range():
    with pytest.raises((OverflowError, ValueError)):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises((OverflowError, ValueError)):
        add_months(date(1, 1, 1), -1)


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(2024, 2, 29), (2023, 2, 28), (1900, 2, 28), (2000, 2, 29), (2026, 4, 30), (2026, 12, 31)],
)
def test_days_in_month(year, month, days):
    assert days_in_month(year, month) == days


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1958, 3, 12), date(2026, 3, 11), 67),
        (date(1958, 3, 12), date(2026, 3, 12), 68),
        (date(1958, 3, 12), date(2026, 3, 13), 68),
        (date(1958, 3, 12), date(1958, 3, 12), 0),
        (date(1958, 3, 12), date(1959, 3, 11), 0),
        # born 29 February: one year older on 1 March in non-leap years
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 28), 3),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
        (date(1936, 1, 1), date(2025, 12, 31), 89),
        (date(1936, 1, 1), date(2026, 1, 1), 90),
    ],
)
def test_age_on(birth, on, age):
    assert age_on(birth, on) == age


def test_age_before_birth_refused():
    with pytest.raises(ValueError):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


@pytest.mark.parametrize(
    ("d", "monday", "sunday"),
    [
        (date(2026, 11, 22), date(2026, 11, 16), date(2026, 11, 22)),  # a Sunday
        (date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 29)),  # a Monday
        (date(2026, 1, 1), date(2025, 12, 29), date(2026, 1, 4)),  # across years
        (date(2024, 2, 29), date(2024, 2, 26), date(2024, 3, 3)),
    ],
)
def test_week_bounds(d, monday, sunday):
    assert week_bounds(d) == (monday, sunday)


@pytest.mark.parametrize(
    ("d", "first", "last"),
    [
        (date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),
        (date(2023, 2, 28), date(2023, 2, 1), date(2023, 2, 28)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2026, 4, 1), date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_month_bounds(d, first, last):
    assert month_bounds(d) == (first, last)


def test_format_fr():
    assert format_fr(date(2026, 1, 5)) == "05/01/2026"
    assert format_fr(date(999, 12, 31)) == "31/12/0999"


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@settings(database=None)
@given(dates, st.integers(min_value=-240, max_value=240))
def test_add_months_properties(d, n):
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day == min(d.day, days_in_month(result.year, result.month))


@settings(database=None)
@given(dates)
def test_bounds_properties(d):
    monday, sunday = week_bounds(d)
    assert monday.weekday() == 0 and sunday.weekday() == 6
    assert monday <= d <= sunday and (sunday - monday).days == 6
    first, last = month_bounds(d)
    assert first.day == 1 and first <= d <= last
    assert (last + timedelta(days=1)).day == 1


@settings(database=None)
@given(dates, dates)
def test_age_properties(a, b):
    birth, on = min(a, b), max(a, b)
    age = age_on(birth, on)
    assert age >= 0
    assert add_months(birth, 12 * age) <= on
    next_birthday = add_months(birth, 12 * (age + 1))
    if (birth.month, birth.day) == (2, 29) and next_birthday.day == 28:
        next_birthday += timedelta(days=1)  # 1 March in non-leap years
    assert on < next_birthday
    assert age_on(birth, on + timedelta(days=400)) >= age + 1
