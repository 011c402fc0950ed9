"""Referral (signalement) workflow (domaine.md §3.2): received → taken in charge → outcome.

States (codes stored in ``Referral.status``)::

    RECU ──prendre_en_charge──▶ PRIS_EN_CHARGE ──▶ RENCONTRE | INJOIGNABLE | REFUS | REORIENTE
      └──────────reorienter──────────────────────────────────────────────▶ REORIENTE
    INJOIGNABLE ──▶ RENCONTRE | REFUS | REORIENTE (the person is reached later)

``RENCONTRE``, ``REFUS`` and ``REORIENTE`` are final. Taking in charge requires an AS; the
answer to the emitter can be sent once the referral has left ``RECU``.
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "FINAL",
    "LABELS",
    "TRANSITIONS",
    "TransitionError",
    "age_in_days",
    "allowed_targets",
    "can_answer_emitter",
    "check_transition",
]

RECU = "RECU"
PRIS_EN_CHARGE = "PRIS_EN_CHARGE"
RENCONTRE = "RENCONTRE"
INJOIGNABLE = "INJOIGNABLE"
REFUS = "REFUS"
REORIENTE = "REORIENTE"

LABELS = {
    RECU: "Reçu",
    PRIS_EN_CHARGE: "Pris en charge",
    RENCONTRE: "Personne rencontrée",
    INJOIGNABLE: "Personne injoignable",
    REFUS: "Refus de la personne",
    REORIENTE: "Réorienté",
}

TRANSITIONS: dict[str, frozenset[str]] = {
    RECU: frozenset({PRIS_EN_CHARGE, REORIENTE}),
    PRIS_EN_CHARGE: frozenset({RENCONTRE, INJOIGNABLE, REFUS, REORIENTE}),
    INJOIGNABLE: frozenset({RENCONTRE, REFUS, REORIENTE}),
    RENCONTRE: frozenset(),
    REFUS: frozenset(),
    REORIENTE: frozenset(),
}
FINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)


class TransitionError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def allowed_targets(state: str) -> list[str]:
    """Next states from ``state``, in the order of :data:`LABELS`."""
    return [s for s in LABELS if s in TRANSITIONS.get(state, frozenset())]


def check_transition(state: str, target: str, *, has_social_worker: bool) -> None:
    """Raise :class:`TransitionError` (French) unless ``state -> target`` is allowed.

    ``PRIS_EN_CHARGE`` needs an AS (``has_social_worker``).
    """
    if state not in TRANSITIONS or target not in TRANSITIONS:
        raise TransitionError("État de signalement inconnu.")
    if state in FINAL:
        raise TransitionError(
            f"Le signalement est clos (« {LABELS[state]} ») : son état ne change plus."
        )
    if target not in TRANSITIONS[state]:
        raise TransitionError(
            f"Un signalement « {LABELS[state]} » ne peut pas passer à « {LABELS[target]} »."
        )
    if target == PRIS_EN_CHARGE and not has_social_worker:
        raise TransitionError("Choisissez l'AS qui prend en charge le signalement.")


def can_answer_emitter(state: str) -> bool:
    """The emitter is told what became of the referral once it has left ``RECU``."""
    return state in TRANSITIONS and state != RECU


def age_in_days(received_on: date, today: date) -> int:
    """Days since reception, ``(today - received_on).days``, never below 0."""
    return max(0, (today - received_on).days)
