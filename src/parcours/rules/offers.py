"""Offers of service (offres de service, domaine.md §3.4): statuses, reminders and the funnel.

Statuses (formats.md §1): ``ENVOYEE`` → ``SANS_REPONSE`` | ``REFUSEE`` | ``ACCEPTEE``; a late
answer moves ``SANS_REPONSE`` to ``REFUSEE`` or ``ACCEPTEE``. ``REFUSEE`` and ``ACCEPTEE`` are
final. A reminder (relance) may be sent while the offer is ``ENVOYEE`` or ``SANS_REPONSE``.

Funnel of a campaign, from the records::

    envoyees   every offer
    repondues  status REFUSEE or ACCEPTEE
    acceptees  status ACCEPTEE
    aidees     the person was actually helped: an interview (contact of a case) or a collective
               session attended on a day d with 0 <= (d - sent_on).days <= 90
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = [
    "HELPED_WITHIN_DAYS",
    "NO_ANSWER_AFTER_DAYS",
    "is_overdue",
    "TRANSITIONS",
    "OfferFacts",
    "can_remind",
    "funnel",
    "is_helped",
    "transition_error",
]

HELPED_WITHIN_DAYS = 90
NO_ANSWER_AFTER_DAYS = 30
ENVOYEE, SANS_REPONSE, REFUSEE, ACCEPTEE = "ENVOYEE", "SANS_REPONSE", "REFUSEE", "ACCEPTEE"
LABELS = {
    ENVOYEE: "Envoyée",
    SANS_REPONSE: "Sans réponse",
    REFUSEE: "Refusée",
    ACCEPTEE: "Acceptée",
}
TRANSITIONS: dict[str, frozenset[str]] = {
    ENVOYEE: frozenset({SANS_REPONSE, REFUSEE, ACCEPTEE}),
    SANS_REPONSE: frozenset({REFUSEE, ACCEPTEE}),
    REFUSEE: frozenset(),
    ACCEPTEE: frozenset(),
}


@dataclass(frozen=True)
class OfferFacts:
    status: str
    sent_on: date
    helped_on: date | None = None  # first interview or attended session on/after sent_on


def transition_error(state: str, target: str) -> str | None:
    """``None`` when ``state -> target`` is allowed, else a French message."""
    if state not in TRANSITIONS or target not in TRANSITIONS:
        return "État d'offre inconnu."
    if target not in TRANSITIONS[state]:
        return f"Une offre « {LABELS[state]} » ne peut pas passer à « {LABELS[target]} »."
    return None


def is_overdue(state: str, sent_on: date, today: date, days: int = NO_ANSWER_AFTER_DAYS) -> bool:
    """An offer still ``ENVOYEE`` becomes ``SANS_REPONSE`` when ``(today - sent_on).days >= 30``:
    sent 1 March -> without answer from 31 March (not on 30 March)."""
    return state == ENVOYEE and (today - sent_on).days >= days


def can_remind(state: str) -> bool:
    return state in {ENVOYEE, SANS_REPONSE}


def is_helped(sent_on: date, helped_on: date | None, days: int = HELPED_WITHIN_DAYS) -> bool:
    """Helped when ``0 <= (helped_on - sent_on).days <= 90``: sent 1 March -> up to 30 May."""
    return helped_on is not None and 0 <= (helped_on - sent_on).days <= days


def funnel(offers: Iterable[OfferFacts], days: int = HELPED_WITHIN_DAYS) -> dict[str, int]:
    counts = {"envoyees": 0, "repondues": 0, "acceptees": 0, "aidees": 0}
    for offer in offers:
        counts["envoyees"] += 1
        if offer.status in {REFUSEE, ACCEPTEE}:
            counts["repondues"] += 1
        if offer.status == ACCEPTEE:
            counts["acceptees"] += 1
        if is_helped(offer.sent_on, offer.helped_on, days):
            counts["aidees"] += 1
    return counts
