"""``parcours observatoire importer FICHIER --organisation CODE --annee AAAA [--essai]
[--format json]`` : le fichier des retraités (formats.md §4), CSV ou Parquet, noté et agrégé par
commune, EPCI et département (formats.md §6.3).

Outil d'exploitation : aucun droit vérifié au-delà du code de l'organisme ; l'import réel est
journalisé. En JSON, exactement les clés de formats.md §6.3 ; sinon un résumé en français.
"""

import json

from django.core.management.base import CommandError

from parcours.core.exceptions import BusinessError
from parcours.core.models import Organisation
from parcours.observatory.services import importer

HELP = "import du fichier des retraités (CSV ou Parquet) : scores agrégés par commune"


def add_arguments(parser) -> None:
    parser.add_argument("fichier", metavar="FICHIER", help="fichier des retraités (CSV ou Parquet)")
    parser.add_argument("--organisation", required=True, metavar="CODE")
    parser.add_argument("--annee", required=True, type=int, metavar="AAAA")
    parser.add_argument("--essai", action="store_true", help="lit et compte tout, n'écrit rien")
    parser.add_argument("--format", choices=["texte", "json"], default="texte")


def run(options, stdout) -> None:
    organisation = Organisation.objects.filter(code=options["organisation"]).first()
    if organisation is None:
        raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
    try:
        imp = importer.import_retirees(
            actor=None,
            organisation=organisation,
            path=options["fichier"],
            year=options["annee"],
            dry_run=options["essai"],
        )
    except importer.RetireesFileError as error:
        raise CommandError(str(error)) from None
    except BusinessError as error:
        raise CommandError(str(error)) from None
    if options["format"] == "json":
        stdout.write(json.dumps(imp.summary(), ensure_ascii=False))
        return
    stdout.write(_human(imp))


def _human(imp) -> str:
    lines = [imp.message]
    for warning in imp.warnings:
        lines.append(f"Avertissement : {warning}.")
    if imp.errors:
        shown = imp.errors[:20]
        lines.append(f"Premiers motifs de rejet ({len(shown)} sur {imp.error_count}) :")
        lines += [
            f"  ligne {e['ligne']}, colonne {e['colonne'] or '—'} : {e['motif']}" for e in shown
        ]
    lines.append(f"Durée : {imp.duration_s:.1f} s.")
    return "\n".join(lines)
