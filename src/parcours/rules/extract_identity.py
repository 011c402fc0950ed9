"""Identity columns shared by the targeting files (formats.md §3, §4 and §6.4): header checks,
the person's identity in a row, its problems. Pure functions.

The sick-leave extract (:mod:`.sick_leave_extract`), the events file (:mod:`.events_extract`)
and the identity columns of the retirees file (``observatory.services.targeting``) all parse
``nir``, ``nom``, ``prenom``, ``sexe``, ``date_naissance``, ``commune_insee``, ``adresse``,
``code_postal``, ``telephone`` and ``email`` here, with the same French reasons. A reason never
quotes the NIR itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from . import nir as nir_rules

__all__ = [
    "IdentityRow",
    "IDENTITY_COLUMNS",
    "IDENTITY_REQUIRED",
    "SEXES",
    "HeaderError",
    "Identity",
    "check_header",
    "parse_date",
    "parse_identity",
]

IDENTITY_COLUMNS = (
    "nir",
    "nom",
    "prenom",
    "sexe",
    "date_naissance",
    "commune_insee",
    "adresse",
    "code_postal",
    "telephone",
    "email",
)
IDENTITY_REQUIRED = frozenset({"nir", "nom", "prenom", "sexe", "date_naissance", "commune_insee"})
SEXES = ("F", "M")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_POSTAL = re.compile(r"\d{5}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_LENGTHS = {"nom": 100, "prenom": 150, "adresse": 300, "telephone": 30, "email": 254}

Problems = list[tuple[str, str]]


class HeaderError(ValueError):
    """The file is refused as a whole; ``message`` names what is wrong (French)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Identity:
    """The person of one valid row (``birth_date`` may be ``None`` only where the file does not
    require it, which no targeting file does today)."""

    line: int
    nir: str  # validated, 15 characters
    last_name: str
    first_names: str
    sex: str
    birth_date: date
    commune: str
    address: str
    postal_code: str
    phone: str
    email: str


class IdentityRow:
    """A parsed row holding an :class:`Identity` (``self.identity``): its line, NIR, birth date
    and commune read through, for the targeting mechanism (any kind of file)."""

    __slots__ = ()
    identity: Identity

    @property
    def line(self) -> int:
        return self.identity.line

    @property
    def nir(self) -> str:
        return self.identity.nir

    @property
    def birth_date(self) -> date:
        return self.identity.birth_date

    @property
    def commune(self) -> str:
        return self.identity.commune


def check_header(header: Sequence[str], columns: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Position of each of ``columns``, and the extra columns (ignored, worth a warning).

    Names are compared after trimming spaces and lower-casing; order is free. Raises
    :class:`HeaderError` naming every missing or repeated column.
    """
    names = [h.strip().lower() for h in header]
    repeated = sorted({n for n in names if n in columns and names.count(n) > 1})
    if repeated:
        raise HeaderError("Colonnes en double dans l'en-tête : " + ", ".join(repeated) + ".")
    missing = [c for c in columns if c not in names]
    if missing:
        raise HeaderError(
            "Colonnes manquantes dans l'en-tête (ligne 1) : "
            + ", ".join(missing)
            + ". Attendu : "
            + ";".join(columns)
            + "."
        )
    extra = [h for h in names if h not in columns]
    return {c: names.index(c) for c in columns}, extra


def parse_date(value: str, column: str, errors: Problems) -> date | None:
    """An ISO date ``AAAA-MM-JJ``, or ``None`` and a problem of ``column``."""
    if not _ISO_DATE.fullmatch(value):
        errors.append((column, f"« {value} » n'est pas une date AAAA-MM-JJ"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append((column, f"« {value} » n'est pas une date qui existe"))
        return None


def parse_identity(
    cell: Mapping[str, str],
    line: int,
    communes: Collection[str],
    extraction_date: date,
    errors: Problems,
) -> Identity | None:
    """The identity of a row whose cells (trimmed strings) are in ``cell``; its problems are
    appended to ``errors`` as ``(column, reason)``. ``communes`` holds the known INSEE codes (a
    mapping code → département is accepted). ``None`` when a problem was found."""
    before = len(errors)
    for column in IDENTITY_COLUMNS:
        if column in IDENTITY_REQUIRED and not cell.get(column, ""):
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
        parse_date(cell["date_naissance"], "date_naissance", errors)
        if cell["date_naissance"]
        else None
    )
    if birth is not None and birth > extraction_date:
        errors.append(("date_naissance", "date de naissance postérieure à la date d'extraction"))
    if cell["commune_insee"] and cell["commune_insee"].upper() not in communes:
        errors.append(("commune_insee", f"code commune « {cell['commune_insee']} » inconnu"))
    if cell["code_postal"] and not _POSTAL.fullmatch(cell["code_postal"]):
        errors.append(("code_postal", f"« {cell['code_postal']} » : 5 chiffres attendus"))
    if cell["email"] and not _EMAIL.fullmatch(cell["email"]):
        errors.append(("email", f"« {cell['email']} » n'est pas une adresse de courriel"))
    for column, limit in MAX_LENGTHS.items():
        if len(cell[column]) > limit:
            errors.append(
                (column, f"valeur trop longue ({len(cell[column])} caractères, {limit} au plus)")
            )
    if len(errors) > before or birth is None:
        return None
    return Identity(
        line=line,
        nir=nir,
        last_name=cell["nom"],
        first_names=cell["prenom"],
        sex=cell["sexe"],
        birth_date=birth,
        commune=cell["commune_insee"].upper(),
        address=cell["adresse"],
        postal_code=cell["code_postal"],
        phone=cell["telephone"],
        email=cell["email"],
    )


def cells(values: Sequence[str], positions: Mapping[str, int]) -> dict[str, str] | Problems:
    """The trimmed cells of a row by column name, or the problem of an incomplete row."""
    if len(values) < max(positions.values()) + 1:
        return [("", f"ligne incomplète : {len(values)} valeurs pour {len(positions)} colonnes")]
    return {c: values[i].strip() for c, i in positions.items()}
