from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import offers
from parcours.rules.offers import OfferFacts, funnel

SENT = date(2026, 3, 1)


def test_funnel_exact_counts():
    records = [
        OfferFacts("ENVOYEE", SENT),
        OfferFacts("SANS_REPONSE", SENT),
        OfferFacts("REFUSEE", SENT),
        OfferFacts("ACCEPTEE", SENT, helped_on=date(2026, 3, 20)),
        OfferFacts("ACCEPTEE", SENT, helped_on=None),
        OfferFacts("SANS_REPONSE", SENT, helped_on=date(2026, 5, 30)),  # aidée sans répondre
    ]
    assert funnel(records) == {"envoyees": 6, "repondues": 3, "acceptees": 2, "aidees": 2}
    assert funnel([]) == {"envoyees": 0, "repondues": 0, "acceptees": 0, "aidees": 0}


@pytest.mark.parametrize(
    ("helped_on", "helped"),
    [
        (date(2026, 3, 1), True),  # le jour même
        (date(2026, 5, 30), True),  # 90 jours
        (date(2026, 5, 31), False),  # 91 jours
        (date(2026, 2, 28), False),  # avant l'envoi
        (None, False),
    ],
)
def test_helped_within_90_days(helped_on, helped):
    assert offers.is_helped(SENT, helped_on) is helped


def test_transitions():
    assert offers.transition_error("ENVOYEE", "ACCEPTEE") is None
    assert offers.transition_error("SANS_REPONSE", "REFUSEE") is None
    assert offers.transition_error("ACCEPTEE", "REFUSEE") == (
        "Une offre « Acceptée » ne peut pas passer à « Refusée »."
    )
    assert offers.transition_error("REFUSEE", "ENVOYEE") is not None
    assert offers.transition_error("X", "ENVOYEE") == "État d'offre inconnu."
    assert [s for s in offers.TRANSITIONS if offers.can_remind(s)] == ["ENVOYEE", "SANS_REPONSE"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(offers.TRANSITIONS)),
            st.one_of(st.none(), st.integers(min_value=-30, max_value=200)),
        ),
        max_size=50,
    )
)
def test_funnel_is_monotone(items):
    records = [
        OfferFacts(s, SENT, None if d is None else SENT + timedelta(days=d)) for s, d in items
    ]
    result = funnel(records)
    assert result["envoyees"] == len(records)
    assert result["envoyees"] >= result["repondues"] >= result["acceptees"]
    assert result["aidees"] <= result["envoyees"]


@pytest.mark.parametrize(
    ("state", "today", "overdue"),
    [
        ("ENVOYEE", date(2026, 3, 30), False),  # 29 jours
        ("ENVOYEE", date(2026, 3, 31), True),  # 30 jours
        ("SANS_REPONSE", date(2026, 6, 1), False),  # déjà sans réponse
        ("ACCEPTEE", date(2026, 6, 1), False),
    ],
)
def test_overdue_after_30_days(state, today, overdue):
    assert offers.is_overdue(state, SENT, today) is overdue
