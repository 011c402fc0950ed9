"""Service standards and timers (domaine.md §4, Carsat management contract).

Every rule is a pure function of dates given by the caller (never ``date.today()``), so that
reports can be recomputed for any past day. Day counts are calendar days
(``(later - earlier).days``), months are calendar months (:func:`add_months`).
"""

from __future__ import annotations

from datetime import date, timedelta

from .calendar import add_months

__all__ = [
    "APPOINTMENT_DELAY_DAYS",
    "EN_AVANCE",
    "EN_RETARD",
    "DANS_LA_CIBLE",
    "HOME_VISIT_HIGH_PERCENT",
    "HOME_VISIT_LOW_PERCENT",
    "HOME_VISIT_STATUS_LABELS",
    "NO_ACTIVITY_MONTHS",
    "PRADO_EVALUATION_DAYS",
    "appointment_within_standard",
    "days_waiting",
    "home_visit_status",
    "home_visit_target_to_date",
    "is_waiting_too_long",
    "is_without_activity",
    "prado_within_standard",
    "without_activity_cutoff",
]

NO_ACTIVITY_MONTHS = 4
APPOINTMENT_DELAY_DAYS = 15
PRADO_EVALUATION_DAYS = 3

EN_AVANCE = "en_avance"
DANS_LA_CIBLE = "dans_la_cible"
EN_RETARD = "en_retard"
HOME_VISIT_STATUS_LABELS = {
    EN_AVANCE: "En avance",
    DANS_LA_CIBLE: "Dans la cible",
    EN_RETARD: "En retard",
}
HOME_VISIT_LOW_PERCENT = 90
HOME_VISIT_HIGH_PERCENT = 110


# --- No activity for 4 months (indicator SER.PSB.04.01) -----------------------------------


def is_without_activity(last_activity: date, today: date, months: int = NO_ACTIVITY_MONTHS) -> bool:
    """A case is flagged when ``today >= add_months(last_activity, months)``.

    ``last_activity`` is the date of the last interview or collective session, or the opening
    date when there is none. Last contact 2026-01-15 -> flagged from 2026-05-15 inclusive
    (not on 2026-05-14). Month ends clamp: 2025-10-31 -> flagged from 2026-02-28.
    """
    return today >= add_months(last_activity, months)


def without_activity_cutoff(today: date, months: int = NO_ACTIVITY_MONTHS) -> date:
    """Latest ``last_activity`` that is flagged on ``today``, for database filters.

    ``is_without_activity(x, today, months)`` is exactly ``x <= without_activity_cutoff(today,
    months)``. Because of month-end clamping it is not always ``add_months(today, -months)``:
    on 2026-02-28 the cutoff is 2025-10-31 (29, 30 and 31 October all reach 28 February).
    """
    cutoff = add_months(today, -months)
    one_day = timedelta(days=1)
    while add_months(cutoff + one_day, months) <= today:
        cutoff += one_day
    return cutoff


# --- Appointment within 15 days (indicator SER.PSB.05.01) ---------------------------------


def days_waiting(requested_on: date, today: date) -> int:
    """Calendar days since the request: ``(today - requested_on).days``, never below 0."""
    return max(0, (today - requested_on).days)


def appointment_within_standard(
    requested_on: date, appointment_on: date, days: int = APPOINTMENT_DELAY_DAYS
) -> bool:
    """The appointment meets the standard when ``(appointment_on - requested_on).days <= 15``.

    Request on 1 March: an appointment on 16 March is within, on 17 March is not.
    An appointment dated before the request counts as within.
    """
    return (appointment_on - requested_on).days <= days


def is_waiting_too_long(
    requested_on: date, today: date, days: int = APPOINTMENT_DELAY_DAYS
) -> bool:
    """For a request that has no appointment yet: ``(today - requested_on).days > 15``.

    Request on 1 March: still fine on 16 March, late from 17 March — the same boundary as
    :func:`appointment_within_standard`. The caller only applies it to requests without an
    appointment (a request with one is judged by :func:`appointment_within_standard`).
    """
    return (today - requested_on).days > days


# --- PRADO evaluation within 3 days (indicator EFF.PRE.05.01) -----------------------------


def prado_within_standard(
    discharge_on: date, evaluation_on: date, days: int = PRADO_EVALUATION_DAYS
) -> bool:
    """The evaluation interview meets the standard when ``(evaluation_on - discharge_on).days
    <= 3``: discharge on 1 March -> evaluation up to 4 March inclusive. An evaluation made
    before the discharge (preparation in hospital) counts as within."""
    return (evaluation_on - discharge_on).days <= days


# --- Home visits (VAD) against a yearly target --------------------------------------------


def home_visit_target_to_date(yearly_target: int, today: date) -> int:
    """Pro-rata of the yearly target at ``today``, by day of year, rounded half up.

    ``round_half_up(yearly_target × day_of_year / days_in_year)`` with 365 or 366 days:
    300 on 1 January 2025 -> 1 (0.82), on 2 July 2025 (day 183) -> 150 (150.41), on
    31 December -> 300. Raises ``ValueError`` for a negative target.
    """
    if yearly_target < 0:
        raise ValueError("L'objectif annuel ne peut pas être négatif.")
    day_of_year = today.timetuple().tm_yday
    days_in_year = 366 if _is_leap(today.year) else 365
    return (2 * yearly_target * day_of_year + days_in_year) // (2 * days_in_year)


def home_visit_status(done: int, yearly_target: int, today: date) -> str:
    """Compare the home visits done so far with the pro-rata target ``t`` at ``today``.

    - ``"en_retard"`` when ``done < 90 % × t``;
    - ``"en_avance"`` when ``done >= 110 % × t``;
    - ``"dans_la_cible"`` otherwise (90 % × t <= done < 110 % × t).

    Computed with integers (``100 × done`` against ``90 × t`` and ``110 × t``), so there is no
    float rounding at the boundaries: t = 150 -> 134 late, 135 within, 164 within, 165 ahead.
    When ``t`` is 0 (zero target, or the first days of the year with a small target):
    ``"dans_la_cible"`` with 0 visits, ``"en_avance"`` with more.
    """
    target = home_visit_target_to_date(yearly_target, today)
    if target == 0:
        return EN_AVANCE if done > 0 else DANS_LA_CIBLE
    if 100 * done < HOME_VISIT_LOW_PERCENT * target:
        return EN_RETARD
    if 100 * done >= HOME_VISIT_HIGH_PERCENT * target:
        return EN_AVANCE
    return DANS_LA_CIBLE


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
