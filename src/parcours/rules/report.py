"""Counting rules of the yearly activity report (formats.md §5) and of the indicators.

Pure functions: no Django, no clock. The SQL queries of ``steering.report`` take their bounds
(year, age bands as birth-date ranges, the follow window) from here, so that the rules are
tested once, exactly, at their boundaries.

- **The year** runs from 1 January to 31 December inclusive.
- **Age** is the age on 31 December of the year. Since every birthday of the year has passed
  on 31 December, it is simply ``year - birth_year`` (29 February included).
- **Percentages** are over a stated population, rounded half away from zero to one decimal;
  an empty population gives 0.0.
- **Mean PDP duration** in months = mean of (date_fin − date_debut) in days / 30.4375.
- **Offer follow window**: a person is "followed" when helped on or after the sending date and
  at most 90 days after it (both ends included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from math import floor

__all__ = [
    "AGE_BANDS",
    "DAYS_PER_MONTH",
    "FOLLOW_DAYS",
    "PDP_AGE_BANDS",
    "PDP_AGE_LIMIT",
    "AgeBand",
    "age_band",
    "age_on_dec31",
    "birth_range",
    "follow_window",
    "mean_months",
    "pct",
    "pdp_age_band",
    "round1",
    "year_bounds",
]

DAYS_PER_MONTH = Fraction("30.4375")  # 365.25 / 12
FOLLOW_DAYS = 90
PDP_AGE_LIMIT = 46


@dataclass(frozen=True)
class AgeBand:
    """An age band, ``low`` and ``high`` included (``high`` None: no upper bound)."""

    key: str
    low: int
    high: int | None

    def contains(self, age: int) -> bool:
        return age >= self.low and (self.high is None or age <= self.high)


AGE_BANDS = (
    AgeBand("moins_26", 0, 25),
    AgeBand("26_45", 26, 45),
    AgeBand("46_59", 46, 59),
    AgeBand("60_74", 60, 74),
    AgeBand("75_et_plus", 75, None),
)
PDP_AGE_BANDS = (
    AgeBand("moins_46", 0, PDP_AGE_LIMIT - 1),
    AgeBand("46_et_plus", PDP_AGE_LIMIT, None),
)


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of ``year``, both included."""
    return date(year, 1, 1), date(year, 12, 31)


def age_on_dec31(birth_date: date, year: int) -> int:
    """Age on 31 December of ``year``.

    Born 1980-12-31 -> 45 on 2025-12-31; born 1981-01-01 -> 44.
    """
    return year - birth_date.year


def age_band(age: int, bands: Iterable[AgeBand] = AGE_BANDS) -> str:
    """The key of the band holding ``age`` (a negative age counts in the first band)."""
    for band in bands:
        if band.contains(max(age, 0)):
            return band.key
    raise ValueError(age)  # pragma: no cover - the last band is open


def pdp_age_band(age: int) -> str:
    """``moins_46`` under 46, ``46_et_plus`` from 46."""
    return age_band(age, PDP_AGE_BANDS)


def birth_range(band: AgeBand, year: int) -> tuple[date | None, date | None]:
    """Birth dates (first, last; both included, None = unbounded) whose age on 31 December of
    ``year`` falls in ``band``: what the SQL filters on."""
    first = None if band.high is None else date(year - band.high, 1, 1)
    last = None if band.low == 0 else date(year - band.low, 12, 31)
    return first, last


def round1(value: Fraction | int) -> float:
    """Round half away from zero to one decimal: 12.25 -> 12.3, -12.25 -> -12.3, 12.24 -> 12.2."""
    value = Fraction(value)
    sign = -1 if value < 0 else 1
    tenths = floor(abs(value) * 10 + Fraction(1, 2))
    return sign * tenths / 10


def pct(part: int, whole: int) -> float:
    """``part`` as a percentage of ``whole``, one decimal, half away from zero; 0.0 if empty."""
    if not whole:
        return 0.0
    return round1(Fraction(part * 100, whole))


def mean_months(total_days: int, count: int) -> float:
    """Mean duration in months of ``count`` periods lasting ``total_days`` days in all."""
    if not count:
        return 0.0
    return round1(Fraction(total_days, count) / DAYS_PER_MONTH)


def follow_window(sent_on: date) -> tuple[date, date]:
    """Days (both included) in which a contact or a session counts as the offer's follow-up."""
    return sent_on, sent_on + timedelta(days=FOLLOW_DAYS)
