"""AGGIR grid → rank → GIR, the official algorithm (décret n°97-427, annexe II; CASF annexe 2-2).

Reproduces ``reference/aggir.md`` exactly: ten discriminant variables coded A/B/C; for each group
A → H, the sum of the values of the person's modalities is compared with the group's thresholds;
the first group that gives a rank wins. Modality A is worth 0 everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "GROUPS",
    "MODALITIES",
    "MODALITY_LABELS",
    "VARIABLES",
    "VARIABLE_LABELS",
    "AggirError",
    "GirResult",
    "compute",
    "gir_of_rank",
    "grid_errors",
    "group_sum",
    "rank_of",
]

VARIABLES = ("COH", "ORI", "TOI", "HAB", "ALI", "ELI", "TRA", "DPI", "DPE", "COM")
MODALITIES = ("A", "B", "C")

# The guide's wording of each discriminant variable (what the evaluator assesses).
VARIABLE_LABELS = {
    "COH": "Cohérence : converser et se comporter de façon sensée",
    "ORI": "Orientation : se repérer dans le temps, les moments de la journée et les lieux",
    "TOI": "Toilette : assurer son hygiène corporelle",
    "HAB": "Habillage : s'habiller, se déshabiller, se présenter",
    "ALI": "Alimentation : se servir et manger les aliments préparés",
    "ELI": "Élimination : assurer l'hygiène de l'élimination urinaire et fécale",
    "TRA": "Transferts : se lever, se coucher, s'asseoir",
    "DPI": "Déplacement à l'intérieur : avec ou sans canne, déambulateur, fauteuil roulant",
    "DPE": "Déplacement à l'extérieur : à partir de la porte d'entrée, sans moyen de transport",
    "COM": "Communication à distance : utiliser les moyens de communication (téléphone, alarme…)",
}
MODALITY_LABELS = {
    "A": "A — fait seul, totalement, habituellement et correctement",
    "B": "B — fait partiellement, ou non habituellement, ou non correctement",
    "C": "C — ne fait pas",
}

# group → values (C, B) of COH ORI TOI HAB ALI ELI TRA DPI DPE COM; A is worth 0.
_TABLE = {
    "A": "2000/0 1200/0 40/16 40/16 60/20 100/16 800/120 200/32 0/0 0/0",
    "B": "1500/320 1200/120 40/16 40/16 60/0 100/16 800/120 -80/-40 0/0 0/0",
    "C": "0/0 0/0 40/16 40/16 60/20 160/20 1000/200 400/40 0/0 0/0",
    "D": "0/0 0/0 0/0 0/0 2000/200 400/200 2000/200 200/0 0/0 0/0",
    "E": "400/0 400/0 400/100 400/100 400/100 800/100 800/100 200/0 0/0 0/0",
    "F": "200/0 200/100 500/100 500/100 500/100 500/100 500/100 500/0 200/0 0/0",
    "G": "150/0 150/0 300/200 300/200 500/200 500/200 400/200 200/100 0/0 0/0",
    "H": "0/0 0/0 3000/2000 3000/2000 3000/2000 3000/2000 1000/2000 1000/1000 0/0 0/0",
}
GROUPS: dict[str, dict[str, tuple[int, int]]] = {
    group: {
        variable: (int(pair.split("/")[0]), int(pair.split("/")[1]))
        for variable, pair in zip(VARIABLES, row.split(), strict=True)
    }
    for group, row in _TABLE.items()
}

# group → ordered list of (lower bound inclusive, rank); below the last bound: next group.
_THRESHOLDS: dict[str, list[tuple[int, int]]] = {
    "A": [(4380, 1), (4140, 2), (3390, 3)],
    "B": [(2016, 4)],
    "C": [(1700, 5), (1432, 6)],
    "D": [(2400, 7)],
    "E": [(1200, 8)],
    "F": [(800, 9)],
    "G": [(650, 10)],
    "H": [(4000, 11), (2000, 12), (-(10**9), 13)],
}

_GIR_OF_RANK = {1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 4, 11: 4, 12: 5, 13: 6}


class AggirError(ValueError):
    """An invalid grid; ``message`` is in French."""


@dataclass(frozen=True)
class GirResult:
    gir: int
    rank: int
    group: str
    total: int


def grid_errors(grid: dict[str, str]) -> dict[str, str]:
    """French message per faulty variable (missing, or not A/B/C); empty when the grid is valid."""
    errors = {}
    for variable in VARIABLES:
        value = grid.get(variable)
        if value is None or str(value).strip() == "":
            errors[variable] = f"{variable} : valeur manquante (attendu A, B ou C)."
        elif str(value).strip().upper() not in MODALITIES:
            errors[variable] = f"{variable} : « {value} » n'est pas une modalité A, B ou C."
    return errors


def _normalised(grid: dict[str, str]) -> dict[str, str]:
    errors = grid_errors(grid)
    if errors:
        raise AggirError(" ".join(errors.values()))
    return {v: str(grid[v]).strip().upper() for v in VARIABLES}


def group_sum(group: str, grid: dict[str, str]) -> int:
    """Sum of the group's values for the person's modalities (A = 0)."""
    values = GROUPS[group]
    total = 0
    for variable, modality in _normalised(grid).items():
        c_value, b_value = values[variable]
        total += c_value if modality == "C" else b_value if modality == "B" else 0
    return total


def rank_of(grid: dict[str, str]) -> tuple[int, str, int]:
    """(rank 1..13, deciding group, its sum)."""
    for group in "ABCDEFGH":
        total = group_sum(group, grid)
        for lower, rank in _THRESHOLDS[group]:
            if total >= lower:
                return rank, group, total
    raise AssertionError("group H always gives a rank")  # pragma: no cover


def gir_of_rank(rank: int) -> int:
    return _GIR_OF_RANK[rank]


def compute(grid: dict[str, str]) -> GirResult:
    """GIR (1 = most dependent … 6 = autonomous) of an AGGIR grid; raises AggirError if invalid."""
    rank, group, total = rank_of(grid)
    return GirResult(gir=_GIR_OF_RANK[rank], rank=rank, group=group, total=total)
