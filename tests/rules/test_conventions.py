"""État d'une convention et échéance à 60 jours, bornes comprises."""

import datetime

import pytest

from parcours.rules.conventions import (
    ACTIVE,
    EXPIRED,
    EXPIRING,
    UPCOMING,
    expires_within,
    status,
)

TODAY = datetime.date(2026, 12, 3)


def day(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, False), (0, True), (1, True), (59, True), (60, True), (61, False), (365, False)],
)
def test_expires_within(offset, expected):
    assert expires_within(day(offset), TODAY) is expected


def test_expires_within_other_window():
    assert expires_within(day(30), TODAY, days=30)
    assert not expires_within(day(31), TODAY, days=30)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (day(1), day(400), UPCOMING),
        (day(0), day(400), ACTIVE),  # commence aujourd'hui
        (day(-300), day(61), ACTIVE),
        (day(-300), day(60), EXPIRING),
        (day(-300), day(59), EXPIRING),
        (day(-300), day(0), EXPIRING),  # dernier jour
        (day(-300), day(-1), EXPIRED),
        (day(1), day(30), UPCOMING),  # à venir l'emporte sur l'échéance
        (day(0), None, ACTIVE),  # sans date de fin : en cours dès le début
        (day(-3000), None, ACTIVE),
        (day(1), None, UPCOMING),
    ],
)
def test_status(start, end, expected):
    assert status(start, end, TODAY) == expected
