"""Durées de conservation (formats.md §8) : bornes permises et dates seuils.

Règles pures. Une durée est un nombre de mois ou d'années calendaires ; une donnée datée du jour
``d`` a fait son temps le jour ``add_months(d, durée)`` (l'anniversaire est inclus : un dossier
clos le 15/03/2020, gardé 5 ans, est anonymisable à partir du 15/03/2025). Les fins de mois se
ramènent au dernier jour du mois (31 octobre + 4 mois = 28 ou 29 février ; 29 février + 1 an =
28 février).

:func:`cutoffs` donne, pour un jour d'application ``as_of``, la **dernière date** de chaque
catégorie qui a fait son temps : la purge retient ce qui est daté **au plus tard** du seuil
(``date <= seuil``). À cause du ramenage en fin de mois, le seuil n'est pas toujours
``as_of − durée`` : le 28/02/2029, avec 5 ans, le seuil est le 29/02/2024 (29 février 2024 + 5 ans
= 28 février 2029).

Bornes (:data:`BOUNDS`), choisies et consignées dans docs/decisions.md :

- dossiers clos : 1 à 10 ans après la dernière clôture ;
- personnes ciblées jamais jointes : 1 à 24 mois après le ciblage ;
- fichiers importés : 1 à 12 mois ;
- journal des accès et écritures : 1 à 10 ans (au moins un an, pour répondre à une personne qui
  demande qui a lu son dossier).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from .calendar import add_months

__all__ = [
    "BOUNDS",
    "DEFAULTS",
    "Bound",
    "Cutoffs",
    "Periods",
    "cutoff_for",
    "cutoffs",
    "has_expired",
    "validate",
]


@dataclass(frozen=True)
class Bound:
    """Valeurs permises d'une durée : ``minimum`` à ``maximum`` inclus, en ``unit``."""

    label: str
    unit: str  # "ans" ou "mois"
    minimum: int
    maximum: int

    @property
    def months_per_unit(self) -> int:
        return 12 if self.unit == "ans" else 1


#: champ de RetentionRules → bornes
BOUNDS: dict[str, Bound] = {
    "closed_files_years": Bound("Dossiers clos", "ans", 1, 10),
    "unreached_targets_months": Bound("Personnes ciblées jamais jointes", "mois", 1, 24),
    "import_files_months": Bound("Fichiers importés", "mois", 1, 12),
    "audit_years": Bound("Journal", "ans", 1, 10),
}

#: les valeurs par défaut de formats.md §8
DEFAULTS: dict[str, int] = {
    "closed_files_years": 5,
    "unreached_targets_months": 12,
    "import_files_months": 3,
    "audit_years": 5,
}


class Periods(Protocol):
    """Ce que :func:`cutoffs` lit : un ``RetentionRules`` ou tout objet de mêmes attributs."""

    closed_files_years: int
    unreached_targets_months: int
    import_files_months: int
    audit_years: int


def validate(values: dict[str, object]) -> dict[str, str]:
    """Les erreurs (champ → message français) des durées ``values`` ; vide si tout va.

    Chaque champ de :data:`BOUNDS` est requis, entier (pas booléen), entre ses bornes incluses.
    """
    errors: dict[str, str] = {}
    for field, bound in BOUNDS.items():
        value = values.get(field)
        if value is None or value == "":
            errors[field] = f"{bound.label} : indiquez une durée en {bound.unit}."
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[field] = f"{bound.label} : la durée s'écrit en chiffres, en {bound.unit}."
        elif not bound.minimum <= value <= bound.maximum:
            errors[field] = (
                f"{bound.label} : de {bound.minimum} à {bound.maximum} {bound.unit} "
                f"(vous avez écrit {value})."
            )
    return errors


def has_expired(dated: date, months: int, as_of: date) -> bool:
    """La donnée datée ``dated`` a-t-elle fait son temps (``months`` mois) le jour ``as_of`` ?"""
    return as_of >= add_months(dated, months)


def cutoff_for(as_of: date, months: int) -> date:
    """La dernière date qui a fait son temps (``months`` mois) le jour ``as_of``.

    ``has_expired(d, months, as_of)`` équivaut exactement à ``d <= cutoff_for(as_of, months)``.
    """
    if months < 0:
        raise ValueError("Une durée de conservation n'est pas négative.")
    cutoff = add_months(as_of, -months)
    one_day = timedelta(days=1)
    # ramenage en fin de mois : les jours suivants peuvent atteindre le même anniversaire
    # (au plus trois : 29, 30, 31 → 28 février)
    while add_months(cutoff + one_day, months) <= as_of:
        cutoff += one_day
    return cutoff


@dataclass(frozen=True)
class Cutoffs:
    """Dates seuils d'une purge au jour ``as_of`` : ce qui est daté au plus tard du seuil a fait
    son temps.

    - ``closed_files`` : date de la dernière clôture d'une personne sans rien d'ouvert ;
    - ``unreached_targets`` : date de l'exécution du ciblage d'une personne jamais jointe ;
    - ``import_files`` : date du dépôt d'un fichier importé ;
    - ``audit`` : date d'une entrée du journal.
    """

    as_of: date
    closed_files: date
    unreached_targets: date
    import_files: date
    audit: date


def cutoffs(rules: Periods, as_of: date) -> Cutoffs:
    """Les dates seuils des durées ``rules`` appliquées le jour ``as_of``."""
    return Cutoffs(
        as_of=as_of,
        closed_files=cutoff_for(as_of, 12 * rules.closed_files_years),
        unreached_targets=cutoff_for(as_of, rules.unreached_targets_months),
        import_files=cutoff_for(as_of, rules.import_files_months),
        audit=cutoff_for(as_of, 12 * rules.audit_years),
    )
