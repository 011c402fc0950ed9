"""``parcours rgpd extract`` — à écrire."""

HELP = "à écrire"


def add_arguments(parser) -> None:
    parser.add_argument("--organisation", required=True, metavar="CODE")


def run(options, stdout) -> None:
    raise NotImplementedError
