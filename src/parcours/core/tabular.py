"""Le seul écrivain des fichiers tabulaires (CSV, XLSX) que Parcours remet à un tableur.

Une cellule de texte qui commence par ``=``, ``+``, ``-``, ``@``, une tabulation ou un retour
chariot serait lue comme une formule par le tableur (injection de formule) : elle est
neutralisée par une apostrophe en tête, que le tableur n'affiche pas. Les nombres passent tels
quels. Toute exportation passe par ici (``csv_response``, ``write_csv``, ``xlsx_rows``).
"""

import csv
from collections.abc import Iterable, Sequence
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


def write_csv(
    out: Writable, header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";"
) -> int:
    """Écrit ``header`` puis ``rows`` (cellules neutralisées) ; rend le nombre de lignes écrites."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return count


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


def xlsx_rows(sheet: Any, rows: Iterable[Sequence[Any]]) -> None:
    """Ajoute ``rows`` à la feuille openpyxl ``sheet``, cellules neutralisées."""
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
