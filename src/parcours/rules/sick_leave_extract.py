"""Rows of the sick-leave extract (``extrait_arrets``, formats.md §3): header and row checks.

Pure functions: the caller reads the file (UTF-8, optional BOM, ``;``, ``"`` quoting) and gives
the header, each row as a list of strings, the set of known commune codes and the extraction
date. Every problem is reported with its column and a French reason; a row with at least one
problem is rejected as a whole.

Required values: ``nir``, ``nom``, ``prenom``, ``sexe``, ``date_naissance``, ``commune_insee``
(it gives the département of residence) and ``date_debut_arret``; the others may be empty.
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
    "REQUIRED",
    "ExtractRow",
    "HeaderError",
    "check_header",
    "parse_row",
]

COLUMNS = (
    *IDENTITY_COLUMNS[:8],
    "date_debut_arret",
    "risque",
    *IDENTITY_COLUMNS[8:],
)
REQUIRED = IDENTITY_REQUIRED | {"date_debut_arret"}
RISQUES = ("MALADIE", "AT_MP")


@dataclass(frozen=True, slots=True)
class ExtractRow(IdentityRow):
    identity: Identity
    sick_leave_start: date
    risk: str


def check_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Position of each column, and the extra columns (ignored, worth a warning).

    Column names are compared after trimming spaces and lower-casing; order is free. Raises
    :class:`HeaderError` naming every missing or repeated column.
    """
    return _check_header(header, COLUMNS)


def parse_row(
    values: list[str],
    line: int,
    positions: dict[str, int],
    communes: dict[str, str] | frozenset[str] | set[str],
    extraction_date: date,
) -> tuple[ExtractRow | None, list[tuple[str, str]]]:
    """One data row: the parsed row, or ``None`` and the ``(column, reason)`` problems.

    ``communes`` holds the known INSEE codes (a mapping code -> département is accepted).
    The identity columns are checked by :func:`.extract_identity.parse_identity`; the NIR
    itself never appears in a reason.
    """
    cell = cells(values, positions)
    if isinstance(cell, list):
        return None, cell
    errors: list[tuple[str, str]] = []
    identity = parse_identity(cell, line, communes, extraction_date, errors)
    start = None
    if not cell["date_debut_arret"]:
        errors.append(("date_debut_arret", "valeur obligatoire manquante"))
    else:
        start = parse_date(cell["date_debut_arret"], "date_debut_arret", errors)
    if start is not None and start > extraction_date:
        errors.append(("date_debut_arret", "début d'arrêt postérieur à la date d'extraction"))
    if start is not None and identity is not None and start < identity.birth_date:
        errors.append(("date_debut_arret", "début d'arrêt antérieur à la date de naissance"))
    if cell["risque"] and cell["risque"] not in RISQUES:
        errors.append(
            ("risque", f"code risque « {cell['risque']} » inconnu (attendu : MALADIE ou AT_MP)")
        )
    if errors or identity is None or start is None:
        return None, errors
    return ExtractRow(identity=identity, sick_leave_start=start, risk=cell["risque"]), []
