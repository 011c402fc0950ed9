"""Case (accompagnement) life cycle and closure rules (domaine.md §4–5, formats.md §1).

States: ``ouvert`` -> (``clore``) -> ``clos`` -> (``rouvrir``) -> ``ouvert``.
Error functions return French messages keyed by the field they concern; an empty result means
the input is acceptable. Dates are given by the caller (``today`` included).
"""

from __future__ import annotations

from datetime import date

from .calendar import format_fr

__all__ = [
    "CLOSE",
    "CLOSED",
    "EVENT_LABELS",
    "GENERAL_OUTCOMES",
    "OPEN",
    "OUTCOME_LABELS",
    "PDP",
    "PDP_OUTCOMES",
    "PDP_RISKS",
    "PDP_SECTORS",
    "REOPEN",
    "RISK_LABELS",
    "SECTOR_LABELS",
    "STATES",
    "STATE_LABELS",
    "TRANSITIONS",
    "TransitionError",
    "allowed_events",
    "allowed_outcomes",
    "closure_errors",
    "contact_date_errors",
    "next_state",
]

OPEN = "ouvert"
CLOSED = "clos"
STATES = (OPEN, CLOSED)
STATE_LABELS = {OPEN: "Ouvert", CLOSED: "Clos"}

CLOSE = "clore"
REOPEN = "rouvrir"
EVENT_LABELS = {CLOSE: "Clore l'accompagnement", REOPEN: "Rouvrir l'accompagnement"}

TRANSITIONS: dict[tuple[str, str], str] = {
    (OPEN, CLOSE): CLOSED,
    (CLOSED, REOPEN): OPEN,
}

_FORBIDDEN_MESSAGES = {
    (CLOSED, CLOSE): "L'accompagnement est déjà clos.",
    (OPEN, REOPEN): "L'accompagnement est déjà ouvert : il n'y a rien à rouvrir.",
}


class TransitionError(ValueError):
    """Forbidden or unknown transition; ``message`` is in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def next_state(state: str, event: str) -> str:
    """State reached from ``state`` by ``event``, or :class:`TransitionError`."""
    if state not in STATE_LABELS:
        raise TransitionError(f"État d'accompagnement inconnu : « {state} ».")
    if event not in EVENT_LABELS:
        raise TransitionError(f"Action inconnue sur un accompagnement : « {event} ».")
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise TransitionError(
            _FORBIDDEN_MESSAGES.get(
                (state, event),
                f"Action « {EVENT_LABELS[event]} » impossible : l'accompagnement est "
                f"{STATE_LABELS[state].lower()}.",
            )
        ) from None


def allowed_events(state: str) -> tuple[str, ...]:
    """Events allowed from ``state`` (empty for an unknown state), in table order."""
    return tuple(event for (source, event) in TRANSITIONS if source == state)


# --- Closure outcomes (formats.md §1) -----------------------------------------------------

PDP = "PDP"
PDP_OUTCOMES = (
    "MAINTIEN_EMPLOI",
    "LICENCIEMENT_INAPTITUDE",
    "INVALIDITE_RETRAITE",
    "PARCOURS_SOINS",
)
GENERAL_OUTCOMES = (
    "OBJECTIFS_ATTEINTS",
    "ORIENTATION_PARTENAIRE",
    "ABANDON",
    "DECES",
    "DEMENAGEMENT",
    "AUTRE",
)
OUTCOME_LABELS = {
    "MAINTIEN_EMPLOI": "Maintien dans l'emploi",
    "LICENCIEMENT_INAPTITUDE": "Licenciement pour inaptitude, orientation vers l'emploi",
    "INVALIDITE_RETRAITE": "Invalidité ou retraite sans reprise",
    "PARCOURS_SOINS": "Parcours de soins en cours, reprise suspendue",
    "OBJECTIFS_ATTEINTS": "Objectifs atteints",
    "ORIENTATION_PARTENAIRE": "Orientation vers un partenaire",
    "ABANDON": "Abandon",
    "DECES": "Décès",
    "DEMENAGEMENT": "Déménagement",
    "AUTRE": "Autre",
}
PDP_RISKS = ("MALADIE", "AT_MP")
RISK_LABELS = {
    "MALADIE": "Maladie / invalidité",
    "AT_MP": "Accident du travail / maladie professionnelle",
}
PDP_SECTORS = (
    "INDUSTRIE",
    "CONSTRUCTION",
    "TERTIAIRE_MARCHAND",
    "TERTIAIRE_NON_MARCHAND",
    "AGRICULTURE",
)
SECTOR_LABELS = {
    "INDUSTRIE": "Industrie",
    "CONSTRUCTION": "Construction",
    "TERTIAIRE_MARCHAND": "Tertiaire marchand",
    "TERTIAIRE_NON_MARCHAND": "Tertiaire non marchand",
    "AGRICULTURE": "Agriculture",
}


def allowed_outcomes(programme: str) -> tuple[str, ...]:
    """PDP: the four PDP outcomes then the general ones; any other programme: the general ones."""
    if programme == PDP:
        return PDP_OUTCOMES + GENERAL_OUTCOMES
    return GENERAL_OUTCOMES


def closure_errors(
    programme: str,
    outcome: str | None,
    closed_on: date | None,
    opened_on: date,
    today: date,
    risk: str | None = None,
    sector: str | None = None,
) -> dict[str, str]:
    """Errors preventing the closure, as ``{field: French message}``.

    Fields: ``outcome`` (required, allowed for the programme), ``closed_on`` (required, not
    before ``opened_on``, not after ``today``), and for PDP only ``risk`` (MALADIE / AT_MP) and
    ``sector`` (the five PDP sectors), both required. For other programmes ``risk`` and
    ``sector`` are ignored.
    """
    errors: dict[str, str] = {}

    if not outcome:
        errors["outcome"] = "Indiquez l'issue de l'accompagnement."
    elif outcome not in OUTCOME_LABELS:
        errors["outcome"] = f"Issue inconnue : « {outcome} »."
    elif outcome not in allowed_outcomes(programme):
        errors["outcome"] = (
            f"L'issue « {OUTCOME_LABELS[outcome]} » est réservée au programme PDP "
            "(prévention de la désinsertion professionnelle)."
        )

    if closed_on is None:
        errors["closed_on"] = "Indiquez la date de clôture."
    elif closed_on < opened_on:
        errors["closed_on"] = (
            "La date de clôture ne peut pas être antérieure à l'ouverture de "
            f"l'accompagnement ({format_fr(opened_on)})."
        )
    elif closed_on > today:
        errors["closed_on"] = "La date de clôture ne peut pas être dans le futur."

    if programme == PDP:
        if not risk:
            errors["risk"] = (
                "Indiquez le risque (maladie ou accident du travail / maladie professionnelle) : "
                "il est obligatoire pour le programme PDP."
            )
        elif risk not in RISK_LABELS:
            errors["risk"] = f"Risque inconnu : « {risk} »."
        if not sector:
            errors["sector"] = (
                "Indiquez le secteur d'activité : il est obligatoire pour le programme PDP."
            )
        elif sector not in SECTOR_LABELS:
            errors["sector"] = f"Secteur d'activité inconnu : « {sector} »."

    return errors


def contact_date_errors(
    contact_on: date | None, opened_on: date, closed_on: date | None, today: date
) -> list[str]:
    """Errors on the date of an interview (entretien) recorded in a case, in French.

    Refused: a missing date, a date after ``today``, before the case's opening, or after its
    closure (when ``closed_on`` is set). The opening day and the closure day are accepted.
    Several messages may be returned (e.g. future and after closure).
    """
    if contact_on is None:
        return ["Indiquez la date de l'entretien."]
    errors = []
    if contact_on > today:
        errors.append("La date de l'entretien ne peut pas être dans le futur.")
    if contact_on < opened_on:
        errors.append(
            "La date de l'entretien ne peut pas être antérieure à l'ouverture de "
            f"l'accompagnement ({format_fr(opened_on)})."
        )
    if closed_on is not None and contact_on > closed_on:
        errors.append(
            "La date de l'entretien ne peut pas être postérieure à la clôture de "
            f"l'accompagnement ({format_fr(closed_on)})."
        )
    return errors
