"""``parcours observatoire departements --organisation CODE --annee AAAA [--departement CODE]
[--du AAAA-MM-JJ --au AAAA-MM-JJ] --format csv|json [--sortie FICHIER]`` (formats.md §6.3) :
une ligne par département avec au moins un retraité, triée par code, exactement les colonnes
du contrat (référence des communes à 4 décimales, zones blanches de la période)."""

from parcours.observatory import exports, queries
from parcours.observatory.cli import listing

HELP = (
    "les départements d'une année de l'observatoire : retraités, score moyen, moyenne et écart "
    "type des communes, communes fragiles et zones blanches (CSV ou JSON)"
)


def add_arguments(parser) -> None:
    listing.add_arguments(parser)


def run(options, stdout) -> None:
    listing.run_listing(
        options,
        stdout,
        rows_of=queries.departement_rows,
        csv_of=exports.departements_csv,
        what="un département écrit",
    )
