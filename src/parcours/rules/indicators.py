"""Status and trend of an indicator (the contracts' legend, domaine.md §10).

Status against the yearly target:

- ``atteint``: the value reaches the target (>= when higher is better, <= when lower is better);
- ``progres``: not met, but better than the previous period (moving towards the target);
- ``recul``: not met, and not better than the previous period;
- ``non_atteint``: not met, and no previous value to compare with (no trend without data);
- ``sans_objectif``: no target for the year;
- ``sans_valeur``: no value this year (no record, zero denominator).

Trend from the previous period: ``hausse``, ``baisse``, ``stable``, or ``sans_anterieur`` when
either value is missing. Every outcome has a French label; values are compared exactly
(``Decimal``). Both functions always return one of these codes, never None.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = [
    "ATTEINT",
    "HIGHER",
    "LOWER",
    "NON_ATTEINT",
    "NO_PREVIOUS",
    "NO_TARGET",
    "NO_VALUE",
    "PROGRES",
    "RECUL",
    "STABLE",
    "STATUS_LABELS",
    "TREND_LABELS",
    "status",
    "trend",
]

HIGHER = "hausse"
LOWER = "baisse"
STABLE = "stable"
NO_PREVIOUS = "sans_anterieur"

ATTEINT = "atteint"
PROGRES = "progres"
RECUL = "recul"
NON_ATTEINT = "non_atteint"
NO_TARGET = "sans_objectif"
NO_VALUE = "sans_valeur"

#: libellés de la légende, dans l'ordre où la page les présente
STATUS_LABELS = {
    ATTEINT: "Objectif atteint",
    PROGRES: "Non atteint, en progrès",
    RECUL: "Non atteint, en recul",
    NON_ATTEINT: "Non atteint, pas de valeur antérieure",
    NO_TARGET: "Sans objectif",
    NO_VALUE: "Pas de valeur cette année",
}
TREND_LABELS = {
    HIGHER: "En hausse",
    LOWER: "En baisse",
    STABLE: "Stable",
    NO_PREVIOUS: "Pas de valeur antérieure",
}


def _better(a: Decimal, b: Decimal, direction: str) -> bool:
    return a > b if direction == HIGHER else a < b


def status(
    value: Decimal | None, target: Decimal | None, previous: Decimal | None, direction: str
) -> str:
    """The legend status of ``value`` against ``target``, given last period's value."""
    if direction not in (HIGHER, LOWER):
        raise ValueError(direction)
    if value is None:
        return NO_VALUE
    if target is None:
        return NO_TARGET
    if value == target or _better(value, target, direction):
        return ATTEINT
    if previous is None:
        return NON_ATTEINT
    if _better(value, previous, direction):
        return PROGRES
    return RECUL


def trend(value: Decimal | None, previous: Decimal | None) -> str:
    """``hausse``, ``baisse`` or ``stable`` from the previous period; ``sans_anterieur`` when
    either value is missing."""
    if value is None or previous is None:
        return NO_PREVIOUS
    if value > previous:
        return HIGHER
    if value < previous:
        return LOWER
    return STABLE
