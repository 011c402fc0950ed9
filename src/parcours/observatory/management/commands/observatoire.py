"""``parcours observatoire importer|communes|departements`` (formats.md §6.3) ; chaque
sous-commande vit dans ``parcours.observatory.cli.<module>`` : ``add_arguments(parser)`` et
``run(options, stdout)``."""

import importlib

from django.core.management.base import BaseCommand

#: sous-commande → module de parcours.observatory.cli
SUBCOMMANDS: dict[str, str] = {}


class Command(BaseCommand):
    help = "Observatoire des fragilités : import du fichier des retraités, communes, départements."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sous_commande", required=True, metavar="SOUS-COMMANDE")
        for name, module in SUBCOMMANDS.items():
            cli = importlib.import_module(f"parcours.observatory.cli.{module}")
            cli.add_arguments(sub.add_parser(name, help=cli.HELP))

    def handle(self, *args, **options):
        name = options["sous_commande"]
        cli = importlib.import_module(f"parcours.observatory.cli.{SUBCOMMANDS[name]}")
        cli.run(options, self.stdout)
