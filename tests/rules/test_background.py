import datetime
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.background import LOCK_ATTEMPTS, next_daily, retry_delay, waited_too_long


def test_delays_double_from_one_second_up_to_thirty():
    assert [retry_delay(n) for n in range(0, 9)] == [
        0.0,
        1.0,
        2.0,
        4.0,
        8.0,
        16.0,
        30.0,
        30.0,
        30.0,
    ]
    assert LOCK_ATTEMPTS == 6


def test_waiting_is_abnormal_after_ten_minutes():
    assert not waited_too_long(0)
    assert not waited_too_long(600)
    assert waited_too_long(600.001)


PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AT = datetime.time(3, 30)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime.datetime(2026, 6, 1, 3, 29, 59), datetime.datetime(2026, 6, 1, 3, 30)),
        (datetime.datetime(2026, 6, 1, 3, 30), datetime.datetime(2026, 6, 2, 3, 30)),
        (datetime.datetime(2026, 6, 1, 23, 59), datetime.datetime(2026, 6, 2, 3, 30)),
        (datetime.datetime(2026, 12, 31, 12, 0), datetime.datetime(2027, 1, 1, 3, 30)),
        # changes of time: the wall-clock hour stays 03:30
        (datetime.datetime(2026, 3, 28, 12, 0), datetime.datetime(2026, 3, 29, 3, 30)),
        (datetime.datetime(2026, 10, 24, 12, 0), datetime.datetime(2026, 10, 25, 3, 30)),
    ],
)
def test_next_daily_run_is_strictly_after_now(now, expected):
    got = next_daily(now.replace(tzinfo=PARIS), AT)
    assert got == expected.replace(tzinfo=PARIS)
    assert got.replace(tzinfo=None) == expected


@given(
    st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2099, 1, 1))
)
def test_next_daily_is_within_a_day_and_at_the_hour(now):
    now = now.replace(tzinfo=PARIS)
    got = next_daily(now, AT)
    assert got > now
    assert got.date() - now.date() <= datetime.timedelta(days=1)
    assert (got.hour, got.minute) == (3, 30)
