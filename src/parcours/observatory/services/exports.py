"""Le journal des exports de l'observatoire : des totaux par territoire, aucune personne
(``personnes`` vaut 0), mais qui a remis quelle liste, selon quels critères, reste tracé."""

from __future__ import annotations

from parcours.core import audit
from parcours.core.models import AuditEntry, User


def record_list_export(*, actor: User, what: str, rows: int, criteria: dict) -> AuditEntry:
    """Un fichier de lignes de communes (formats.md §6.3) remis à ``actor``."""
    return audit.record_export(
        actor=actor, what=what, count=0, criteria={**criteria, "lignes": rows}
    )
