"""Calendar arithmetic used by the service standards and the reports.

Stdlib only. All functions take and return :class:`datetime.date` (never datetimes).
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = [
    "add_months",
    "age_on",
    "days_in_month",
    "format_fr",
    "month_bounds",
    "week_bounds",
]


def days_in_month(year: int, month: int) -> int:
    """Number of days of ``month`` (1–12) in ``year``, leap years included."""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months (``n`` may be negative), clamped to the month's end.

    2024-01-31 + 1 -> 2024-02-29; 2023-01-31 + 1 -> 2023-02-28; 2024-03-31 − 1 -> 2024-02-29;
    2024-02-29 + 12 -> 2025-02-28. Raises ``OverflowError``/``ValueError`` outside year 1–9999.
    """
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise OverflowError("Date hors de l'intervalle permis (années 1 à 9999).")
    return date(year, month, min(d.day, days_in_month(year, month)))


def age_on(birth: date, on: date) -> int:
    """Age in whole years on date ``on``.

    The age increases on the birthday. Someone born on 29 February is one year older on
    1 March in non-leap years (on 28 February they are not yet), and on 29 February in leap
    years. Raises ``ValueError`` when ``on`` is before ``birth``.
    """
    if on < birth:
        raise ValueError("La date est antérieure à la date de naissance.")
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def week_bounds(d: date) -> tuple[date, date]:
    """ISO week of ``d``: (Monday, Sunday), both inclusive."""
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def month_bounds(d: date) -> tuple[date, date]:
    """Month of ``d``: (first day, last day), both inclusive."""
    return d.replace(day=1), d.replace(day=days_in_month(d.year, d.month))


def format_fr(d: date) -> str:
    """``JJ/MM/AAAA`` (independent of locale and of ``strftime`` platform quirks)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
