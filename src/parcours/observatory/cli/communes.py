"""``parcours observatoire communes --organisation CODE --annee AAAA [--departement CODE]
[--du AAAA-MM-JJ --au AAAA-MM-JJ] --format csv|json [--sortie FICHIER]`` (formats.md §6.3) :
une ligne par commune avec au moins un retraité, triée par code INSEE, exactement les colonnes
du contrat.

Outil d'exploitation : aucun droit vérifié au-delà du code de l'organisme (comme ``parcours
rgpd``) ; les chiffres sont des agrégats (secret statistique appliqué)."""

from parcours.observatory import exports, queries
from parcours.observatory.cli import listing

HELP = (
    "les communes d'une année de l'observatoire : retraités, score moyen, fragilité, "
    "concentration, actions collectives et zones blanches (CSV ou JSON)"
)


def add_arguments(parser) -> None:
    listing.add_arguments(parser)


def run(options, stdout) -> None:
    listing.run_listing(
        options,
        stdout,
        rows_of=queries.commune_rows,
        csv_of=exports.communes_csv,
        what="une commune écrite",
    )
