"""``parcours rgpd extrait`` : l'extrait pseudonymisé d'une année pour les statistiques
(formats.md §8), ou ses agrégats sous secret statistique (``--agregats``)."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from parcours.core import clock
from parcours.core.models import Organisation
from parcours.privacy.services import extract as services

HELP = (
    "Extrait pseudonymisé d'une année : une ligne par entretien (pseudonyme, sexe, tranche d'âge, "
    "département, programme, mode, date, durée, actions, problématiques), ou ses agrégats."
)


def add_arguments(parser) -> None:
    parser.add_argument("--organisation", required=True, metavar="CODE", help="code de l'organisme")
    parser.add_argument("--annee", required=True, metavar="AAAA", help="année civile")
    parser.add_argument("--format", default="csv", metavar="csv|parquet", help="csv ou parquet")
    parser.add_argument(
        "--sortie",
        default="",
        metavar="FICHIER",
        help="fichier à écrire (sans elle, le CSV va sur la sortie standard)",
    )
    parser.add_argument(
        "--cle",
        default="",
        metavar="FICHIER",
        help="fichier de la clé des pseudonymes, à garder d'un extrait à l'autre (créé s'il "
        "n'existe pas, droits 0600) ; sans elle, une clé neuve, jetée après l'extrait",
    )
    parser.add_argument(
        "--agregats",
        default="",
        metavar="DIMENSIONS",
        help="écrire les agrégats par ces dimensions (ex. departement,programme ; possibles : "
        + ", ".join(services.DIMENSIONS)
        + ") au lieu des lignes ; cases de moins de 11 personnes masquées",
    )


def run(options, stdout) -> None:
    try:
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise services.ExtractError(f"Organisme inconnu : « {options['organisation']} ».")
        year = services.parse_year(options["annee"], today_year=clock.today().year)
        by = services.parse_dimensions(options["agregats"]) if options["agregats"] else []
        output = Path(options["sortie"]) if options["sortie"] else None
        outcome = services.write_extract(
            actor=None,
            organisation=organisation,
            year=year,
            fmt=options["format"],
            output=output,
            key_file=Path(options["cle"]) if options["cle"] else None,
            by=by,
            stdout=stdout,
        )
    except services.ExtractError as error:
        raise CommandError(str(error)) from None
    what = (
        f"{outcome.rows} cases par {', '.join(by)} ({outcome.secret_cells} masquées)"
        if by
        else f"{outcome.rows} entretiens"
    )
    key = (
        "clé créée et gardée dans le fichier de --cle"
        if outcome.key_created
        else "clé reprise du fichier de --cle"
        if outcome.key_kept
        else "clé neuve, jetée"
    )
    where = f" dans {outcome.path}" if outcome.path else ""
    sys.stderr.write(
        f"Extrait {year} de {organisation.code} : {what}, {outcome.people} personnes{where} ; "
        f"{key}.\n"
    )
