"""``parcours rgpd purger|acces|extrait|registre`` (formats.md §8) ; chaque sous-commande vit
dans ``parcours.privacy.cli.<module>``."""

from parcours.core.subcommands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = "Protection des données : purge, export d'accès, extrait pseudonymisé, registre."
    PACKAGE = "parcours.privacy.cli"
    SUBCOMMANDS = {
        "purger": "purge",
        "acces": "access",
        "extrait": "extract",
        "registre": "register",
    }
