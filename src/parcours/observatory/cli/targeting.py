"""``parcours observatoire cibler FICHIER --organisation CODE --annee AAAA [--essai]
[--date-extraction AAAA-MM-JJ] [--format json]`` : la règle de ciblage ``FRAGILITE`` de
l'organisme sur le fichier des retraités avec identités (formats.md §4 et §6.4).

Même sémantique que ``parcours importer-extrait-arrets`` : essai sans écriture, un import réel
par fichier et par règle, résumé dans tous les cas (en JSON : les clés de l'extrait des arrêts,
plus ``deja_sollicites``, ``ciblage`` et ``etat``)."""

import datetime
import json
from pathlib import Path

from django.core.management.base import CommandError

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import Organisation
from parcours.observatory.services.targeting import run_fragility_targeting
from parcours.rules.extract_identity import HeaderError

HELP = "ciblage des retraités fragiles (règle FRAGILITE) sur le fichier des retraités"

LABELS = (
    ("Lignes lues", "lignes"),
    ("Valides", "valides"),
    ("Rejetées", "rejetees"),
    ("Cibles", "cibles"),
    ("  dont déjà connues", "deja_connus"),
    ("  dont nouvelles personnes", "nouvelles_personnes"),
    ("Déjà en accompagnement (non ciblées)", "deja_en_accompagnement"),
    ("Offre de service récente (non ciblées)", "deja_sollicites"),
)


def add_arguments(parser) -> None:
    parser.add_argument("fichier", help="fichier des retraités (CSV ou Parquet)")
    parser.add_argument("--organisation", required=True, metavar="CODE")
    parser.add_argument("--annee", required=True, type=int, metavar="AAAA")
    parser.add_argument("--essai", action="store_true", help="essai : rien n'est écrit")
    parser.add_argument(
        "--date-extraction",
        dest="date_extraction",
        metavar="AAAA-MM-JJ",
        help="date d'extraction du fichier (par défaut aujourd'hui)",
    )
    parser.add_argument("--format", choices=["texte", "json"], default="texte")


def run(options, stdout) -> None:
    path = Path(options["fichier"])
    if not path.is_file():
        raise CommandError(f"Fichier introuvable : {path}")
    organisation = Organisation.objects.filter(code=options["organisation"]).first()
    if organisation is None:
        raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
    extraction_date = clock.today()
    if options.get("date_extraction"):
        try:
            extraction_date = datetime.date.fromisoformat(options["date_extraction"])
        except ValueError:
            raise CommandError(
                f"--date-extraction : « {options['date_extraction']} » n'est pas une date "
                "AAAA-MM-JJ."
            ) from None
    try:
        targeting_run = run_fragility_targeting(
            actor=None,
            organisation=organisation,
            path=path,
            extraction_date=extraction_date,
            dry_run=options["essai"],
            year=options["annee"],
            file_name=path.name,
        )
    except HeaderError as error:
        raise CommandError(f"Fichier refusé : {error.message}") from None
    except BusinessError as error:
        raise CommandError("; ".join(error.errors.values())) from None
    summary = targeting_run.summary() | {
        "deja_sollicites": targeting_run.already_offered,
        "ciblage": targeting_run.pk,
        "etat": targeting_run.status,
    }
    if options["format"] == "json":
        stdout.write(json.dumps(summary, ensure_ascii=False))
        return
    write = stdout.write
    write(("Essai (rien n'est écrit)" if targeting_run.dry_run else "Import") + f" de {path.name}")
    if targeting_run.message:
        write(targeting_run.message)
    for label, key in LABELS:
        write(f"{label} : {summary[key]}")
    for problem in summary["erreurs"]:
        column = f", colonne {problem['colonne']}" if problem["colonne"] else ""
        write(f"ligne {problem['ligne']}{column} : {problem['motif']}")
