"""Subventions aux partenaires : appels à projets, candidatures, montants accordés, versements.

- **État d'un appel** au jour ``today`` : « en préparation » avant l'ouverture des candidatures ;
  « ouvert » de l'ouverture à la clôture, bornes comprises ; « clos » après la clôture tant
  qu'une candidature attend sa décision (ou qu'aucune n'est arrivée) ; « décidé » après la
  clôture quand chaque candidature reçue est retenue ou rejetée.
- **Candidature** : ``DEPOSEE → INSTRUITE → RETENUE | REJETEE`` ; rien d'autre (``TRANSITIONS``).
- **Convention** : une année de subvention exige une convention du partenaire dont la période
  touche cette année (au moins un jour entre le 1er janvier et le 31 décembre).
- **Versements** : leur somme ne dépasse jamais le montant accordé pour l'année ; le reste à
  verser est ``accordé − versé`` ; le taux, ``versé / accordé`` en pour cent (à 0,1 près).
- **Budget d'un appel** : le total accordé (toutes années) ne dépasse jamais le budget.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

# ---------------------------------------------------------------- appels à projets

DRAFT = "preparation"
OPEN = "ouvert"
CLOSED = "clos"
DECIDED = "decide"

CALL_LABELS = {
    DRAFT: "En préparation",
    OPEN: "Ouvert",
    CLOSED: "Clos",
    DECIDED: "Décidé",
}


def call_status(
    opens_on: datetime.date,
    closes_on: datetime.date,
    today: datetime.date,
    *,
    received: int = 0,
    pending: int = 0,
) -> str:
    """L'état de l'appel dont les candidatures s'ouvrent ``opens_on`` et se closent
    ``closes_on`` ; ``received`` candidatures reçues dont ``pending`` sans décision."""
    if today < opens_on:
        return DRAFT
    if today <= closes_on:
        return OPEN
    if received > 0 and pending == 0:
        return DECIDED
    return CLOSED


def received_in_window(
    received_on: datetime.date, opens_on: datetime.date, closes_on: datetime.date
) -> bool:
    """Une candidature compte si elle est reçue entre l'ouverture et la clôture incluses."""
    return opens_on <= received_on <= closes_on


# ---------------------------------------------------------------- candidatures

SUBMITTED = "DEPOSEE"
UNDER_REVIEW = "INSTRUITE"
RETAINED = "RETENUE"
REJECTED = "REJETEE"

APPLICATION_LABELS = {
    SUBMITTED: "Déposée",
    UNDER_REVIEW: "Instruite",
    RETAINED: "Retenue",
    REJECTED: "Rejetée",
}

#: Les seuls passages permis ; une décision (retenue, rejetée) est définitive.
TRANSITIONS: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({UNDER_REVIEW}),
    UNDER_REVIEW: frozenset({RETAINED, REJECTED}),
    RETAINED: frozenset(),
    REJECTED: frozenset(),
}

DECISIONS = frozenset({RETAINED, REJECTED})


def transition_error(current: str, target: str) -> str | None:
    """``None`` si la candidature peut passer de ``current`` à ``target`` ; sinon le refus."""
    if current not in TRANSITIONS or target not in TRANSITIONS:
        return "État de candidature inconnu."
    if target in TRANSITIONS[current]:
        return None
    if current in DECISIONS:
        return (
            f"La candidature est déjà {APPLICATION_LABELS[current].lower()} : "
            "la décision ne se modifie plus."
        )
    if current == target:
        return f"La candidature est déjà {APPLICATION_LABELS[current].lower()}."
    return (
        f"Une candidature {APPLICATION_LABELS[current].lower()} ne peut pas passer à "
        f"« {APPLICATION_LABELS[target].lower()} » : "
        + (
            "elle doit d'abord être instruite."
            if current == SUBMITTED
            else "elle est retenue ou rejetée."
        )
    )


# ---------------------------------------------------------------- conventions et montants

CENT = Decimal("0.01")


def convention_covers(start: datetime.date, end: datetime.date | None, year: int) -> bool:
    """Vrai si la convention ``[start, end]`` a au moins un jour dans l'année ``year`` (``end``
    vide : sans date de fin)."""
    return start <= datetime.date(year, 12, 31) and (
        end is None or end >= datetime.date(year, 1, 1)
    )


def remaining(granted: Decimal, paid: Decimal) -> Decimal:
    """Ce qui reste à verser (jamais négatif : un trop-versé est refusé en amont)."""
    return max(Decimal(granted) - Decimal(paid), Decimal(0)).quantize(CENT)


def ratio_pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` en pour cent, arrondi à 0,1 ; ``None`` quand ``whole`` est nul."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def payment_error(granted: Decimal, paid: Decimal, amount: Decimal) -> str | None:
    """``None`` si un versement de ``amount`` passe (déjà ``paid`` sur ``granted``)."""
    if amount <= 0:
        return "Le montant d'un versement est positif."
    if paid + amount > granted:
        return (
            f"Ce versement dépasserait le montant accordé : il reste {euros(granted - paid)} "
            f"à verser sur {euros(granted)}."
        )
    return None


def budget_error(budget: Decimal, granted_total: Decimal, amount: Decimal) -> str | None:
    """``None`` si accorder ``amount`` de plus tient dans le budget de l'appel."""
    if amount <= 0:
        return "Le montant accordé est positif."
    if granted_total + amount > budget:
        return (
            f"Le budget de l'appel serait dépassé : il reste {euros(budget - granted_total)} "
            f"sur {euros(budget)}."
        )
    return None


def euros(amount: Decimal) -> str:
    """« 12 500 € », « 1 250,50 € » (espace fine insécable entre les milliers)."""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount) * 100, 100)
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    if cents:
        return f"{sign}{grouped},{int(cents):02d} €"
    return f"{sign}{grouped} €"
