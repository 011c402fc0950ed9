"""Le seul écrivain des fichiers tabulaires (CSV, XLSX) que Parcours remet à un tableur.

Une cellule de texte qui commence par ``=``, ``+``, ``-``, ``@``, une tabulation ou un retour
chariot serait lue comme une formule par le tableur (injection de formule) : elle est
neutralisée par une apostrophe en tête, que le tableur n'affiche pas. Les nombres passent tels
quels. Toute exportation passe par ici (``csv_response``, ``write_csv``, ``TableWriter``,
``workbook``, ``xlsx_rows``, ``xlsx_bytes``) ; ``tests/core/test_tabular_guard.py`` refuse tout
autre écrivain CSV ou XLSX dans ``src/parcours``.

Quand Parcours relit un fichier qu'il a pu écrire (lot d'historique, grilles AGGIR), chaque
cellule passe par ``restore`` : la valeur neutralisée se relit telle qu'elle était avant l'export.
"""

import csv
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any, Protocol

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Writable(Protocol):
    def write(self, s: str, /) -> object: ...


def neutralise(value: Any) -> Any:
    """La cellule ``value``, désarmée si le tableur la prendrait pour une formule."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore(value: str) -> str:
    """La cellule relue d'un fichier que ``neutralise`` a pu désarmer, rendue à sa valeur
    d'origine (l'apostrophe ajoutée devant une formule est retirée, rien d'autre)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class TableWriter:
    """Un CSV écrit ligne à ligne (« ; », guillemets ``"``, fin de ligne ``\\n``) : l'en-tête à
    la création, puis ``row`` pour chaque ligne, cellules neutralisées ; ``count`` les compte."""

    def __init__(self, out: Writable, header: Sequence[str], *, delimiter: str = ";"):
        self._writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        # Le module csv ne met entre guillemets que les cellules portant un caractère de la fin
        # de ligne (« \n ») : une ligne dont une cellule porte un retour chariot s'écrit toute
        # entre guillemets, sans quoi le retour chariot couperait la ligne à la relecture.
        self._quoted = csv.writer(
            out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL
        )
        self._write(header)
        self.count = 0

    def _write(self, cells: Sequence[Any]) -> None:
        cells = [neutralise(cell) for cell in cells]
        carriage_return = any(isinstance(cell, str) and "\r" in cell for cell in cells)
        (self._quoted if carriage_return else self._writer).writerow(cells)

    def row(self, cells: Sequence[Any]) -> None:
        self._write(cells)
        self.count += 1


def write_csv(
    out: Writable, header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";"
) -> int:
    """Écrit ``header`` puis ``rows`` (cellules neutralisées) ; rend le nombre de lignes écrites."""
    writer = TableWriter(out, header, delimiter=delimiter)
    for row in rows:
        writer.row(row)
    return writer.count


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> tuple[HttpResponse, int]:
    """Une pièce jointe CSV (UTF-8, « ; ») et le nombre de lignes qu'elle porte.

    ``filename`` ne contient que des identifiants techniques (jamais de nom de personne).
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    count = write_csv(response, header, rows)
    return response, count


def workbook() -> Any:
    """Un classeur openpyxl vide (sans la feuille par défaut) : ses feuilles se remplissent par
    ``xlsx_rows``, il s'enregistre par ``xlsx_bytes``."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def xlsx_rows(sheet: Any, rows: Iterable[Sequence[Any]]) -> None:
    """Ajoute ``rows`` à la feuille openpyxl ``sheet``, cellules neutralisées."""
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])


def xlsx_bytes(book: Any) -> bytes:
    """Le classeur ``book`` enregistré (format XLSX)."""
    out = BytesIO()
    book.save(out)
    return out.getvalue()
