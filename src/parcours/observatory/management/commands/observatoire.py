"""``parcours observatoire importer|communes|departements|cibler`` (formats.md §6.3) ; chaque
sous-commande vit dans ``parcours.observatory.cli.<module>``."""

from parcours.core.subcommands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = "Observatoire des fragilités : import du fichier des retraités, communes, départements."
    PACKAGE = "parcours.observatory.cli"
    #: sous-commande → module de parcours.observatory.cli
    SUBCOMMANDS: dict[str, str] = {
        "importer": "importer",
        "communes": "communes",
        "departements": "departements",
        "cibler": "targeting",
    }
