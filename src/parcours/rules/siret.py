"""Numéro SIRET : 14 chiffres dont le dernier est une clé de Luhn.

Cas particulier de La Poste (SIREN ``356000000``) : ses établissements sont trop nombreux pour
la clé de Luhn ; un SIRET de La Poste est valable si la somme simple de ses chiffres est un
multiple de 5 (le siège, ``356 000 000 00048``, passe aussi la clé de Luhn).
Espaces permis entre les chiffres ; écriture normalisée : les 14 chiffres collés.
"""

from __future__ import annotations

__all__ = ["MESSAGE", "normalise"]

MESSAGE = (
    "Numéro SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle "
    "(vérifiez la saisie)."
)
LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    """La clé de Luhn : en partant de la droite, un chiffre sur deux doublé (9 ôté au-delà de 9),
    la somme est un multiple de 10."""
    total = 0
    for rank, char in enumerate(reversed(digits)):
        value = int(char)
        if rank % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise(text: str) -> str | None:
    """Les 14 chiffres du SIRET, ou ``None`` s'il est mal formé ou si sa clé est fausse."""
    digits = text.replace(" ", "")
    if len(digits) != 14 or not digits.isascii() or not digits.isdigit():
        return None
    if luhn_ok(digits):
        return digits
    if digits.startswith(LA_POSTE_SIREN) and sum(int(c) for c in digits) % 5 == 0:
        return digits
    return None
