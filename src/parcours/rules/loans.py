"""Social loans (prêts, crédits sociaux): repayment schedule with a minimum monthly repayment.

The schedule repays ``principal`` in equal monthly instalments of ``monthly`` euros (at least
the aid's minimum), the last instalment taking the remainder: it always sums to the loan, to
the cent. No interest (social loans are interest-free).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .calendar import add_months

__all__ = ["Instalment", "LoanError", "outstanding", "schedule"]

CENT = Decimal("0.01")


class LoanError(ValueError):
    """Invalid loan terms; the message is in French."""


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: date
    amount: Decimal


def schedule(
    principal: Decimal, monthly: Decimal, first_due_on: date, minimum: Decimal | None = None
) -> list[Instalment]:
    """Instalments of ``monthly`` (≥ ``minimum``) from ``first_due_on``; sums to the loan."""
    principal = Decimal(principal).quantize(CENT, rounding=ROUND_HALF_UP)
    monthly = Decimal(monthly).quantize(CENT, rounding=ROUND_HALF_UP)
    if principal <= 0:
        raise LoanError("Le montant du prêt doit être positif.")
    if monthly <= 0:
        raise LoanError("La mensualité doit être positive.")
    if minimum is not None and monthly < minimum:
        raise LoanError(f"La mensualité ({monthly} €) est inférieure au minimum de {minimum} €.")
    monthly = min(monthly, principal)
    count, remainder = divmod(principal, monthly)
    amounts = [monthly] * int(count)
    if remainder:
        amounts.append(remainder)
    return [
        Instalment(number=i, due_on=add_months(first_due_on, i - 1), amount=amount)
        for i, amount in enumerate(amounts, 1)
    ]


def outstanding(principal: Decimal, repaid: list[Decimal]) -> Decimal:
    """What remains to be repaid (never negative: an overpayment is the caller's concern)."""
    rest = Decimal(principal) - sum((Decimal(r) for r in repaid), Decimal(0))
    return max(rest, Decimal(0)).quantize(CENT)
