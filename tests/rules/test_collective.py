import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import collective as r


def test_registration_status_by_capacity():
    assert r.status_for_new_registration(10, 0) == r.REGISTERED
    assert r.status_for_new_registration(10, 9) == r.REGISTERED
    assert r.status_for_new_registration(10, 10) == r.WAITING
    assert r.status_for_new_registration(10, 11) == r.WAITING
    assert r.status_for_new_registration(0, 0) == r.WAITING
    with pytest.raises(ValueError):
        r.status_for_new_registration(-1, 0)


@given(st.integers(0, 200), st.integers(0, 200))
def test_never_over_capacity(capacity, taken):
    status = r.status_for_new_registration(capacity, taken)
    assert (status == r.REGISTERED) == (taken < capacity)


def test_places_to_promote():
    assert r.places_to_promote(10, 9, 3) == 1
    assert r.places_to_promote(10, 10, 3) == 0
    assert r.places_to_promote(10, 5, 3) == 3
    assert r.places_to_promote(10, 12, 3) == 0
    assert r.places_to_promote(10, 9, 0) == 0


def test_transitions():
    assert r.next_status(r.REGISTERED, "annuler") == r.CANCELLED
    assert r.next_status(r.WAITING, "promouvoir") == r.REGISTERED
    assert r.next_status(r.CANCELLED, "reinscrire") == r.REGISTERED
    with pytest.raises(r.InvalidTransition):
        r.next_status(r.CANCELLED, "annuler")
    with pytest.raises(r.InvalidTransition):
        r.next_status(r.REGISTERED, "promouvoir")


@pytest.mark.parametrize(
    "kind,raw,kwargs,expected",
    [
        (r.SCALE, "1", {}, (1, "")),
        (r.SCALE, "5", {}, (5, "")),
        (r.SCALE, " 3 ", {}, (3, "")),
        (r.SCALE, "10", {"scale_max": 10}, (10, "")),
        (r.YES_NO, "1", {}, (1, "")),
        (r.YES_NO, "0", {}, (0, "")),
        (r.CHOICE, "0", {"choices": ["a", "b"]}, (0, "")),
        (r.CHOICE, "1", {"choices": ["a", "b"]}, (1, "")),
        (r.TEXT, "  Merci  ", {}, (None, "Merci")),
        (r.SCALE, "", {}, (None, "")),
        (r.TEXT, "   ", {}, (None, "")),
    ],
)
def test_valid_answers(kind, raw, kwargs, expected):
    assert r.validate_answer(kind, raw, **kwargs) == expected


@pytest.mark.parametrize(
    "kind,raw,kwargs,message",
    [
        (r.SCALE, "0", {}, "Choisissez une note entre 1 et 5."),
        (r.SCALE, "6", {}, "Choisissez une note entre 1 et 5."),
        (r.SCALE, "abc", {}, "Choisissez une note entre 1 et 5."),
        (r.SCALE, "-1", {}, "Choisissez une note entre 1 et 5."),
        (r.YES_NO, "oui", {}, "Répondez par oui ou par non."),
        (r.YES_NO, "2", {}, "Répondez par oui ou par non."),
        (r.CHOICE, "2", {"choices": ["a", "b"]}, "Choisissez l'une des réponses proposées."),
        (r.CHOICE, "x", {"choices": ["a", "b"]}, "Choisissez l'une des réponses proposées."),
        (r.TEXT, "x" * 2001, {}, "2000 caractères au plus."),
        (r.SCALE, "", {"required": True}, "Veuillez répondre à cette question."),
    ],
)
def test_invalid_answers(kind, raw, kwargs, message):
    with pytest.raises(r.InvalidAnswer) as error:
        r.validate_answer(kind, raw, **kwargs)
    assert str(error.value) == message


def test_text_at_limit_is_accepted():
    assert r.validate_answer(r.TEXT, "x" * 2000) == (None, "x" * 2000)


def test_positive_answers():
    assert r.positive_threshold(5) == 4
    assert r.positive_threshold(10) == 9
    assert r.positive_threshold(2) == 1
    assert [r.is_positive(r.SCALE, v) for v in range(1, 6)] == [False, False, False, True, True]
    assert r.is_positive(r.YES_NO, 1) and not r.is_positive(r.YES_NO, 0)
    assert r.is_positive(r.CHOICE, 2, positive=[0, 2]) and not r.is_positive(
        r.CHOICE, 1, positive=[0, 2]
    )
    assert not r.is_positive(r.TEXT, None)
    assert not r.is_positive(r.SCALE, None)


def test_percent_rounding_half_away_from_zero():
    assert r.percent(0, 0) is None
    assert r.percent(1, 3) == Decimal("33.3")
    assert r.percent(2, 3) == Decimal("66.7")
    assert r.percent(1, 8) == Decimal("12.5")
    assert r.percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3
    assert r.percent(1, 1) == Decimal("100.0")
    assert r.percent(0, 5) == Decimal("0.0")
    assert r.percent(458, 500) == Decimal("91.6")


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_percent_bounds(part, whole):
    part = min(part, whole)
    value = r.percent(part, whole)
    assert Decimal(0) <= value <= Decimal(100)
    assert abs(value - Decimal(part) * 100 / whole) <= Decimal("0.05")


def test_add_months():
    d = datetime.date
    assert r.add_months(d(2026, 1, 31), 1) == d(2026, 2, 28)
    assert r.add_months(d(2028, 1, 31), 1) == d(2028, 2, 29)
    assert r.add_months(d(2026, 10, 15), 3) == d(2027, 1, 15)
    assert r.add_months(d(2026, 3, 31), -3) == d(2025, 12, 31)
    assert r.add_months(d(2026, 5, 31), -3) == d(2026, 2, 28)
    assert r.add_months(d(2026, 6, 30), 0) == d(2026, 6, 30)


def test_questionnaire_opening_dates():
    d = datetime.date
    kw = {"months": 3, "first_session": d(2026, 1, 5), "last_session": d(2026, 3, 2)}
    assert r.questionnaire_opens_on(r.START, last_attended=None, **kw) == d(2026, 1, 5)
    assert r.questionnaire_opens_on(r.AT_END, last_attended=None, **kw) is None
    assert r.questionnaire_opens_on(r.AT_END, last_attended=d(2026, 2, 2), **kw) == d(2026, 2, 2)
    assert r.questionnaire_opens_on(r.END, last_attended=d(2026, 2, 2), **kw) == d(2026, 3, 2)
    assert r.questionnaire_opens_on(r.LATER, last_attended=d(2026, 2, 2), **kw) == d(2026, 5, 2)
    kw["months"] = 6
    assert r.questionnaire_opens_on(r.LATER, last_attended=d(2026, 8, 31), **kw) == d(2027, 2, 28)
    with pytest.raises(ValueError):
        r.questionnaire_opens_on("X", last_attended=d(2026, 2, 2), **kw)


def test_link_expiry():
    d = datetime.date
    issued = d(2026, 1, 1)
    assert not r.link_expired(issued, issued)
    assert not r.link_expired(issued, issued + datetime.timedelta(days=400))
    assert r.link_expired(issued, issued + datetime.timedelta(days=401))
    assert r.link_expired(issued, issued - datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("06 12 34 56 78", True),
        ("07.12.34.56.78", True),
        ("+33 6 12 34 56 78", True),
        ("0033712345678", True),
        ("01 44 55 66 77", False),
        ("09 70 80 90 00", False),
        ("06 12 34 56", False),
        ("", False),
        ("+33 1 44 55 66 77", False),
    ],
)
def test_is_mobile(phone, expected):
    assert r.is_mobile(phone) is expected
