"""Rows of the sick-leave extract (``extrait_arrets``, formats.md §3): header and row checks.

Pure functions: the caller reads the file (UTF-8, optional BOM, ``;``, ``"`` quoting) and gives
the header, each row as a list of strings, the set of known commune codes and the extraction
date. Every problem is reported with its column and a French reason; a row with at least one
problem is rejected as a whole.

Required values: ``nir``, ``nom``, ``prenom``, ``sexe``, ``date_naissance``, ``commune_insee``
(it gives the département of residence) and ``date_debut_arret``; the others may be empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import nir as nir_rules

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "ExtractRow",
    "HeaderError",
    "check_header",
    "parse_row",
]

COLUMNS = (
    "nir",
    "nom",
    "prenom",
    "sexe",
    "date_naissance",
    "commune_insee",
    "adresse",
    "code_postal",
    "date_debut_arret",
    "risque",
    "telephone",
    "email",
)
REQUIRED = frozenset(
    {"nir", "nom", "prenom", "sexe", "date_naissance", "commune_insee", "date_debut_arret"}
)
SEXES = ("F", "M")
RISQUES = ("MALADIE", "AT_MP")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_POSTAL = re.compile(r"\d{5}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_LENGTHS = {"nom": 100, "prenom": 150, "adresse": 300, "telephone": 30, "email": 254}


class HeaderError(ValueError):
    """The file is refused as a whole; ``message`` names what is wrong (French)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class ExtractRow:
    line: int
    nir: str  # validated, 15 characters
    last_name: str
    first_names: str
    sex: str
    birth_date: date
    commune: str
    address: str
    postal_code: str
    sick_leave_start: date
    risk: str
    phone: str
    email: str


def check_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Position of each column, and the extra columns (ignored, worth a warning).

    Column names are compared after trimming spaces and lower-casing; order is free. Raises
    :class:`HeaderError` naming every missing or repeated column.
    """
    names = [h.strip().lower() for h in header]
    repeated = sorted({n for n in names if n in COLUMNS and names.count(n) > 1})
    if repeated:
        raise HeaderError("Colonnes en double dans l'en-tête : " + ", ".join(repeated) + ".")
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise HeaderError(
            "Colonnes manquantes dans l'en-tête (ligne 1) : "
            + ", ".join(missing)
            + ". Attendu : "
            + ";".join(COLUMNS)
            + "."
        )
    extra = [h for h in names if h not in COLUMNS]
    return {c: names.index(c) for c in COLUMNS}, extra


def _date(value: str, column: str, errors: list[tuple[str, str]]) -> date | None:
    if not _ISO_DATE.fullmatch(value):
        errors.append((column, f"« {value} » n'est pas une date AAAA-MM-JJ"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append((column, f"« {value} » n'est pas une date qui existe"))
        return None


def parse_row(
    values: list[str],
    line: int,
    positions: dict[str, int],
    communes: dict[str, str] | frozenset[str] | set[str],
    extraction_date: date,
) -> tuple[ExtractRow | None, list[tuple[str, str]]]:
    """One data row: the parsed row, or ``None`` and the ``(column, reason)`` problems.

    ``communes`` holds the known INSEE codes (a mapping code -> département is accepted).
    The NIR itself never appears in a reason.
    """
    width = len(positions)
    if len(values) < max(positions.values()) + 1:
        return None, [("", f"ligne incomplète : {len(values)} valeurs pour {width} colonnes")]
    cell = {c: values[i].strip() for c, i in positions.items()}
    errors: list[tuple[str, str]] = []
    for column in COLUMNS:
        if column in REQUIRED and not cell[column]:
            errors.append((column, "valeur obligatoire manquante"))
    nir = ""
    if cell["nir"]:
        try:
            nir = nir_rules.validate(cell["nir"])
        except nir_rules.NirError as error:
            errors.append(("nir", f"NIR invalide : {error.message}"))
    if cell["sexe"] and cell["sexe"] not in SEXES:
        errors.append(("sexe", f"code sexe « {cell['sexe']} » inconnu (attendu : F ou M)"))
    birth = (
        _date(cell["date_naissance"], "date_naissance", errors) if cell["date_naissance"] else None
    )
    if birth is not None and birth > extraction_date:
        errors.append(("date_naissance", "date de naissance postérieure à la date d'extraction"))
    start = (
        _date(cell["date_debut_arret"], "date_debut_arret", errors)
        if cell["date_debut_arret"]
        else None
    )
    if start is not None and start > extraction_date:
        errors.append(("date_debut_arret", "début d'arrêt postérieur à la date d'extraction"))
    if start is not None and birth is not None and start < birth:
        errors.append(("date_debut_arret", "début d'arrêt antérieur à la date de naissance"))
    if cell["commune_insee"] and cell["commune_insee"].upper() not in communes:
        errors.append(("commune_insee", f"code commune « {cell['commune_insee']} » inconnu"))
    if cell["code_postal"] and not _POSTAL.fullmatch(cell["code_postal"]):
        errors.append(("code_postal", f"« {cell['code_postal']} » : 5 chiffres attendus"))
    if cell["risque"] and cell["risque"] not in RISQUES:
        errors.append(
            ("risque", f"code risque « {cell['risque']} » inconnu (attendu : MALADIE ou AT_MP)")
        )
    if cell["email"] and not _EMAIL.fullmatch(cell["email"]):
        errors.append(("email", f"« {cell['email']} » n'est pas une adresse de courriel"))
    for column, limit in MAX_LENGTHS.items():
        if len(cell[column]) > limit:
            errors.append(
                (column, f"valeur trop longue ({len(cell[column])} caractères, {limit} au plus)")
            )
    if errors or birth is None or start is None:
        return None, errors
    return (
        ExtractRow(
            line=line,
            nir=nir,
            last_name=cell["nom"],
            first_names=cell["prenom"],
            sex=cell["sexe"],
            birth_date=birth,
            commune=cell["commune_insee"].upper(),
            address=cell["adresse"],
            postal_code=cell["code_postal"],
            sick_leave_start=start,
            risk=cell["risque"],
            phone=cell["telephone"],
            email=cell["email"],
        ),
        [],
    )
