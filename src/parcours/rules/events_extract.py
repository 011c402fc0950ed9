"""Rows of the events file for targeting (``evenements``, formats.md §6.4): header and row checks.

The same CSV conventions and the same identity columns as the sick-leave extract (formats.md §3,
parsed by :mod:`.extract_identity`), with ``evenement`` (one of :data:`EVENTS`) and
``date_evenement`` instead of ``date_debut_arret`` and ``risque``. Pure functions: the caller
reads the file and gives the header, each row as a list of strings, the known communes and the
extraction date. Every problem is reported with its column and a French reason; a row with at
least one problem is rejected as a whole (an unknown event code is an error of its row).

Required values: the identity (``nir``, ``nom``, ``prenom``, ``sexe``, ``date_naissance``,
``commune_insee``), ``evenement`` and ``date_evenement`` (not after the extraction date, not
before the birth date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .extract_identity import (
    IDENTITY_COLUMNS,
    IDENTITY_REQUIRED,
    HeaderError,
    Identity,
    IdentityRow,
    cells,
    parse_date,
    parse_identity,
)
from .extract_identity import check_header as _check_header

__all__ = [
    "COLUMNS",
    "EVENTS",
    "REQUIRED",
    "EventRow",
    "HeaderError",
    "check_header",
    "parse_row",
]

#: the event codes of formats.md §6.4, with their French label
EVENTS: dict[str, str] = {
    "NOUVEAU_RETRAITE": "nouveau retraité",
    "REVERSION": "nouvelle pension de réversion",
    "C2S": "nouvelle complémentaire santé solidaire",
    "SEPARATION": "séparation",
    "NAISSANCE": "naissance",
    "DECES_CONJOINT": "décès du conjoint",
    "IMPAYE_LOYER": "impayé de loyer",
    "SORTIE_HOSPITALISATION": "sortie d'hospitalisation",
    "PLUS_90_ANS": "90 ans et plus",
}
COLUMNS = (*IDENTITY_COLUMNS, "evenement", "date_evenement")
REQUIRED = IDENTITY_REQUIRED | {"evenement", "date_evenement"}


@dataclass(frozen=True, slots=True)
class EventRow(IdentityRow):
    identity: Identity
    event: str
    event_date: date


def check_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Position of each column, and the extra columns (ignored, worth a warning); raises
    :class:`HeaderError` naming every missing or repeated column."""
    return _check_header(header, COLUMNS)


def parse_row(
    values: list[str],
    line: int,
    positions: dict[str, int],
    communes: dict[str, str] | frozenset[str] | set[str],
    extraction_date: date,
) -> tuple[EventRow | None, list[tuple[str, str]]]:
    """One data row: the parsed row, or ``None`` and the ``(column, reason)`` problems."""
    cell = cells(values, positions)
    if isinstance(cell, list):
        return None, cell
    errors: list[tuple[str, str]] = []
    identity = parse_identity(cell, line, communes, extraction_date, errors)
    event = cell["evenement"].upper()
    if not event:
        errors.append(("evenement", "valeur obligatoire manquante"))
    elif event not in EVENTS:
        errors.append(
            (
                "evenement",
                f"code événement « {cell['evenement']} » inconnu (attendu : "
                + ", ".join(EVENTS)
                + ")",
            )
        )
    when = None
    if not cell["date_evenement"]:
        errors.append(("date_evenement", "valeur obligatoire manquante"))
    else:
        when = parse_date(cell["date_evenement"], "date_evenement", errors)
    if when is not None and when > extraction_date:
        errors.append(("date_evenement", "événement postérieur à la date d'extraction"))
    if when is not None and identity is not None and when < identity.birth_date:
        errors.append(("date_evenement", "événement antérieur à la date de naissance"))
    if errors or identity is None or when is None:
        return None, errors
    return EventRow(identity=identity, event=event, event_date=when), []
