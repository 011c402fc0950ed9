from parcours.rules.background import LOCK_ATTEMPTS, retry_delay, waited_too_long


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
