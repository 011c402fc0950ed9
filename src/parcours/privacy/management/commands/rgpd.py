"""``parcours rgpd purger|acces|extrait|registre`` (formats.md §8) ; chaque sous-commande vit
dans ``parcours.privacy.cli.<module>`` : ``add_arguments(parser)`` et ``run(options, stdout)``."""

import importlib

from django.core.management.base import BaseCommand

#: sous-commande → module de parcours.privacy.cli
SUBCOMMANDS = {
    "purger": "purge",
    "acces": "access",
    "extrait": "extract",
    "registre": "register",
}


class Command(BaseCommand):
    help = "Protection des données : purge, export d'accès, extrait pseudonymisé, registre."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sous_commande", required=True, metavar="SOUS-COMMANDE")
        for name, module in SUBCOMMANDS.items():
            cli = importlib.import_module(f"parcours.privacy.cli.{module}")
            cli.add_arguments(sub.add_parser(name, help=cli.HELP))

    def handle(self, *args, **options):
        name = options["sous_commande"]
        cli = importlib.import_module(f"parcours.privacy.cli.{SUBCOMMANDS[name]}")
        cli.run(options, self.stdout)
