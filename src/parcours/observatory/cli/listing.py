"""Ce que partagent ``parcours observatoire communes`` et ``departements`` (formats.md §6.3) :
les options, leur contrôle (messages en français) et l'écriture sur la sortie ou dans un
fichier (``--sortie``, comme ``parcours rgpd`` et ``parcours rapport-activite``)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import CommandError

from parcours.core.models import Departement, Organisation
from parcours.observatory import exports, queries
from parcours.rules import fragility, wording

FORMATS = ("csv", "json")


def add_arguments(parser) -> None:
    parser.add_argument("--organisation", required=True, metavar="CODE", help="code de l'organisme")
    parser.add_argument("--annee", required=True, metavar="AAAA", help="année importée")
    parser.add_argument(
        "--departement", default="", metavar="CODE", help="code INSEE du département (sinon tous)"
    )
    parser.add_argument(
        "--du",
        default="",
        metavar="AAAA-MM-JJ",
        help="début de la période des actions collectives (1er janvier de l'année par défaut)",
    )
    parser.add_argument(
        "--au",
        default="",
        metavar="AAAA-MM-JJ",
        help="fin de la période, comprise (31 décembre de l'année par défaut)",
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="csv ou json")
    parser.add_argument(
        "--sortie", default="", metavar="FICHIER", help="fichier à écrire (sinon la sortie)"
    )


@dataclass(frozen=True)
class Request:
    organisation: Organisation
    year: int
    departements: list[str] | None
    since: datetime.date
    until: datetime.date


def _date(option: str, raw: str) -> datetime.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if len(raw) == 10:  # fromisoformat lit aussi « 20250131 » : la forme AAAA-MM-JJ seule
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    raise CommandError(
        f"{option} : « {raw} » n'est pas une date AAAA-MM-JJ (par exemple 2025-01-31)."
    )


def read_options(options) -> Request:
    """Les options contrôlées, ou ``CommandError`` avec la raison en français."""
    organisation = Organisation.objects.filter(code=options["organisation"]).first()
    if organisation is None:
        raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
    raw_year = str(options["annee"]).strip()
    if not (raw_year.isdigit() and len(raw_year) == 4):
        raise CommandError(f"--annee : « {raw_year} » n'est pas une année sur quatre chiffres.")
    year = int(raw_year)
    imported = queries.years(organisation.pk)
    if year not in imported:
        known = (
            f" (années importées : {', '.join(str(y) for y in imported)})"
            if imported
            else " : importez d'abord le fichier des retraités (parcours observatoire importer)"
        )
        raise CommandError(f"Aucun import de l'observatoire pour {year}{known}.")
    departements = None
    code = (options.get("departement") or "").strip().upper()
    if code:
        if not Departement.objects.filter(code=code).exists():
            raise CommandError(f"Département inconnu : « {code} ».")
        departements = [code]
    default_since, default_until = fragility.default_period(year)
    since = _date("--du", options.get("du", "")) or default_since
    until = _date("--au", options.get("au", "")) or default_until
    if since > until:
        raise CommandError(
            f"La période est vide : --du ({since.isoformat()}) est après --au "
            f"({until.isoformat()})."
        )
    return Request(organisation, year, departements, since, until)


def emit(options, stdout, write: Callable[[io.StringIO], int], what: str) -> None:
    """Écrit le document par ``write`` sur la sortie, ou dans ``--sortie`` (UTF-8)."""
    buffer = io.StringIO(newline="")
    count = write(buffer)
    output = options.get("sortie") or ""
    if not output:
        stdout.write(buffer.getvalue(), ending="")
        return
    try:
        Path(output).write_text(buffer.getvalue(), encoding="utf-8", newline="")
    except OSError as error:
        raise CommandError(
            f"--sortie : impossible d'écrire « {output} » ({error.strerror})."
        ) from None
    stdout.write(f"{wording.count(count, what)} dans {output}.")


def run_listing(options, stdout, *, rows_of: Callable, csv_of: Callable, what: str) -> None:
    """Une sous-commande de liste : les options lues, les lignes de ``rows_of`` (une lecture de
    ``observatory.queries``) écrites en JSON ou en CSV (``csv_of``) ; ``what`` : « une commune
    écrite », pour le décompte quand la liste va dans un fichier."""
    request = read_options(options)
    rows = rows_of(
        organisation_id=request.organisation.pk,
        year=request.year,
        departements=request.departements,
        since=request.since,
        until=request.until,
    )

    def write(out) -> int:
        if options["format"] == "json":
            out.write(exports.as_json(rows))
            return len(rows)
        return csv_of(out, rows)

    emit(options, stdout, write, what)
