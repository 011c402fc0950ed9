"""``parcours rapport-activite`` : le rapport d'activité d'une année (JSON, XLSX ou PDF)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from parcours.core.models import Organisation
from parcours.steering import report


class Command(BaseCommand):
    help = (
        "Produit le rapport d'activité d'une année pour l'organisme, une région ou un département "
        "(formats.md §5). Sans --sortie, le JSON est écrit sur la sortie standard."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", required=True, metavar="CODE", help="code de l'organisme"
        )
        parser.add_argument("--annee", required=True, type=int, metavar="AAAA", help="année civile")
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--region", default="", metavar="CODE", help="code INSEE de la région")
        where.add_argument(
            "--departement", default="", metavar="CODE", help="code INSEE du département"
        )
        parser.add_argument(
            "--format", default="json", choices=["json", "xlsx", "pdf"], help="json, xlsx ou pdf"
        )
        parser.add_argument("--sortie", default="", metavar="FICHIER", help="fichier à écrire")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
        if not 1900 <= options["annee"] <= 2200:
            raise CommandError("--annee : une année sur quatre chiffres (AAAA).")
        try:
            where = report.territory(
                organisation, region=options["region"], departement=options["departement"]
            )
        except report.UnknownTerritory as error:
            raise CommandError(str(error)) from None
        year, fmt, output = options["annee"], options["format"], options["sortie"]
        if fmt != "json" and not output:
            raise CommandError(f"--format {fmt} : indiquez le fichier à écrire avec --sortie.")
        document = report.build(organisation, year, where)
        if fmt == "json":
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            if not output:
                self.stdout.write(text, ending="")
                return
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            from parcours.steering import exports

            history = report.evolution(organisation, year, where)
            data = (
                exports.xlsx(document, history, organisation)
                if fmt == "xlsx"
                else exports.pdf(document, history, organisation)
            )
            with open(output, "wb") as f:
                f.write(data)
        sys.stderr.write(f"Rapport {year} ({where.label}) écrit dans {output}.\n")
