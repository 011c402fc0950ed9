"""Numéros de téléphone : validation et écriture normalisée de chaque champ téléphone.

Acceptés (espaces, points, tirets et parenthèses permis entre les chiffres) :

- un numéro national : 10 chiffres commençant par ``0`` suivi de 1 à 9 (métropole et
  départements d'outre-mer : ``06 12 34 56 78``, ``0262 12 34 56``) ;
- le même en international : ``+33``, ``0033`` ou ``+33 (0)`` puis 9 chiffres (``+33 6 12 34 56
  78``), et les indicatifs des départements d'outre-mer (``+262``, ``+590``, ``+594``,
  ``+596`` puis 9 chiffres : ``+262 692 12 34 56`` → ``06 92 12 34 56``, Mayotte comprise) ;
- les collectivités d'outre-mer à numérotation propre (``+687``, ``+689``, ``+508``, ``+681``),
  gardées en international.

Numéros courts des services (``short=True``, pour le numéro qu'un organisme indique dans ses
courriers) : 4 chiffres commençant par 3 (``39 60``, ``36 46``).

Écriture normalisée : ``06 12 34 56 78`` (national, par paires) ou ``+687 12 34 56``.
``normalise`` est idempotente : un numéro normalisé se relit en lui-même.
"""

from __future__ import annotations

import re

__all__ = ["MESSAGE", "SHORT_MESSAGE", "normalise"]

SHORT_MESSAGE = (
    "Numéro de téléphone invalide : 10 chiffres commençant par 0 (par exemple 04 72 00 00 00), "
    "ou un numéro court de 4 chiffres commençant par 3 (par exemple 39 60)."
)
MESSAGE = (
    "Numéro de téléphone invalide : 10 chiffres commençant par 0 (par exemple 06 12 34 56 78), "
    "ou au format international +33 6 12 34 56 78."
)

#: Indicatifs dont le numéro national s'écrit 0 + les 9 chiffres qui suivent.
NATIONAL_CODES = ("33", "262", "590", "594", "596")
#: Collectivités d'outre-mer : indicatif → nombre de chiffres du numéro.
OVERSEAS_LENGTHS = {"687": 6, "689": 8, "508": 6, "681": 6}

_ALLOWED = re.compile(r"^\+?[0-9 .\-()]+$")
_NATIONAL = re.compile(r"^0[1-9][0-9]{8}$")
_SHORT = re.compile(r"^3[0-9]{3}$")


def _pairs(digits: str) -> str:
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def normalise(raw: str, *, short: bool = False) -> str | None:
    """Le numéro ``raw`` écrit de façon normalisée, ou ``None`` s'il n'est pas un numéro
    français valable (``""`` reste ``""`` : le champ est facultatif) ; ``short`` : les numéros
    courts des services sont acceptés aussi."""
    text = (raw or "").strip()
    if not text:
        return ""
    if not _ALLOWED.match(text) or text.count("+") > 1 or "+" in text[1:]:
        return None
    digits = re.sub(r"[^0-9]", "", text)
    international = text.startswith("+") or digits.startswith("00")
    if not international:
        if short and _SHORT.match(digits):
            return _pairs(digits)
        return _pairs(digits) if _NATIONAL.match(digits) else None
    digits = digits[2:] if digits.startswith("00") and not text.startswith("+") else digits
    if text.startswith("+") and digits.startswith("00"):
        return None
    for code in NATIONAL_CODES:
        if digits.startswith(code):
            rest = digits[len(code) :]
            if code == "33" and rest.startswith("0") and "(0)" in text.replace(" ", ""):
                rest = rest[1:]  # +33 (0)6 12 34 56 78
            national = "0" + rest
            return _pairs(national) if _NATIONAL.match(national) else None
    for code, length in OVERSEAS_LENGTHS.items():
        if digits.startswith(code):
            rest = digits[len(code) :]
            if len(rest) == length:
                return f"+{code} {_pairs(rest)}"
            return None
    return None
