"""Case life cycle, closure rules and contact dates."""

from datetime import date

import pytest

from parcours.rules import case_workflow as wf
from parcours.rules.case_workflow import (
    GENERAL_OUTCOMES,
    PDP_OUTCOMES,
    TransitionError,
    allowed_events,
    allowed_outcomes,
    closure_errors,
    contact_date_errors,
    next_state,
)

OPENED = date(2026, 1, 15)
TODAY = date(2026, 5, 20)


def test_transition_table():
    assert wf.TRANSITIONS == {("ouvert", "clore"): "clos", ("clos", "rouvrir"): "ouvert"}
    assert wf.STATES == ("ouvert", "clos")
    assert set(wf.STATE_LABELS) == set(wf.STATES)
    assert {event for (_, event) in wf.TRANSITIONS} == set(wf.EVENT_LABELS)


@pytest.mark.parametrize(
    ("state", "event", "expected"),
    [("ouvert", "clore", "clos"), ("clos", "rouvrir", "ouvert")],
)
def test_allowed_transitions(state, event, expected):
    assert next_state(state, event) == expected


@pytest.mark.parametrize(
    ("state", "event", "message"),
    [
        ("clos", "clore", "L'accompagnement est déjà clos."),
        ("ouvert", "rouvrir", "L'accompagnement est déjà ouvert : il n'y a rien à rouvrir."),
        ("ferme", "clore", "État d'accompagnement inconnu : « ferme »."),
        ("ouvert", "supprimer", "Action inconnue sur un accompagnement : « supprimer »."),
        ("", "", "État d'accompagnement inconnu : «  »."),
    ],
)
def test_forbidden_transitions(state, event, message):
    with pytest.raises(TransitionError) as info:
        next_state(state, event)
    assert info.value.message == message
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_allowed_events():
    assert allowed_events("ouvert") == ("clore",)
    assert allowed_events("clos") == ("rouvrir",)
    assert allowed_events("inconnu") == ()


def test_outcome_lists():
    assert PDP_OUTCOMES == (
        "MAINTIEN_EMPLOI",
        "LICENCIEMENT_INAPTITUDE",
        "INVALIDITE_RETRAITE",
        "PARCOURS_SOINS",
    )
    assert GENERAL_OUTCOMES == (
        "OBJECTIFS_ATTEINTS",
        "ORIENTATION_PARTENAIRE",
        "ABANDON",
        "DECES",
        "DEMENAGEMENT",
        "AUTRE",
    )
    assert set(wf.OUTCOME_LABELS) == set(PDP_OUTCOMES + GENERAL_OUTCOMES)
    assert wf.PDP_RISKS == ("MALADIE", "AT_MP")
    assert wf.PDP_SECTORS == (
        "INDUSTRIE",
        "CONSTRUCTION",
        "TERTIAIRE_MARCHAND",
        "TERTIAIRE_NON_MARCHAND",
        "AGRICULTURE",
    )
    assert set(wf.RISK_LABELS) == set(wf.PDP_RISKS)
    assert set(wf.SECTOR_LABELS) == set(wf.PDP_SECTORS)


@pytest.mark.parametrize(
    ("programme", "expected"),
    [
        ("PDP", PDP_OUTCOMES + GENERAL_OUTCOMES),
        ("PARCOURS_SANTE", GENERAL_OUTCOMES),
        ("RETOUR_DOMICILE", GENERAL_OUTCOMES),
        ("BIEN_VIEILLIR", GENERAL_OUTCOMES),
        ("DEUIL", GENERAL_OUTCOMES),
        ("AUTRE", GENERAL_OUTCOMES),
        ("pdp", GENERAL_OUTCOMES),  # codes are exact
        ("", GENERAL_OUTCOMES),
    ],
)
def test_allowed_outcomes(programme, expected):
    assert allowed_outcomes(programme) == expected


def close(programme="PDP", **overrides):
    values = {
        "outcome": "MAINTIEN_EMPLOI" if programme == "PDP" else "OBJECTIFS_ATTEINTS",
        "closed_on": TODAY,
        "opened_on": OPENED,
        "today": TODAY,
        "risk": "MALADIE",
        "sector": "INDUSTRIE",
    }
    values.update(overrides)
    return closure_errors(programme, **values)


def test_closure_ok():
    assert close() == {}
    assert close("DEUIL", risk=None, sector=None) == {}
    assert close(closed_on=OPENED) == {}  # closed the day it was opened
    assert close(risk="AT_MP", sector="TERTIAIRE_NON_MARCHAND") == {}


@pytest.mark.parametrize("outcome", PDP_OUTCOMES + GENERAL_OUTCOMES)
def test_every_outcome_allowed_for_pdp(outcome):
    assert close(outcome=outcome) == {}


@pytest.mark.parametrize("outcome", GENERAL_OUTCOMES)
def test_general_outcomes_allowed_everywhere(outcome):
    assert close("BIEN_VIEILLIR", outcome=outcome) == {}


def test_positional_signature():
    assert closure_errors("PDP", "ABANDON", TODAY, OPENED, TODAY, "MALADIE", "AGRICULTURE") == {}


@pytest.mark.parametrize("outcome", [None, ""])
def test_outcome_required(outcome):
    assert close(outcome=outcome) == {"outcome": "Indiquez l'issue de l'accompagnement."}


def test_outcome_unknown():
    assert close(outcome="REUSSITE") == {"outcome": "Issue inconnue : « REUSSITE »."}


@pytest.mark.parametrize("outcome", PDP_OUTCOMES)
def test_pdp_outcome_refused_elsewhere(outcome):
    errors = close("RETOUR_DOMICILE", outcome=outcome)
    assert errors == {
        "outcome": f"L'issue « {wf.OUTCOME_LABELS[outcome]} » est réservée au programme PDP "
        "(prévention de la désinsertion professionnelle)."
    }


def test_closed_on_required():
    assert close(closed_on=None) == {"closed_on": "Indiquez la date de clôture."}


def test_closed_on_before_opening():
    assert close(closed_on=date(2026, 1, 14)) == {
        "closed_on": "La date de clôture ne peut pas être antérieure à l'ouverture de "
        "l'accompagnement (15/01/2026)."
    }


def test_closed_on_in_the_future():
    assert close(closed_on=date(2026, 5, 21)) == {
        "closed_on": "La date de clôture ne peut pas être dans le futur."
    }
    assert close(closed_on=date(2026, 5, 20)) == {}


@pytest.mark.parametrize("risk", [None, ""])
def test_pdp_risk_required(risk):
    assert close(risk=risk) == {
        "risk": "Indiquez le risque (maladie ou accident du travail / maladie professionnelle) : "
        "il est obligatoire pour le programme PDP."
    }


def test_pdp_risk_unknown():
    assert close(risk="CHOMAGE") == {"risk": "Risque inconnu : « CHOMAGE »."}


@pytest.mark.parametrize("sector", [None, ""])
def test_pdp_sector_required(sector):
    assert close(sector=sector) == {
        "sector": "Indiquez le secteur d'activité : il est obligatoire pour le programme PDP."
    }


def test_pdp_sector_unknown():
    assert close(sector="COMMERCE") == {"sector": "Secteur d'activité inconnu : « COMMERCE »."}


def test_risk_and_sector_ignored_outside_pdp():
    assert close("DEUIL", risk="N_IMPORTE", sector=None) == {}


def test_all_errors_at_once():
    errors = closure_errors("PDP", None, None, OPENED, TODAY, None, None)
    assert set(errors) == {"outcome", "closed_on", "risk", "sector"}


# --- contact dates -------------------------------------------------------------------------

FUTURE = "La date de l'entretien ne peut pas être dans le futur."
BEFORE = (
    "La date de l'entretien ne peut pas être antérieure à l'ouverture de l'accompagnement "
    "(15/01/2026)."
)
AFTER = (
    "La date de l'entretien ne peut pas être postérieure à la clôture de l'accompagnement "
    "(31/03/2026)."
)
CLOSED = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("contact", "closed", "errors"),
    [
        (OPENED, None, []),
        (TODAY, None, []),
        (date(2026, 5, 21), None, [FUTURE]),
        (date(2026, 1, 14), None, [BEFORE]),
        (CLOSED, CLOSED, []),
        (date(2026, 4, 1), CLOSED, [AFTER]),
        (date(2026, 5, 21), CLOSED, [FUTURE, AFTER]),
        (date(2026, 1, 14), CLOSED, [BEFORE]),
    ],
)
def test_contact_date_errors(contact, closed, errors):
    assert contact_date_errors(contact, OPENED, closed, TODAY) == errors


def test_contact_date_missing():
    assert contact_date_errors(None, OPENED, None, TODAY) == ["Indiquez la date de l'entretien."]
