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
    request = listing.read_options(options)
    rows = queries.commune_rows(
        organisation_id=request.organisation.pk,
        year=request.year,
        departements=request.departements,
        since=request.since,
        until=request.until,
    )

    def write(out) -> int:
        if options["format"] == "json":
            out.write(exports.as_json(rows))
            return len(rows)
        return exports.communes_csv(out, rows)

    listing.emit(options, stdout, write, "une commune écrite")
