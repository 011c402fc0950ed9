"""``parcours rgpd registre`` — le registre des traitements de l'organisme (formats.md §8), en
JSON (une liste de traitements) ou en PDF. Un organisme sans registre reçoit d'abord le registre
par défaut (journalisé). Chaque export laisse sa ligne au journal."""

import sys

from django.core.management.base import CommandError

from parcours.core import clock
from parcours.core.models import Organisation
from parcours.privacy import exports
from parcours.privacy.services import register as services

HELP = "registre des traitements (JSON ou PDF)"


def add_arguments(parser) -> None:
    parser.add_argument("--organisation", required=True, metavar="CODE", help="code de l'organisme")
    parser.add_argument("--format", default="json", choices=["json", "pdf"], help="json ou pdf")
    parser.add_argument("--sortie", default="", metavar="FICHIER", help="fichier à écrire")


def run(options, stdout) -> None:
    organisation = Organisation.objects.filter(code=options["organisation"]).first()
    if organisation is None:
        raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
    fmt, output = options["format"], options["sortie"]
    if fmt == "pdf" and not output:
        raise CommandError("--format pdf : indiquez le fichier à écrire avec --sortie.")
    created = services.seed_default_register(actor=None, organisation=organisation)
    if created:
        sys.stderr.write(f"Registre initialisé avec les {created} traitements par défaut.\n")
    if fmt == "json":
        text, count = exports.register_json(organisation)
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            stdout.write(text, ending="")
    else:
        data, count = exports.register_pdf(organisation, today=clock.today())
        with open(output, "wb") as f:
            f.write(data)
    services.record_register_export(
        actor=None, organisation=organisation, count=count, fmt=fmt.upper()
    )
    if output:
        sys.stderr.write(f"Registre des traitements ({count}) écrit dans {output}.\n")
