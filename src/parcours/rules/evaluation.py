"""Needs evaluation: routing between the département and the pension fund, hand-over deadline,
evaluations invoiced under a convention (domaine.md §6).

- GIR 1–4 → the département is competent (APA); GIR 5–6 → the pension fund (plan d'actions
  personnalisé). Whoever evaluates first drafts the plan with the competent body's rules and
  hands the file over; the person has 2 months from the hand-over to file the new request.
- Evaluations made for another organisation are invoiced per convention and period:
  count × unit price (Decimal, euros, cents rounded half up).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .calendar import add_months

__all__ = [
    "CAISSE",
    "DEPARTEMENT",
    "HANDOVER_MONTHS",
    "BODY_LABELS",
    "competent_body",
    "handover_deadline",
    "invoice_amount",
    "needs_handover",
]

DEPARTEMENT = "DEPARTEMENT"
CAISSE = "CAISSE_RETRAITE"
BODY_LABELS = {
    DEPARTEMENT: "Conseil départemental (allocation personnalisée d'autonomie, APA)",
    CAISSE: "Caisse de retraite (plan d'actions personnalisé)",
}
HANDOVER_MONTHS = 2


def competent_body(gir: int) -> str:
    """GIR 1–4 → the département (APA); GIR 5–6 → the pension fund."""
    if gir not in range(1, 7):
        raise ValueError(f"GIR {gir!r} invalide : attendu 1 à 6.")
    return DEPARTEMENT if gir <= 4 else CAISSE


def needs_handover(gir: int, evaluating_body: str) -> bool:
    """True when the evaluation concludes that the *other* body is competent."""
    return competent_body(gir) != evaluating_body


def handover_deadline(handed_over_on: date) -> date:
    """The person's new request must be filed within 2 months of the hand-over."""
    return add_months(handed_over_on, HANDOVER_MONTHS)


def invoice_amount(count: int, unit_price: Decimal) -> Decimal:
    """Amount to invoice for ``count`` evaluations at ``unit_price`` euros (to the cent)."""
    if count < 0 or unit_price < 0:
        raise ValueError("Le nombre et le prix unitaire doivent être positifs.")
    return (Decimal(count) * unit_price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
