"""Aid request life cycle, decision route and processing-time indicators (domaine.md §7).

request ``recue`` → completeness: ``a_completer`` (missing documents listed, the clock stops)
or ``complete`` → social worker's opinion ``avis_rendu`` → decision, delegated to a manager
within the aid's ceiling, otherwise on a commission's agenda ``en_commission`` → ``accordee`` /
``refusee`` / ``ajournee`` (back on a later agenda) → ``payee`` once paid.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from decimal import Decimal

from .aid_rules import euros

__all__ = [
    "ACCORDEE",
    "AJOURNEE",
    "A_COMPLETER",
    "AVIS_RENDU",
    "COMMISSION",
    "COMPLETE",
    "DELEGATION",
    "EN_COMMISSION",
    "EVENT_LABELS",
    "PAYEE",
    "RECUE",
    "REFUSEE",
    "STATE_LABELS",
    "TRANSITIONS",
    "ProcessingTimes",
    "TransitionError",
    "allowed_events",
    "budget_warning",
    "decile",
    "decision_route",
    "next_state",
    "processing_times",
    "recovery_rate",
]

RECUE = "recue"
A_COMPLETER = "a_completer"
COMPLETE = "complete"
AVIS_RENDU = "avis_rendu"
EN_COMMISSION = "en_commission"
ACCORDEE = "accordee"
REFUSEE = "refusee"
AJOURNEE = "ajournee"
PAYEE = "payee"

STATE_LABELS = {
    RECUE: "Reçue, en instruction",
    A_COMPLETER: "À compléter",
    COMPLETE: "Complète, en attente de l'avis",
    AVIS_RENDU: "Avis rendu, en attente de décision",
    EN_COMMISSION: "Inscrite en commission",
    ACCORDEE: "Accordée",
    REFUSEE: "Refusée",
    AJOURNEE: "Ajournée",
    PAYEE: "Payée",
}
EVENT_LABELS = {
    "demander_pieces": "Demander des pièces",
    "declarer_complete": "Déclarer complète",
    "donner_avis": "Donner l'avis",
    "inscrire_commission": "Inscrire en commission",
    "accorder": "Accorder",
    "refuser": "Refuser",
    "ajourner": "Ajourner",
    "payer": "Enregistrer le paiement",
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (RECUE, "demander_pieces"): A_COMPLETER,
    (RECUE, "declarer_complete"): COMPLETE,
    (A_COMPLETER, "declarer_complete"): COMPLETE,
    (COMPLETE, "donner_avis"): AVIS_RENDU,
    (AVIS_RENDU, "accorder"): ACCORDEE,
    (AVIS_RENDU, "refuser"): REFUSEE,
    (AVIS_RENDU, "inscrire_commission"): EN_COMMISSION,
    (EN_COMMISSION, "accorder"): ACCORDEE,
    (EN_COMMISSION, "refuser"): REFUSEE,
    (EN_COMMISSION, "ajourner"): AJOURNEE,
    (AJOURNEE, "inscrire_commission"): EN_COMMISSION,
    (ACCORDEE, "payer"): PAYEE,
}

DELEGATION = "delegation"
COMMISSION = "commission"


class TransitionError(ValueError):
    """Forbidden transition; the message is in French."""


def next_state(state: str, event: str) -> str:
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise TransitionError(
            f"Action « {EVENT_LABELS.get(event, event)} » impossible : la demande est "
            f"« {STATE_LABELS.get(state, state)} »."
        ) from None


def allowed_events(state: str) -> list[str]:
    return [event for (s, event) in TRANSITIONS if s == state]


def decision_route(amount: Decimal, ceiling: Decimal | None) -> str:
    """Delegated to a manager when the amount is within the aid's ceiling (inclusive);
    otherwise (or without a ceiling) the commission decides."""
    if ceiling is not None and Decimal(amount) <= Decimal(ceiling):
        return DELEGATION
    return COMMISSION


def budget_warning(allocated: Decimal, committed: Decimal, amount: Decimal) -> str:
    """A French warning when granting ``amount`` would exceed the budget line ('' otherwise)."""
    after = Decimal(committed) + Decimal(amount)
    if after > Decimal(allocated):
        return (
            f"Attention : accorder {euros(amount)} porterait les engagements de la ligne à "
            f"{euros(after)}, au-delà de sa dotation de {euros(allocated)}."
        )
    return ""


def decile(values: list[int], k: int) -> int | None:
    """k-th decile (k = 1..9) by the nearest-rank method: the smallest value such that at least
    k × 10 % of the values are ≤ it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(k * len(ordered) / 10)
    return ordered[max(rank, 1) - 1]


@dataclass(frozen=True)
class ProcessingTimes:
    count: int
    median: Decimal | None
    share_within_40_days: Decimal | None  # percent, one decimal
    decile_8: int | None
    decile_9: int | None


def processing_times(days: list[int], limit: int = 40) -> ProcessingTimes:
    """Median, share within ``limit`` days (inclusive, percent rounded half up to 0.1), 8th and
    9th deciles of processing times in days."""
    if not days:
        return ProcessingTimes(0, None, None, None, None)
    median = Decimal(str(statistics.median(days)))
    within = sum(1 for d in days if d <= limit)
    share = (Decimal(within) * 100 / len(days)).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    return ProcessingTimes(len(days), median, share, decile(days, 8), decile(days, 9))


def recovery_rate(total: Decimal, recovered: Decimal) -> Decimal | None:
    """Share of overpayments recovered, percent rounded half up to 0.1 (None without any)."""
    if not total:
        return None
    return (Decimal(recovered) * 100 / Decimal(total)).quantize(
        Decimal("0.1"), rounding="ROUND_HALF_UP"
    )
