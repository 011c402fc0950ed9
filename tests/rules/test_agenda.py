from datetime import date, datetime, time

import pytest

from parcours.rules import agenda
from parcours.rules.agenda import Availability, first_free_slot, free_slots, standard_status

MONDAY = date(2026, 6, 15)
TUESDAY_MORNING = Availability("as1", 1, time(9, 0), time(11, 0), 45)


def test_slots_fit_in_the_window():
    slots = free_slots([TUESDAY_MORNING], [], MONDAY, 7)
    assert [(s.time(), e.time()) for s, e, _ in slots] == [
        (time(9, 0), time(9, 45)),
        (time(9, 45), time(10, 30)),  # 10:30-11:15 dépasserait 11:00
    ]


def test_booked_overlap_and_not_before():
    booked = [(datetime(2026, 6, 16, 9, 30), datetime(2026, 6, 16, 9, 50))]
    assert free_slots([TUESDAY_MORNING], booked, MONDAY, 7) == []
    booked = [(datetime(2026, 6, 16, 9, 45), datetime(2026, 6, 16, 10, 0))]
    assert [s.time() for s, _, _ in free_slots([TUESDAY_MORNING], booked, MONDAY, 7)] == [
        time(9, 0)
    ]
    # contigu : 8:15-9:00 ne chevauche pas 9:00-9:45
    booked = [(datetime(2026, 6, 16, 8, 15), datetime(2026, 6, 16, 9, 0))]
    assert len(free_slots([TUESDAY_MORNING], booked, MONDAY, 7)) == 2
    later = free_slots([TUESDAY_MORNING], [], MONDAY, 7, not_before=datetime(2026, 6, 16, 9, 1))
    assert [s.time() for s, _, _ in later] == [time(9, 45)]


def test_first_free_slot_across_weeks_and_validity():
    a = Availability("as1", 1, time(9, 0), time(9, 45), 45, valid_from=date(2026, 6, 20))
    slot = first_free_slot([a], [], MONDAY)
    assert slot[0] == datetime(2026, 6, 23, 9, 0)
    ended = Availability("as1", 1, time(9, 0), time(9, 45), 45, valid_until=date(2026, 6, 1))
    assert first_free_slot([ended], [], MONDAY) is None


def test_two_availabilities_sorted():
    b = Availability("as2", 0, time(14, 0), time(15, 0), 60)
    slots = free_slots([TUESDAY_MORNING, b], [], MONDAY, 2)
    assert [(s, k) for s, _, k in slots] == [
        (datetime(2026, 6, 15, 14, 0), "as2"),
        (datetime(2026, 6, 16, 9, 0), "as1"),
        (datetime(2026, 6, 16, 9, 45), "as1"),
    ]


@pytest.mark.parametrize(
    ("today", "appointment_on", "expected"),
    [
        (date(2026, 6, 1), None, "dans_les_temps"),
        (date(2026, 6, 12), None, "dans_les_temps"),  # 4 jours restants
        (date(2026, 6, 13), None, "a_risque"),  # 3 jours restants
        (date(2026, 6, 16), None, "a_risque"),  # dernier jour
        (date(2026, 6, 17), None, "depassee"),
        (date(2026, 6, 20), date(2026, 6, 16), "respectee"),
        (date(2026, 6, 2), date(2026, 6, 17), "depassee"),
    ],
)
def test_standard_status_day_boundaries(today, appointment_on, expected):
    requested = date(2026, 6, 1)
    assert agenda.deadline(requested) == date(2026, 6, 16)
    assert standard_status(requested, today, appointment_on) == expected
    assert expected in agenda.STATUS_LABELS
