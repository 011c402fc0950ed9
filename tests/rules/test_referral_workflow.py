from datetime import date

import pytest

from parcours.rules import referral_workflow as wf


def test_table_is_exact():
    assert {
        "RECU": {"PRIS_EN_CHARGE", "REORIENTE"},
        "PRIS_EN_CHARGE": {"RENCONTRE", "INJOIGNABLE", "REFUS", "REORIENTE"},
        "INJOIGNABLE": {"RENCONTRE", "REFUS", "REORIENTE"},
        "RENCONTRE": set(),
        "REFUS": set(),
        "REORIENTE": set(),
    } == wf.TRANSITIONS
    assert {"RENCONTRE", "REFUS", "REORIENTE"} == wf.FINAL
    assert wf.allowed_targets("PRIS_EN_CHARGE") == [
        "RENCONTRE",
        "INJOIGNABLE",
        "REFUS",
        "REORIENTE",
    ]


@pytest.mark.parametrize("state", list(wf.TRANSITIONS))
@pytest.mark.parametrize("target", list(wf.TRANSITIONS))
def test_every_pair(state, target):
    allowed = target in wf.TRANSITIONS[state]
    if allowed:
        wf.check_transition(state, target, has_social_worker=True)
    else:
        with pytest.raises(wf.TransitionError):
            wf.check_transition(state, target, has_social_worker=True)


def test_messages():
    with pytest.raises(wf.TransitionError) as error:
        wf.check_transition("RENCONTRE", "REFUS", has_social_worker=True)
    assert error.value.message == (
        "Le signalement est clos (« Personne rencontrée ») : son état ne change plus."
    )
    with pytest.raises(wf.TransitionError) as error:
        wf.check_transition("RECU", "RENCONTRE", has_social_worker=True)
    assert error.value.message == (
        "Un signalement « Reçu » ne peut pas passer à « Personne rencontrée »."
    )
    with pytest.raises(wf.TransitionError) as error:
        wf.check_transition("RECU", "PRIS_EN_CHARGE", has_social_worker=False)
    assert error.value.message == "Choisissez l'AS qui prend en charge le signalement."
    with pytest.raises(wf.TransitionError, match="inconnu"):
        wf.check_transition("X", "RECU", has_social_worker=True)


def test_answer_and_age():
    assert not wf.can_answer_emitter("RECU")
    assert all(wf.can_answer_emitter(s) for s in wf.TRANSITIONS if s != "RECU")
    assert wf.age_in_days(date(2026, 6, 1), date(2026, 6, 15)) == 14
    assert wf.age_in_days(date(2026, 6, 1), date(2026, 6, 1)) == 0
    assert wf.age_in_days(date(2026, 6, 2), date(2026, 6, 1)) == 0
