"""Agenda of social workers: weekly availabilities (permanences), free slots, the 15-day
standard of a request seen from the agenda.

Times are naive local (Europe/Paris) ``datetime`` values given by the caller. A weekly
availability opens consecutive slots of ``slot_minutes`` between ``start`` and ``end`` on its
weekday (0 = Monday), between ``valid_from`` and ``valid_until`` (inclusive, optional). A slot
is free when no booked interval overlaps it (``a.start < b.end and b.start < a.end``) and it
starts at or after ``not_before``.

15-day standard of a request (``timers.APPOINTMENT_DELAY_DAYS``): an appointment must be offered
on a day ``d`` with ``(d - requested_on).days <= 15``. :func:`standard_status` says where a
request stands:

- ``"respectee"``: it has an appointment within the standard;
- ``"depassee"``: its appointment is later than the standard, or it has none and the deadline
  has passed (``(today - requested_on).days > 15``);
- ``"a_risque"``: no appointment yet and 3 days or fewer remain (days 12 to 15 inclusive);
- ``"dans_les_temps"``: no appointment yet, more than 3 days left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .timers import APPOINTMENT_DELAY_DAYS

__all__ = [
    "AT_RISK_DAYS_LEFT",
    "STATUS_LABELS",
    "Availability",
    "deadline",
    "first_free_slot",
    "free_slots",
    "standard_status",
]

AT_RISK_DAYS_LEFT = 3
STATUS_LABELS = {
    "respectee": "Norme respectée",
    "depassee": "Norme dépassée",
    "a_risque": "À risque",
    "dans_les_temps": "Dans les temps",
}


@dataclass(frozen=True)
class Availability:
    key: object  # whatever identifies the availability for the caller (staff, site…)
    weekday: int
    start: time
    end: time
    slot_minutes: int = 45
    valid_from: date | None = None
    valid_until: date | None = None

    def active_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or day >= self.valid_from)
            and (self.valid_until is None or day <= self.valid_until)
        )


def _overlaps(start: datetime, end: datetime, booked: list[tuple[datetime, datetime]]) -> bool:
    return any(start < b_end and b_start < end for b_start, b_end in booked)


def free_slots(
    availabilities: Iterable[Availability],
    booked: Iterable[tuple[datetime, datetime]],
    first_day: date,
    days: int,
    not_before: datetime | None = None,
) -> list[tuple[datetime, datetime, object]]:
    """Free ``(start, end, key)`` slots over ``days`` days from ``first_day``, sorted."""
    availabilities = list(availabilities)
    booked = sorted(booked)
    result = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for a in availabilities:
            if not a.active_on(day) or a.slot_minutes <= 0:
                continue
            start = datetime.combine(day, a.start)
            stop = datetime.combine(day, a.end)
            step = timedelta(minutes=a.slot_minutes)
            while start + step <= stop:
                end = start + step
                if (not_before is None or start >= not_before) and not _overlaps(
                    start, end, booked
                ):
                    result.append((start, end, a.key))
                start = end
    result.sort(key=lambda s: (s[0], str(s[2])))
    return result


def first_free_slot(
    availabilities: Iterable[Availability],
    booked: Iterable[tuple[datetime, datetime]],
    first_day: date,
    days: int = 60,
    not_before: datetime | None = None,
) -> tuple[datetime, datetime, object] | None:
    """The earliest free slot within ``days`` days, or ``None``."""
    slots = free_slots(availabilities, booked, first_day, days, not_before)
    return slots[0] if slots else None


def deadline(requested_on: date, days: int = APPOINTMENT_DELAY_DAYS) -> date:
    """Last day an appointment meets the standard: ``requested_on + 15 days``."""
    return requested_on + timedelta(days=days)


def standard_status(
    requested_on: date,
    today: date,
    appointment_on: date | None = None,
    days: int = APPOINTMENT_DELAY_DAYS,
) -> str:
    if appointment_on is not None:
        return "respectee" if (appointment_on - requested_on).days <= days else "depassee"
    left = (deadline(requested_on, days) - today).days
    if left < 0:
        return "depassee"
    return "a_risque" if left <= AT_RISK_DAYS_LEFT else "dans_les_temps"
