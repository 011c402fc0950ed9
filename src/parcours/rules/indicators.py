"""Status of an indicator against its yearly target (the contracts' legend, domaine.md §10).

- ``atteint``: the value reaches the target (>= when higher is better, <= when lower is better);
- ``progres``: not met, but better than the previous period (moving towards the target);
- ``recul``: not met, and not better than the previous period (or no previous value).

Values are compared exactly (``Decimal``); an unknown value or target gives no status (None).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = [
    "ATTEINT",
    "HIGHER",
    "LOWER",
    "PROGRES",
    "RECUL",
    "STATUS_LABELS",
    "status",
    "trend",
]

HIGHER = "hausse"
LOWER = "baisse"
ATTEINT = "atteint"
PROGRES = "progres"
RECUL = "recul"
STATUS_LABELS = {
    ATTEINT: "Objectif atteint",
    PROGRES: "Non atteint, en progrès",
    RECUL: "Non atteint, en recul",
}


def _better(a: Decimal, b: Decimal, direction: str) -> bool:
    return a > b if direction == HIGHER else a < b


def status(
    value: Decimal | None, target: Decimal | None, previous: Decimal | None, direction: str
) -> str | None:
    """The legend status of ``value`` against ``target``, given last period's value."""
    if direction not in (HIGHER, LOWER):
        raise ValueError(direction)
    if value is None or target is None:
        return None
    if value == target or _better(value, target, direction):
        return ATTEINT
    if previous is not None and _better(value, previous, direction):
        return PROGRES
    return RECUL


def trend(value: Decimal | None, previous: Decimal | None) -> str | None:
    """``hausse``, ``baisse`` or ``stable`` from the previous period; None when unknown."""
    if value is None or previous is None:
        return None
    if value > previous:
        return HIGHER
    if value < previous:
        return LOWER
    return "stable"
