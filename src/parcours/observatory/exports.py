"""Les lignes de formats.md §6.3 écrites en CSV (par ``core.tabular``) ou en JSON : les mêmes
pour la ligne de commande et pour les écrans qui exportent la liste.

CSV : « ; », UTF-8 sans BOM, fin de ligne ``\\n``, l'en-tête exactement celui du contrat ;
drapeaux ``1``/``0`` ; nombres décimaux avec un point et leurs décimales fixes (``score_moyen``
2, ``moyenne_communes`` et ``ecart_type_communes`` 4) ; cellule vide pour une valeur absente
(``score_moyen`` d'une commune secrète). JSON : une liste d'objets avec exactement ces clés, les
nombres en nombres, ``null`` pour une valeur absente."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from parcours.core.tabular import Writable, write_csv
from parcours.observatory.queries import (
    COMMUNE_COLUMNS,
    DEPARTEMENT_COLUMNS,
    CommuneRow,
    DepartementRow,
)

#: colonnes décimales → nombre de décimales écrites en CSV
DECIMALS = {"score_moyen": 2, "moyenne_communes": 4, "ecart_type_communes": 4}


def cell(column: str, value: object) -> object:
    """La cellule CSV de ``value`` dans ``column``."""
    if value is None:
        return ""
    if column in DECIMALS:
        return f"{value:.{DECIMALS[column]}f}"
    if isinstance(value, bool):
        return int(value)
    return value


def _csv(out: Writable, columns: Sequence[str], rows: Iterable[dict]) -> int:
    return write_csv(out, columns, ([cell(c, row[c]) for c in columns] for row in rows))


def communes_csv(out: Writable, rows: Iterable[CommuneRow]) -> int:
    """Écrit les lignes des communes ; rend leur nombre."""
    return _csv(out, COMMUNE_COLUMNS, (r.as_dict() for r in rows))


def departements_csv(out: Writable, rows: Iterable[DepartementRow]) -> int:
    """Écrit les lignes des départements ; rend leur nombre."""
    return _csv(out, DEPARTEMENT_COLUMNS, (r.as_dict() for r in rows))


def as_json(rows: Iterable[CommuneRow | DepartementRow]) -> str:
    """La liste d'objets JSON (une ligne par objet), terminée par un saut de ligne."""
    items = [json.dumps(r.as_dict(), ensure_ascii=False) for r in rows]
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(items) + "\n]\n"
