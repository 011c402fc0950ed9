"""Les commandes à sous-commandes (``parcours rgpd …``, ``parcours observatoire …``) : chaque
sous-commande vit dans un module ``<PACKAGE>.<module>`` qui expose ``HELP``,
``add_arguments(parser)`` et ``run(options, stdout)``."""

import importlib

from django.core.management.base import BaseCommand


class SubcommandsCommand(BaseCommand):
    #: le paquet des modules de sous-commandes, par exemple ``parcours.privacy.cli``
    PACKAGE = ""
    #: sous-commande → module du paquet
    SUBCOMMANDS: dict[str, str] = {}

    def _module(self, name: str):
        return importlib.import_module(f"{self.PACKAGE}.{self.SUBCOMMANDS[name]}")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sous_commande", required=True, metavar="SOUS-COMMANDE")
        for name in self.SUBCOMMANDS:
            cli = self._module(name)
            cli.add_arguments(sub.add_parser(name, help=cli.HELP))

    def handle(self, *args, **options):
        self._module(options["sous_commande"]).run(options, self.stdout)
