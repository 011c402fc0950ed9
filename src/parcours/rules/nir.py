"""NIR (numéro d'inscription au répertoire, « numéro de sécurité sociale »).

Structure of the 15 characters (after :func:`normalize`)::

    index  0     1-2   3-4    5-6          7-9      10-12   13-14
           sexe  année mois   département  commune  ordre   clé
           2     84    05     2A           123      456     78

Checks made by :func:`validate` (in this order, the first failure is reported):

- not empty, then exactly 15 characters;
- sex: ``1`` or ``2``, also ``3``/``4`` and ``7``/``8`` (temporary numbers and people born
  abroad awaiting registration);
- year: 2 digits;
- month: ``01``–``12``, or the INSEE special codes ``20``–``42`` and ``50``–``99`` (unknown or
  fictitious month); ``00``, ``13``–``19`` and ``43``–``49`` are refused;
- département: 2 digits, or ``2A`` / ``2B`` (Corsica) — the only place where a letter is allowed;
- commune: 3 digits; order number: 3 digits; key: 2 digits;
- key = 97 − (13-digit number mod 97), with ``2A`` → ``19`` and ``2B`` → ``18`` before computing.
  The expected key is never shown in the error message.

Not checked (on purpose): consistency with the person's sex and birth date, existence of the
département/commune, the date since when 2A/2B are used.
"""

from __future__ import annotations

import re

__all__ = [
    "NirError",
    "birth_year_month",
    "compute_key",
    "format_display",
    "mask",
    "normalize",
    "sex_from_nir",
    "validate",
]

MASK_CHAR = "•"  # U+2022 BULLET

_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f\u2007\u2010\u2011\u2012\u2013]+")
_NIR13 = re.compile(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}")
_SEX_CODES = frozenset("123478")
_GROUPS = (1, 2, 2, 2, 3, 3, 2)


class NirError(ValueError):
    """Invalid NIR. ``message`` is a French sentence for the user; ``code`` names the failing
    part: ``vide``, ``longueur``, ``sexe``, ``annee``, ``mois``, ``departement``, ``commune``,
    ``ordre``, ``cle_format``, ``cle``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def normalize(raw: str) -> str:
    """Remove spaces (incl. non-breaking and narrow no-break), dots and dashes; uppercase."""
    return _SEPARATORS.sub("", raw or "").upper()


def compute_key(nir13: str) -> int:
    """Key of a 13-character NIR: ``97 − (number mod 97)``, always in 1..97.

    ``2A`` is replaced by ``19`` and ``2B`` by ``18`` at the département position (index 5:7)
    before computing. The input must be exactly 13 characters, already normalized (uppercase,
    no separators); anything else raises ``ValueError``.
    """
    if not isinstance(nir13, str) or not _NIR13.fullmatch(nir13):
        raise ValueError(f"NIR à 13 caractères attendu : {nir13!r}")
    dept = nir13[5:7]
    if dept == "2A":
        nir13 = nir13[:5] + "19" + nir13[7:]
    elif dept == "2B":
        nir13 = nir13[:5] + "18" + nir13[7:]
    return 97 - int(nir13) % 97


def _month_ok(month: str) -> bool:
    if not month.isdecimal() or not month.isascii():
        return False
    m = int(month)
    return 1 <= m <= 12 or 20 <= m <= 42 or 50 <= m <= 99


def _digits(part: str) -> bool:
    return part.isascii() and part.isdecimal()


def validate(raw: str) -> str:
    """Return the normalized 15-character NIR, or raise :class:`NirError` (French message)."""
    nir = normalize(raw)
    if not nir:
        raise NirError("Le NIR est vide : saisissez les 15 caractères (13 + clé).", "vide")
    if len(nir) != 15:
        n = len(nir)
        received = f"{n} reçu" if n < 2 else f"{n} reçus"
        raise NirError(
            f"Le NIR doit comporter 15 caractères (13 + clé de 2 chiffres) : {received}.",
            "longueur",
        )
    if nir[0] not in _SEX_CODES:
        raise NirError(
            "Le 1er caractère du NIR (sexe) doit être 1 ou 2 "
            "(3, 4, 7 ou 8 pour un numéro provisoire).",
            "sexe",
        )
    if not _digits(nir[1:3]):
        raise NirError(
            "L'année de naissance (2e et 3e caractères du NIR) doit comporter 2 chiffres.",
            "annee",
        )
    if not _month_ok(nir[3:5]):
        raise NirError(
            "Le mois de naissance (4e et 5e caractères du NIR) doit être compris entre 01 et 12 "
            "(ou 20 à 42, 50 à 99 pour les cas particuliers).",
            "mois",
        )
    dept = nir[5:7]
    if not (_digits(dept) or dept in ("2A", "2B")):
        raise NirError(
            "Le département de naissance (6e et 7e caractères du NIR) doit comporter "
            "2 chiffres, ou 2A / 2B pour la Corse.",
            "departement",
        )
    if not _digits(nir[7:10]):
        raise NirError(
            "La commune de naissance (8e à 10e caractères du NIR) doit comporter 3 chiffres.",
            "commune",
        )
    if not _digits(nir[10:13]):
        raise NirError(
            "Le numéro d'ordre (11e à 13e caractères du NIR) doit comporter 3 chiffres.",
            "ordre",
        )
    if not _digits(nir[13:15]):
        raise NirError(
            "La clé (2 derniers caractères du NIR) doit comporter 2 chiffres.", "cle_format"
        )
    if compute_key(nir[:13]) != int(nir[13:15]):
        raise NirError(
            "La clé de contrôle ne correspond pas au numéro : vérifiez la saisie.", "cle"
        )
    return nir


def _require15(nir15: str) -> str:
    nir = normalize(nir15)
    if len(nir) != 15:
        raise ValueError("NIR à 15 caractères attendu.")
    return nir


def _group(chars: str) -> str:
    out, i = [], 0
    for size in _GROUPS:
        out.append(chars[i : i + size])
        i += size
    return " ".join(out)


def format_display(nir15: str) -> str:
    """Full NIR grouped 1-2-2-2-3-3-2: ``"2 84 05 2A 123 456 78"``.

    Accepts any spacing (normalized first); raises ``ValueError`` unless 15 characters remain.
    Only for an authorised, logged display: use :func:`mask` everywhere else.
    """
    return _group(_require15(nir15))


def mask(nir15: str) -> str:
    """Masked NIR: sex, birth year and month visible, everything else as ``•`` (U+2022).

    Exact format, same grouping as :func:`format_display` (1-2-2-2-3-3-2, single spaces)::

        "284052A12345678" -> "2 84 05 •• ••• ••• ••"

    Département, commune, order number and key are always hidden (one ``•`` per character).
    Raises ``ValueError`` unless 15 characters remain after normalization.
    """
    nir = _require15(nir15)
    return _group(nir[:5] + MASK_CHAR * 10)


def sex_from_nir(nir15: str) -> str:
    """``"M"`` for 1, 3, 7; ``"F"`` for 2, 4, 8 (codes of formats.md §1); ``ValueError`` else."""
    first = normalize(nir15)[:1]
    if first in ("1", "3", "7"):
        return "M"
    if first in ("2", "4", "8"):
        return "F"
    raise ValueError("Code sexe du NIR inconnu.")


def birth_year_month(nir15: str, reference_year: int | None = None) -> tuple[int, int | None]:
    """Birth year and month read from the NIR.

    Year: the 2 digits as an int (``84``) when ``reference_year`` is None; otherwise the latest
    year ``<= reference_year`` ending with those digits (``84`` with 2026 -> 1984, ``05`` ->
    2005) — a person older than 100 is thus misread, which the caller must accept or check
    against the recorded birth date. Month: 1–12, or None for the special codes (20–42, 50–99).
    """
    nir = normalize(nir15)
    yy, mm = nir[1:3], nir[3:5]
    if not (_digits(yy) and _month_ok(mm)):
        raise ValueError("Année ou mois de naissance illisible dans le NIR.")
    year = int(yy)
    if reference_year is not None:
        year = reference_year - (reference_year - year) % 100
    month = int(mm)
    return year, month if month <= 12 else None
